// The SQLite backend: OpenSqliteStore creates the database file (parent directories mode 0700,
// file mode 0600), applies migrations and returns a Store over a pool of SQLite connections.
//
// Concurrency: WAL lets readers run beside the single writer; every write transaction starts with
// BEGIN IMMEDIATE and waits up to busy_timeout_ms for the write lock (then Unavailable "db_busy").
// Several processes may share the file (same host; not on a network filesystem), except that a
// store opened with StoreConfig::replay_journal (accord serve) holds the database's replay
// journal (replay_journal.h), which one process at a time may open.
#ifndef ACCORD_STORE_SQLITE_SQLITE_STORE_H_
#define ACCORD_STORE_SQLITE_SQLITE_STORE_H_

#include <memory>
#include <span>

#include "store/internal/migrate.h"
#include "store/sqlite/sqlite_schema.h"
#include "store/store.h"

namespace accord::store::sqlite {

// `migrations` is replaceable for tests only (schema-version checks).
Result<std::unique_ptr<Store>> OpenSqliteStore(
    const StoreConfig& config,
    std::span<const internal::Migration> migrations = SqliteMigrations());

}  // namespace accord::store::sqlite

#endif  // ACCORD_STORE_SQLITE_SQLITE_STORE_H_
