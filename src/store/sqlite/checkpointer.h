// Checkpointer: copies the -wal file back into the database on its own thread (docs/store.md,
// "Checkpoints").
//
// SQLite's automatic checkpoint runs inside the COMMIT that crosses the threshold, on the
// thread that holds the write lock: every writer queued behind it waits while thousands of pages
// are copied and the database file is synced. Instead, each connection to a file database
// reports the -wal size after its commits (sqlite3_wal_hook, which replaces the automatic
// checkpoint); past `frames` the checkpointer thread is woken and runs a PASSIVE checkpoint on
// its own connection, which neither takes the write lock nor waits for readers. If the -wal
// grows to `2 * frames` anyway (the thread is behind, or readers pin old frames), the
// committing connection checkpoints itself, as SQLite would, so the file stays bounded.
//
// Thread safety: Request() and the counters may be called from any thread. The destructor
// stops and joins the thread (a checkpoint in progress finishes first).
#ifndef ACCORD_STORE_SQLITE_CHECKPOINTER_H_
#define ACCORD_STORE_SQLITE_CHECKPOINTER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"

namespace accord::store::sqlite {

class SqliteConn;

class Checkpointer {
 public:
  // `path`: the database file, already in WAL mode. `frames`: the -wal size (pages) that wakes
  // the thread.
  Checkpointer(std::string path, int frames);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  int frames() const { return frames_; }
  // After a commit left `wal_frames` pages in the -wal: wakes the thread when past frames().
  // Returns true when the caller should checkpoint itself (the -wal is past 2 * frames()).
  bool OnCommit(int wal_frames);

  // After OnCommit returned true: the committing connection's own checkpoint ran, `ok` or not.
  void RecordInline(bool ok);

  // Checkpoints run by the thread, and ones that failed (Store::write_stats, tests).
  uint64_t checkpoints() const;
  uint64_t failures() const;
  // Checkpoints run by committing connections (the -wal reached 2 * frames()), and failed ones.
  uint64_t inline_checkpoints() const {
    return inline_checkpoints_.load(std::memory_order_relaxed);
  }
  uint64_t inline_failures() const { return inline_failures_.load(std::memory_order_relaxed); }
  // The -wal size (pages) the latest commit reported; 0 before any.
  int wal_frames() const { return wal_frames_.load(std::memory_order_relaxed); }

 private:
  void Loop();

  const std::string path_;
  const int frames_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;  // guarded by mu_
  bool stop_ = false;       // guarded by mu_
  uint64_t checkpoints_ = 0;  // guarded by mu_
  uint64_t failures_ = 0;     // guarded by mu_
  // Statistics only (relaxed: no ordering with anything else).
  std::atomic<uint64_t> inline_checkpoints_{0};
  std::atomic<uint64_t> inline_failures_{0};
  std::atomic<int> wal_frames_{0};
  std::thread thread_;  // started by the first request
};

}  // namespace accord::store::sqlite

#endif  // ACCORD_STORE_SQLITE_CHECKPOINTER_H_
