// SqlStore::write_stats: the write batcher's totals, plus the backend's file-level ones.
#include "store/internal/sql_store.h"

namespace accord::store::internal {

WriteStats SqlStore::write_stats() const {
  WriteStats stats;
  if (const WriteBatcher* batcher = pool_->batcher(); batcher != nullptr) {
    stats.transactions = batcher->transactions();
    stats.bodies = batcher->bodies();
    stats.bodies_rolled_back = batcher->bodies_rolled_back();
    stats.batch_failures = batcher->failed_batches();
  }
  if (file_stats_) file_stats_(&stats);
  return stats;
}

}  // namespace accord::store::internal
