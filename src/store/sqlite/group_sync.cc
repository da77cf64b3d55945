#include "store/sqlite/group_sync.h"

#include <atomic>

namespace accord::store::sqlite {
namespace {

std::atomic<uint64_t> total_syncs{0};

}  // namespace

Status GroupSync::AwaitDurable(const SyncFn& sync) {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t mine = ++committed_;
  for (;;) {
    // A failure first: after a failed fdatasync the kernel may have dropped the dirty pages, so
    // a later successful sync does not vouch for them.
    if (failed_upto_ >= mine) return last_failure_;
    if (durable_ >= mine) return Status::Ok();
    if (!syncing_) break;  // lead the next sync
    cv_.wait(lock);
  }
  syncing_ = true;
  const uint64_t target = committed_;  // every commit registered so far has its frames written
  lock.unlock();
  Status status = sync();
  lock.lock();
  syncing_ = false;
  ++syncs_;
  total_syncs.fetch_add(1, std::memory_order_relaxed);
  if (status.ok()) {
    if (target > durable_) durable_ = target;
  } else {
    if (target > failed_upto_) failed_upto_ = target;
    last_failure_ = status;
  }
  cv_.notify_all();
  return status;
}

uint64_t GroupSync::syncs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return syncs_;
}

uint64_t GroupSync::TotalSyncs() { return total_syncs.load(std::memory_order_relaxed); }

uint64_t GroupSync::commits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return committed_;
}

}  // namespace accord::store::sqlite
