#include "store/internal/write_batcher.h"

#include <algorithm>
#include <string>
#include <vector>

#include "store/internal/pool.h"
#include "store/internal/transaction.h"

namespace accord::store::internal {

WriteBatcher::WriteBatcher(ConnPool& writer, size_t max_batch,
                           std::chrono::microseconds submit_gather)
    : writer_(writer), max_batch_(std::max<size_t>(1, max_batch)), submit_gather_(submit_gather) {}

WriteBatcher::~WriteBatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  flusher_cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
}

Status WriteBatcher::Run(const TxBody& fn, DurabilityWait* durable) {
  Slot slot;
  slot.fn = &fn;
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&slot);
  ++run_queued_;
  for (;;) {
    if (slot.done) {
      *durable = std::move(slot.durable);
      return std::move(slot.result);
    }
    if (!leading_) {
      Lead(lock);
      continue;
    }
    cv_.wait(lock);
  }
}

void WriteBatcher::Submit(TxBody fn, TxDone done) {
  auto* slot = new Slot;
  slot->owned = std::move(fn);
  slot->fn = &slot->owned;
  slot->on_done = std::move(done);
  std::unique_lock<std::mutex> lock(mu_);
  if (submit_gather_.count() > 0) slot->submitted_at = std::chrono::steady_clock::now();
  queue_.push_back(slot);
  ++submitted_queued_;
  if (submit_gather_.count() > 0) {
    if (!flusher_.joinable()) flusher_ = std::thread([this] { FlusherLoop(); });
    if (flusher_idle_) flusher_cv_.notify_one();
    return;
  }
  if (leading_) return;  // the running leader takes it before it stops
  Lead(lock);
}

std::chrono::steady_clock::time_point WriteBatcher::OldestSubmittedAt() const {
  for (const Slot* s : queue_) {
    if (s->on_done) return s->submitted_at;
  }
  return std::chrono::steady_clock::time_point::max();
}

bool WriteBatcher::MayWait() const {
  if (queue_.empty()) return true;
  if (submit_gather_.count() == 0 || run_queued_ > 0 || stop_) return false;
  return std::chrono::steady_clock::now() < OldestSubmittedAt() + submit_gather_;
}

void WriteBatcher::FlusherLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    flusher_idle_ = true;
    flusher_cv_.wait(lock, [this] { return (submitted_queued_ > 0 && !leading_) || stop_; });
    flusher_idle_ = false;
    if (stop_ && queue_.empty()) return;
    if (leading_) {
      continue;  // stopping: the running leader drains the queue, its end wakes this thread
    }
    if (MayWait()) {
      // Let more bodies join; no one notifies this wait, so it sleeps the whole interval.
      flusher_cv_.wait_until(lock, OldestSubmittedAt() + submit_gather_, [this] { return stop_; });
      continue;
    }
    Lead(lock);
  }
}

void WriteBatcher::Lead(std::unique_lock<std::mutex>& lock) {
  leading_ = true;
  while (!MayWait()) {
    const size_t n = std::min(max_batch_, queue_.size());
    std::deque<Slot*> batch(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    for (const Slot* s : batch) --(s->on_done ? submitted_queued_ : run_queued_);
    lock.unlock();
    RunBatch(batch);
    lock.lock();
    std::vector<Slot*> submitted;
    for (Slot* s : batch) {
      if (s->on_done) {
        submitted.push_back(s);
      } else {
        s->done = true;
      }
    }
    cv_.notify_all();  // the finished callers return
    if (!submitted.empty()) {
      lock.unlock();
      for (Slot* s : submitted) {
        s->on_done(std::move(s->result), std::move(s->durable));
        delete s;
      }
      lock.lock();
    }
  }
  leading_ = false;
  cv_.notify_all();  // a Run caller queued behind young submitted bodies leads next
  if (flusher_idle_) flusher_cv_.notify_one();  // submitted bodies left for it to gather
}

void WriteBatcher::RunBatch(std::deque<Slot*>& batch) {
  auto count = [](std::atomic<uint64_t>& counter, uint64_t n) {
    counter.fetch_add(n, std::memory_order_relaxed);
  };
  auto fail_all = [&](const Status& status) {
    for (Slot* s : batch) s->result = status;
    count(failed_batches_, 1);
  };
  Result<ConnPool::Lease> lease = writer_.Acquire();
  if (!lease.ok()) return fail_all(lease.status());
  SqlConn& conn = **lease;
  if (Status begin = conn.Begin(TxMode::kWrite); !begin.ok()) return fail_all(begin);
  if (batch.size() == 1) {
    Slot& alone = *batch.front();  // exactly Transact's sequence, no savepoint
    TxOutcome outcome = TxOutcome::kCommitted;
    alone.result = FinishTransaction(conn, *alone.fn, &alone.durable, &outcome);
    switch (outcome) {
      case TxOutcome::kCommitted:
        count(transactions_, 1);
        count(bodies_, 1);
        break;
      case TxOutcome::kBodyFailed:
        count(rolled_back_, 1);
        break;
      case TxOutcome::kCommitFailed:
        count(failed_batches_, 1);
        break;
    }
    return;
  }
  std::vector<Slot*> kept;  // bodies whose writes are in the transaction
  kept.reserve(batch.size());
  Status broken;  // set when the transaction as a whole cannot commit
  size_t ran = 0;
  uint64_t undone_alone = 0;  // bodies rolled back to their savepoint, the rest kept
  for (Slot* s : batch) {
    if (Status sp = conn.Savepoint(); !sp.ok()) {
      broken = std::move(sp);
      break;
    }
    ++ran;
    Status verdict;
    Status status = (*s->fn)(conn, verdict);
    if (status.ok()) {
      if (Status released = conn.ReleaseSavepoint(); !released.ok()) {
        broken = std::move(released);
        break;
      }
      s->result = std::move(verdict);
      kept.push_back(s);
      continue;
    }
    s->result = status;
    // SQLite ends the whole transaction on some errors (I/O, full disk): the others' writes too.
    if (!conn.InTransaction()) {
      broken = std::move(status);
      break;
    }
    Status undone = conn.RollbackToSavepoint();
    if (undone.ok()) undone = conn.ReleaseSavepoint();
    if (!undone.ok()) {
      broken = std::move(undone);
      break;
    }
    ++undone_alone;
  }
  // Their own error is their answer whatever happens to the rest of the batch.
  count(rolled_back_, undone_alone);
  if (!broken.ok()) {
    count(failed_batches_, 1);
    conn.Rollback().IgnoreError();
    // Nothing of this batch was acknowledged; the callers whose bodies were kept or never ran
    // get an error for a write that did not happen (the protocol layer answers 503).
    const Status aborted =
        Unavailable("write transaction rolled back: " + broken.message(), "db_unavailable");
    for (Slot* s : kept) s->result = aborted;
    for (size_t i = ran; i < batch.size(); ++i) batch[i]->result = aborted;
    if (ran > 0 && batch[ran - 1]->result.ok()) batch[ran - 1]->result = aborted;
    return;
  }
  if (Status commit = conn.Commit(); !commit.ok()) {
    conn.Rollback().IgnoreError();
    for (Slot* s : kept) s->result = commit;
    count(failed_batches_, 1);
    return;
  }
  count(transactions_, 1);
  count(bodies_, kept.size());
  // Every kept body waits for a sync that starts after this COMMIT (each registers its own).
  const DurabilityWait durable = conn.TakeDurabilityWait();
  for (Slot* s : kept) s->durable = durable;
}

size_t WriteBatcher::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

}  // namespace accord::store::internal
