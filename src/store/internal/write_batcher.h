// WriteBatcher: several callers' write transactions committed as one (docs/store.md, "Write
// batching").
//
// SQLite has one writer at a time, and each COMMIT writes every page the transaction touched to
// the -wal file (the right-hand leaf of each expiry index, interior pages, and so on), then its
// share of checkpointing. When write transactions queue behind each other, the batcher lets the
// first caller (the leader) run the queued bodies in ONE transaction on the writer connection,
// each body inside its own SAVEPOINT:
//
//   BEGIN IMMEDIATE
//     SAVEPOINT body; <body 1>; RELEASE body           (body 1 succeeded)
//     SAVEPOINT body; <body 2>; ROLLBACK TO body; RELEASE body   (body 2 failed: its writes undone)
//     ...
//   COMMIT
//
// Each caller gets exactly what Transact would have given it alone: the error of its own body
// (its writes undone, the others' kept), else its verdict once the COMMIT succeeded, else the
// COMMIT's error. Bodies run in queue order, so the batch is the same as running them one after
// the other; none is acknowledged before the COMMIT, and each caller still waits for (or defers
// to) the group fsync covering it before acknowledging. A failure that ends the whole transaction
// (SQLite rolls back on its own, a savepoint statement fails) fails every body of the batch with
// that error: none of them was acknowledged, so nothing accepted is lost.
//
// A lone caller runs exactly as before (BEGIN, body, COMMIT, no savepoint).
//
// Submit queues a body without waiting for it. Its caller does not wait for the outcome (a
// callback gets it), so the body may wait a little for company: with a `submit_gather` interval,
// a flusher thread leads once the oldest submitted body has waited that long (or a Run caller
// leads first and takes it along), so bodies submitted within one interval commit as one
// transaction. Without one (0), the submitting thread leads at once when no batch is running
// ("flat combining"). A leader, whichever kind, runs batches until the queue is empty, so a
// submitted body never waits for a later caller.
//
// Thread safety: Run may be called from any thread; bodies run on the leader's thread, one at a
// time, with no lock of the batcher held.
#ifndef ACCORD_STORE_INTERNAL_WRITE_BATCHER_H_
#define ACCORD_STORE_INTERNAL_WRITE_BATCHER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "common/status.h"
#include "store/internal/sql.h"

namespace accord::store::internal {

class ConnPool;

using TxBody = std::function<Status(SqlConn& conn, Status& verdict)>;
// A submitted body's outcome: its result as Run would return it and, when that is OK (or a
// verdict), what to wait for before acknowledging (empty when the commit is already durable).
using TxDone = std::function<void(Status result, DurabilityWait durable)>;

class WriteBatcher {
 public:
  // `writer` (must outlive this) gives the connection write transactions run on.
  WriteBatcher(ConnPool& writer, size_t max_batch,
               std::chrono::microseconds submit_gather = std::chrono::microseconds(0));
  // Commits every submitted body still queued (the flusher leads them), then stops it.
  ~WriteBatcher();
  WriteBatcher(const WriteBatcher&) = delete;
  WriteBatcher& operator=(const WriteBatcher&) = delete;

  // Runs `fn` in a write transaction, alone or with other callers' bodies. On OK (and on a
  // verdict), `*durable` is what to wait for before acknowledging (empty when the commit is
  // already durable).
  Status Run(const TxBody& fn, DurabilityWait* durable);
  // Queues `fn` (which must own what it captures) and returns; `done` is called exactly once,
  // on the thread that leads its batch (possibly this one, before Submit returns), with no lock
  // of the batcher held. `done` must not call Run or Submit.
  void Submit(TxBody fn, TxDone done);

  // Cumulative statistics (Store::write_stats, tests). A lone caller counts as a batch of one.
  // Transactions whose COMMIT succeeded:
  uint64_t transactions() const { return transactions_.load(std::memory_order_relaxed); }
  // Bodies whose writes those transactions committed (with or without a verdict):
  uint64_t bodies() const { return bodies_.load(std::memory_order_relaxed); }
  // Bodies that failed with their own error, their writes undone alone (the rest of the batch
  // went on):
  uint64_t bodies_rolled_back() const { return rolled_back_.load(std::memory_order_relaxed); }
  // Batches that failed whole (no connection, BEGIN, a savepoint or COMMIT failed, or SQLite
  // ended the transaction): none of their bodies' writes was kept.
  uint64_t failed_batches() const { return failed_batches_.load(std::memory_order_relaxed); }
  // Callers waiting for a batch to take them.
  size_t queued() const;

 private:
  struct Slot {
    const TxBody* fn = nullptr;
    Status result;
    DurabilityWait durable;
    bool done = false;
    // Submitted slots (heap-allocated, deleted once reported): the body, its callback and when
    // it came (with a submit_gather).
    TxBody owned;
    TxDone on_done;
    std::chrono::steady_clock::time_point submitted_at;
  };
  // Runs `batch` as one transaction and fills each slot's result and durable (not `done`).
  void RunBatch(std::deque<Slot*>& batch);
  // With mu_ held by `lock` and no leader: leads, running batches until MayWait(), then stops
  // leading and wakes whoever is next. Unlocks while a batch runs and while submitted slots are
  // reported.
  void Lead(std::unique_lock<std::mutex>& lock);
  // Under mu_: true when nothing needs a batch now: the queue is empty, or it holds only
  // submitted bodies younger than submit_gather (and the batcher is not stopping).
  bool MayWait() const;
  // Under mu_: when the oldest queued submitted body came (max() when none).
  std::chrono::steady_clock::time_point OldestSubmittedAt() const;
  void FlusherLoop();

  ConnPool& writer_;
  const size_t max_batch_;
  const std::chrono::microseconds submit_gather_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Slot*> queue_;   // guarded by mu_: waiting to run
  bool leading_ = false;      // guarded by mu_: a leader is running a batch
  size_t run_queued_ = 0;        // guarded by mu_: Run slots in queue_
  size_t submitted_queued_ = 0;  // guarded by mu_: submitted slots in queue_
  // The flusher (only with a submit_gather): guarded by mu_.
  bool flusher_idle_ = false;    // waiting for a submitted slot or for a leader to finish
  bool stop_ = false;
  std::condition_variable flusher_cv_;
  std::thread flusher_;          // started by the first Submit
  // Statistics, written by the leader (relaxed: totals only, no ordering).
  std::atomic<uint64_t> transactions_{0};
  std::atomic<uint64_t> bodies_{0};
  std::atomic<uint64_t> rolled_back_{0};
  std::atomic<uint64_t> failed_batches_{0};
};

}  // namespace accord::store::internal

#endif  // ACCORD_STORE_INTERNAL_WRITE_BATCHER_H_
