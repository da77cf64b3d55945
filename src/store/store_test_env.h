// Test harness shared by the store tests: the same typed suite runs on every backend.
//
// SqliteBackend: a fresh database file in a temporary directory per test, removed by Destroy()
// or, if a test never gets there, when the backend is destroyed.
// PostgresBackend: a fresh schema per test in one cluster. The cluster comes from
// $ACCORD_TEST_PG (a libpq conninfo) or, if unset, is started on first use with
// scripts/pg-test-server.sh and stopped by a gtest Environment at exit (and by the script's
// watchdog if the test process dies). If no cluster can be had, PostgreSQL tests FAIL.
#ifndef ACCORD_STORE_STORE_TEST_ENV_H_
#define ACCORD_STORE_STORE_TEST_ENV_H_

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <span>
#include <string>

#include "common/testing/temp_dir.h"
#include "store/internal/migrate.h"
#include "store/store.h"
#include "store/token_hash.h"

namespace accord::store::testing {

class SqliteBackend {
 public:
  static constexpr StoreKind kKind = StoreKind::kSqlite;
  static constexpr const char* kName = "Sqlite";
  Status Create();
  void Destroy();
  StoreConfig Config() const;
  std::span<const internal::Migration> Migrations() const;
  Result<std::unique_ptr<Store>> Open(std::span<const internal::Migration> migrations) const;

 private:
  std::optional<::accord::testing::TempDir> dir_;  // set by Create()
};

// SQLite as `accord serve` opens it: with the replay journal (sqlite/replay_journal.h).
class SqliteJournalBackend : public SqliteBackend {
 public:
  static constexpr const char* kName = "SqliteJournal";
  StoreConfig Config() const;
  Result<std::unique_ptr<Store>> Open(std::span<const internal::Migration> migrations) const;
};

class PostgresBackend {
 public:
  static constexpr StoreKind kKind = StoreKind::kPostgres;
  static constexpr const char* kName = "Postgres";
  Status Create();
  void Destroy();
  StoreConfig Config() const;
  std::span<const internal::Migration> Migrations() const;
  Result<std::unique_ptr<Store>> Open(std::span<const internal::Migration> migrations) const;

 private:
  std::string schema_;
  std::string conninfo_;
};

// The test cluster's base conninfo (starting the cluster on first use).
Result<std::string> TestPostgresConninfo();

// Fixture: store_ is open on an empty database of the backend.
template <typename Backend>
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status created = backend_.Create();
    ASSERT_TRUE(created.ok()) << created.ToString();
    auto opened = backend_.Open(backend_.Migrations());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    backend_.Destroy();
  }

  Backend backend_;
  std::unique_ptr<Store> store_;
};

using Backends = ::testing::Types<SqliteBackend, PostgresBackend>;
// For the operations the replay journal takes part in.
using JournalBackends = ::testing::Types<SqliteBackend, SqliteJournalBackend, PostgresBackend>;

struct BackendNames {
  template <typename T>
  static std::string GetName(int) {
    return T::kName;
  }
};

// A distinct token hash per label.
inline TokenHash H(std::string_view label) { return HashToken(label); }

}  // namespace accord::store::testing

#endif  // ACCORD_STORE_STORE_TEST_ENV_H_
