#include "store/store_test_env.h"

#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace accord::store::testing {
namespace {

// Makes *dir a fresh temporary directory (common/testing/temp_dir.h) named after `prefix`.
Status MakeTempDir(const char* prefix, std::optional<::accord::testing::TempDir>* dir) {
  try {
    dir->emplace(prefix);
  } catch (const std::runtime_error& e) {
    return Internal(std::string("cannot create a temporary directory: ") + e.what());
  }
  return Status::Ok();
}

// The PostgreSQL cluster for this process: from $ACCORD_TEST_PG or started once on demand.
class PgCluster {
 public:
  static PgCluster& Instance() {
    static PgCluster* cluster = new PgCluster();
    return *cluster;
  }

  Result<std::string> Conninfo() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!conninfo_.empty()) return conninfo_;
    if (!error_.ok()) return error_;
    if (const char* env = std::getenv("ACCORD_TEST_PG"); env != nullptr && *env != '\0') {
      conninfo_ = env;
      return conninfo_;
    }
    error_ = Start();
    if (!error_.ok()) return error_;
    return conninfo_;
  }

  void Stop() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!dir_) return;
    const std::string cmd = "'" + Script() + "' stop '" + dir_->path() + "'";
    if (std::system(cmd.c_str()) != 0) {
      std::fprintf(stderr, "warning: stopping the test PostgreSQL cluster failed\n");
    }
    dir_.reset();  // removes whatever the script left
    conninfo_.clear();
  }

 private:
  static std::string Script() {
    return std::string(ACCORD_SOURCE_DIR) + "/scripts/pg-test-server.sh";
  }

  Status Start() {
    const std::string script = Script();
    if (access(script.c_str(), X_OK) != 0) {
      return FailedPrecondition("cannot run " + script + "; set ACCORD_TEST_PG or restore it");
    }
    ACCORD_RETURN_IF_ERROR(MakeTempDir("accord-pg-", &dir_));
    const std::string cmd =
        "'" + script + "' start '" + dir_->path() + "' " + std::to_string(getpid());
    FILE* out = popen(cmd.c_str(), "r");
    if (out == nullptr) return Internal("cannot run " + script);
    std::string text;
    char buf[512];
    while (std::fgets(buf, sizeof buf, out) != nullptr) text += buf;
    const int status = pclose(out);
    const int rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    const size_t nl = text.rfind('\n');
    std::string last = nl == std::string::npos ? text : text.substr(nl + 1);
    if (rc != 0 || last.rfind("host=", 0) != 0) {
      return FailedPrecondition("pg-test-server.sh start failed (exit " + std::to_string(rc) +
                                "); PostgreSQL 15 server binaries are required for these tests");
    }
    conninfo_ = last;
    return Status::Ok();
  }

  std::mutex mu_;
  std::optional<::accord::testing::TempDir> dir_;  // the cluster's files
  std::string conninfo_;
  Status error_;
};

class PgEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { PgCluster::Instance().Stop(); }
};

[[maybe_unused]] ::testing::Environment* const kPgEnvironment =
    ::testing::AddGlobalTestEnvironment(new PgEnvironment());

Status AdminExec(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  Status status;
  if (PQstatus(conn) != CONNECTION_OK) {
    status = Unavailable(std::string("admin connection failed: ") + PQerrorMessage(conn));
  } else {
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    PGresult* res = PQexec(conn, sql.c_str());
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
      status = Internal(std::string("admin statement failed: ") + PQresultErrorMessage(res));
    }
    PQclear(res);
  }
  PQfinish(conn);
  return status;
}

std::atomic<int> next_schema{0};

}  // namespace

Result<std::string> TestPostgresConninfo() { return PgCluster::Instance().Conninfo(); }

// --- SQLite ---

Status SqliteBackend::Create() { return MakeTempDir("accord-store-test-", &dir_); }

void SqliteBackend::Destroy() { dir_.reset(); }

StoreConfig SqliteBackend::Config() const {
  StoreConfig c;
  c.kind = StoreKind::kSqlite;
  c.sqlite_path = dir_.value().File("var/accord.db");  // exercises directory creation
  c.pool_size = 4;
  return c;
}

std::span<const internal::Migration> SqliteBackend::Migrations() const {
  return sqlite::SqliteMigrations();
}

Result<std::unique_ptr<Store>> SqliteBackend::Open(
    std::span<const internal::Migration> migrations) const {
  return sqlite::OpenSqliteStore(Config(), migrations);
}

StoreConfig SqliteJournalBackend::Config() const {
  StoreConfig c = SqliteBackend::Config();
  c.replay_journal = true;
  return c;
}

Result<std::unique_ptr<Store>> SqliteJournalBackend::Open(
    std::span<const internal::Migration> migrations) const {
  return sqlite::OpenSqliteStore(Config(), migrations);
}

// --- PostgreSQL ---

Status PostgresBackend::Create() {
  ACCORD_ASSIGN_OR_RETURN(std::string base, PgCluster::Instance().Conninfo());
  schema_ = "accord_test_" + std::to_string(getpid()) + "_" + std::to_string(next_schema++);
  ACCORD_RETURN_IF_ERROR(AdminExec(base, "CREATE SCHEMA " + schema_));
  conninfo_ = base + " options='-csearch_path=" + schema_ + "'";
  return Status::Ok();
}

void PostgresBackend::Destroy() {
  if (schema_.empty()) return;
  auto base = PgCluster::Instance().Conninfo();
  if (base.ok()) AdminExec(*base, "DROP SCHEMA " + schema_ + " CASCADE").IgnoreError();
}

StoreConfig PostgresBackend::Config() const {
  StoreConfig c;
  c.kind = StoreKind::kPostgres;
  c.postgres_conninfo = conninfo_;
  c.pool_size = 4;
  return c;
}

std::span<const internal::Migration> PostgresBackend::Migrations() const {
  return postgres::PostgresMigrations();
}

Result<std::unique_ptr<Store>> PostgresBackend::Open(
    std::span<const internal::Migration> migrations) const {
  return postgres::OpenPostgresStore(Config(), migrations);
}

}  // namespace accord::store::testing
