#include "store/postgres/pg_store.h"

#include <chrono>

#include "common/clock.h"
#include "store/internal/pool.h"
#include "store/internal/sql_store.h"
#include "store/postgres/pg_conn.h"

namespace accord::store::postgres {

Result<std::unique_ptr<Store>> OpenPostgresStore(const StoreConfig& config,
                                                 std::span<const internal::Migration> migrations) {
  if (config.postgres_conninfo.empty()) {
    return InvalidArgument("postgres_conninfo is empty", "bad_value");
  }
  const std::string conninfo = config.postgres_conninfo;
  auto factory = [conninfo]() -> Result<std::unique_ptr<internal::SqlConn>> {
    ACCORD_ASSIGN_OR_RETURN(std::unique_ptr<PgConn> conn, PgConn::Open(conninfo));
    return std::unique_ptr<internal::SqlConn>(std::move(conn));
  };
  auto pool =
      std::make_unique<internal::ConnPool>(factory, static_cast<size_t>(config.pool_size),
                                           std::chrono::milliseconds(config.acquire_timeout_ms));
  {
    ACCORD_ASSIGN_OR_RETURN(internal::ConnPool::Lease conn, pool->Acquire());
    ACCORD_RETURN_IF_ERROR(internal::ApplyMigrations(
        *conn, migrations, SystemClock::Instance().NowSeconds(), kMigrationLockSql));
  }
  return std::unique_ptr<Store>(std::make_unique<internal::SqlStore>(std::move(pool)));
}

}  // namespace accord::store::postgres
