// Versioned schema migrations (docs/store.md "Migrations").
//
// Each backend lists its migrations in order (versions 1, 2, 3, ...; never edited once released,
// only appended). ApplyMigrations runs in ONE transaction: it creates schema_migrations if needed,
// takes the backend's migration lock, reads the highest applied version, fails with
// FailedPrecondition "schema_too_new" if that exceeds the newest version this binary knows, and
// otherwise applies every missing migration and records it. Re-running it is a no-op.
#ifndef ACCORD_STORE_INTERNAL_MIGRATE_H_
#define ACCORD_STORE_INTERNAL_MIGRATE_H_

#include <cstdint>
#include <span>

#include "common/status.h"
#include "store/internal/sql.h"

namespace accord::store::internal {

struct Migration {
  int64_t version;
  const char* name;
  const char* sql;  // one or more statements
};

// `lock_sql` (may be empty) runs first inside the transaction to serialise concurrent migrators
// (PostgreSQL: an advisory transaction lock; SQLite's BEGIN IMMEDIATE already serialises).
Status ApplyMigrations(SqlConn& conn, std::span<const Migration> migrations, int64_t now,
                       const char* lock_sql);

// Highest applied version (0 for an empty database).
Result<int64_t> SchemaVersion(SqlConn& conn);

}  // namespace accord::store::internal

#endif  // ACCORD_STORE_INTERNAL_MIGRATE_H_
