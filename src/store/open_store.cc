// OpenStore: validates the configuration and opens the chosen backend.
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace accord::store {

Result<std::unique_ptr<Store>> OpenStore(const StoreConfig& config) {
  if (config.pool_size < 1 || config.pool_size > 64) {
    return InvalidArgument("pool_size must be 1..64", "bad_value");
  }
  if (config.busy_timeout_ms < 0 || config.busy_timeout_ms > 60000 ||
      config.acquire_timeout_ms < 0 || config.acquire_timeout_ms > 60000) {
    return InvalidArgument("timeouts must be 0..60000 ms", "bad_value");
  }
  switch (config.kind) {
    case StoreKind::kSqlite:
      return sqlite::OpenSqliteStore(config);
    case StoreKind::kPostgres:
      return postgres::OpenPostgresStore(config);
  }
  return InvalidArgument("unknown store kind", "bad_value");
}

}  // namespace accord::store
