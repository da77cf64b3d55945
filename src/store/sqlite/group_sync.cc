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
  return LeadSync(sync, lock);
}

Status GroupSync::LeadSync(const SyncFn& sync, std::unique_lock<std::mutex>& lock) {
  syncing_ = true;
  last_sync_start_ = std::chrono::steady_clock::now();
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

GroupSync::~GroupSync() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  syncer_cv_.notify_all();
  if (syncer_.joinable()) syncer_.join();
}

void GroupSync::NotifyDurable(SyncFn sync, Callback done) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.push_back({++committed_, std::move(done)});
    syncer_sync_ = std::move(sync);
    if (!syncer_.joinable()) syncer_ = std::thread([this] { SyncerLoop(); });
    wake = syncer_idle_;
  }
  // Only an idle syncer needs waking: a busy one looks at pending_ before it waits again.
  if (wake) syncer_cv_.notify_one();
}

void GroupSync::SyncerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    syncer_idle_ = true;
    syncer_cv_.wait(lock, [this] { return stop_ || !pending_.empty(); });
    syncer_idle_ = false;
    if (pending_.empty()) return;  // stop_, and everyone answered
    // Answer what finished syncs (ours or a blocking leader's) already cover.
    std::vector<std::pair<Callback, Status>> ready;
    std::vector<Pending> waiting;
    for (Pending& p : pending_) {
      if (failed_upto_ >= p.commit) {
        ready.emplace_back(std::move(p.done), last_failure_);
      } else if (durable_ >= p.commit) {
        ready.emplace_back(std::move(p.done), Status::Ok());
      } else {
        waiting.push_back(std::move(p));
      }
    }
    pending_ = std::move(waiting);
    if (!ready.empty()) {
      lock.unlock();
      for (auto& [done, status] : ready) done(status);
      lock.lock();
      continue;
    }
    if (syncing_) {  // a blocking caller leads; its end wakes us
      cv_.wait(lock);
      continue;
    }
    // Gather: let more commits join this sync (a stop answers everyone at once instead).
    const auto gather_until = last_sync_start_ + gather_;
    if (!stop_ && std::chrono::steady_clock::now() < gather_until) {
      syncer_cv_.wait_until(lock, gather_until, [this] { return stop_; });
      continue;
    }
    const SyncFn sync = syncer_sync_;
    LeadSync(sync, lock).IgnoreError();  // its result reaches the callbacks on the next pass
  }
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
