// GroupSync: group commit for the SQLite backend (docs/store.md, "Durability").
//
// Connections run WAL with synchronous=NORMAL, so COMMIT writes the transaction's frames to the
// -wal file without syncing it. Before a write call returns, its caller calls AwaitDurable(),
// which returns only once a sync of the -wal file that STARTED after this commit has finished:
//
//   - the first waiter with no sync in flight becomes the leader: it notes the newest commit
//     sequence number, runs its `sync` (an fdatasync of the -wal file), then marks every commit
//     up to that number durable and wakes the others;
//   - the others wait on a condition variable; when a sync that covers them ends they return,
//     otherwise one of them leads the next sync.
//
// One fdatasync covers every frame written to the file before it started, whichever connection
// wrote it, so N concurrent commits share one sync instead of paying N. MUST: a caller calls
// AwaitDurable only after its COMMIT returned (so its frames are in the file), and acknowledges
// the write only if AwaitDurable returns OK. A failed sync fails every commit it was to cover
// (their writes may or may not survive a power loss; the callers report an error).
//
// NotifyDurable is the same contract without a blocked caller: the commit is registered and a
// syncer thread (started on first use, stopped by the destructor after answering every pending
// notification) leads the syncs and calls each callback once a sync covering it has ended. With
// many commits in flight and no thread parked per commit, one fsync answers all of them.
//
// Thread safety: all methods may be called from any thread. `sync` runs on the leader's thread
// (or the syncer's) with no lock held; callbacks run on the syncer thread with no lock held.
#ifndef ACCORD_STORE_SQLITE_GROUP_SYNC_H_
#define ACCORD_STORE_SQLITE_GROUP_SYNC_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/status.h"

namespace accord::store::sqlite {

class GroupSync {
 public:
  using SyncFn = std::function<Status()>;
  using Callback = std::function<void(Status)>;

  // The syncer starts a sync no sooner than `gather` after the previous one started, so that
  // under load one fdatasync covers more commits: each costs CPU (tens of microseconds on a
  // virtualised disk) and an I/O operation of the volume's budget, whatever it covers. An idle
  // store syncs a new commit at once. AwaitDurable leaders do not wait.
  static constexpr std::chrono::microseconds kDefaultGather{2000};
  explicit GroupSync(std::chrono::microseconds gather = kDefaultGather) : gather_(gather) {}
  ~GroupSync();
  GroupSync(const GroupSync&) = delete;
  GroupSync& operator=(const GroupSync&) = delete;

  // Registers a finished commit and blocks until a sync covering it has completed.
  // `sync` is this caller's way to sync the -wal file, used if it becomes the leader.
  Status AwaitDurable(const SyncFn& sync);
  // Registers a finished commit and returns at once; `done` gets the result of a sync covering
  // it (on the syncer thread). `sync` is what the syncer runs (each call may pass the same one).
  void NotifyDurable(SyncFn sync, Callback done);

  // Syncs run so far (tests and diagnostics).
  uint64_t syncs() const;
  // Commits registered so far.
  uint64_t commits() const;
  // Syncs run by every GroupSync in this process (tests of a whole store).
  static uint64_t TotalSyncs();

 private:
  const std::chrono::microseconds gather_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t committed_ = 0;    // guarded by mu_: commits registered
  uint64_t durable_ = 0;      // guarded by mu_: every commit <= durable_ is synced
  uint64_t failed_upto_ = 0;  // guarded by mu_: commits <= this were covered by a failed sync
  Status last_failure_;       // guarded by mu_
  bool syncing_ = false;      // guarded by mu_: a leader is syncing
  uint64_t syncs_ = 0;        // guarded by mu_

  struct Pending {
    uint64_t commit;
    Callback done;
  };
  void SyncerLoop();
  // With `lock` (on mu_) held and no sync running: runs `sync` unlocked, records its result for
  // every commit registered before it started, wakes all waiters. Returns with `lock` held.
  Status LeadSync(const SyncFn& sync, std::unique_lock<std::mutex>& lock);
  std::vector<Pending> pending_;  // guarded by mu_: NotifyDurable callers not yet answered
  SyncFn syncer_sync_;            // guarded by mu_
  bool stop_ = false;             // guarded by mu_
  bool syncer_idle_ = false;      // guarded by mu_: the syncer waits for a commit to register
  std::condition_variable syncer_cv_;  // the syncer's: a commit registered while it was idle
  std::chrono::steady_clock::time_point last_sync_start_;  // guarded by mu_
  std::thread syncer_;            // started by the first NotifyDurable
};

}  // namespace accord::store::sqlite

#endif  // ACCORD_STORE_SQLITE_GROUP_SYNC_H_
