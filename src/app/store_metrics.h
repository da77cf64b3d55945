// The store's write-path statistics on a listener's /metrics (docs/store.md, "Write statistics"):
// batching, group fdatasync and WAL checkpoints, so operators see them at work.
//
// AddStoreMetrics registers the accord_store_* families on `registry` and a collector that
// copies Store::write_stats() into them before each scrape (http::Registry::AddCollector).
// Several listeners sharing one database each report that database's totals.
//
// Lifetime: `store` must stay valid for as long as `registry` may render (in `accord serve` the
// registry is destroyed before the runtime that owns the store). Thread safety: as the registry.
#ifndef ACCORD_APP_STORE_METRICS_H_
#define ACCORD_APP_STORE_METRICS_H_

#include "http/metrics.h"
#include "store/store.h"

namespace accord::app {

void AddStoreMetrics(http::Registry& registry, const store::Store& store);

}  // namespace accord::app

#endif  // ACCORD_APP_STORE_METRICS_H_
