// The PostgreSQL schema as ordered migrations (docs/store.md lists the tables).
// Append new migrations; never edit a released one.
#ifndef ACCORD_STORE_POSTGRES_PG_SCHEMA_H_
#define ACCORD_STORE_POSTGRES_PG_SCHEMA_H_

#include <span>

#include "store/internal/migrate.h"

namespace accord::store::postgres {

std::span<const internal::Migration> PostgresMigrations();

// Serialises concurrent migrators (several replicas starting at once) for the transaction.
inline constexpr const char* kMigrationLockSql = "SELECT pg_advisory_xact_lock(7263540001)";

}  // namespace accord::store::postgres

#endif  // ACCORD_STORE_POSTGRES_PG_SCHEMA_H_
