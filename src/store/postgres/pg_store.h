// The PostgreSQL backend: OpenPostgresStore connects with a libpq connection string, applies
// migrations (under an advisory lock, in one transaction) and returns a Store over a bounded pool
// of connections (StoreConfig::pool_size), each with its own prepared statements.
//
// Concurrency: READ COMMITTED; single-use consumption is a conditional UPDATE ... RETURNING (the
// row lock makes concurrent consumers queue and all but one find nothing to update); signing-key
// activation locks the key rows (SELECT ... FOR UPDATE); logout claims use FOR UPDATE SKIP LOCKED.
// Several Accord processes may share one database.
#ifndef ACCORD_STORE_POSTGRES_PG_STORE_H_
#define ACCORD_STORE_POSTGRES_PG_STORE_H_

#include <memory>
#include <span>

#include "store/internal/migrate.h"
#include "store/postgres/pg_schema.h"
#include "store/store.h"

namespace accord::store::postgres {

// `migrations` is replaceable for tests only (schema-version checks).
Result<std::unique_ptr<Store>> OpenPostgresStore(
    const StoreConfig& config,
    std::span<const internal::Migration> migrations = PostgresMigrations());

}  // namespace accord::store::postgres

#endif  // ACCORD_STORE_POSTGRES_PG_STORE_H_
