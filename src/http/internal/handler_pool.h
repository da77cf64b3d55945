// HandlerPool: the threads that run request handlers, with a bound on how many run at once.
//
// A handler mostly computes (JOSE, crypto, SQL on an embedded SQLite) and sometimes waits (an
// upstream identity provider, a client's jwks_uri, PostgreSQL, the audit log's fsync). Computing
// handlers gain nothing from more threads than cores: each extra one adds wake-ups, context
// switches and cold caches (docs/benchmarks.md, "Where the token endpoint's time goes"). Waiting
// ones need threads of their own. So the pool has `threads` threads but lets at most
// `concurrency` of them run tasks; a task that enters a BlockingRegion (common/blocking_region.h)
// stops counting while it waits, and a parked thread takes the next queued task. A thread that
// leaves its region counts again at once (the pool may briefly run more than `concurrency`); no
// running task is ever stopped, so the bound cannot deadlock a task that waits on a running one.
// When every thread is busy or waiting, tasks queue in order.
//
// Thread safety: Post may be called from any thread. Lifetime: the destructor (or Join) runs every
// task already posted, then joins the threads; Post after Join is a programming error (dropped).
#ifndef ACCORD_HTTP_INTERNAL_HANDLER_POOL_H_
#define ACCORD_HTTP_INTERNAL_HANDLER_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/blocking_region.h"

namespace accord::http::internal {

class HandlerPool : private BlockingRegion::Listener {
 public:
  // threads >= 1; concurrency in [1, threads] (clamped).
  HandlerPool(size_t threads, size_t concurrency);
  ~HandlerPool() override;
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  void Post(std::function<void()> task);
  // Runs what is queued, then stops and joins the threads. Idempotent.
  void Join();

  size_t threads() const { return threads_.size(); }
  size_t concurrency() const { return concurrency_; }
  // Tasks running and not inside a BlockingRegion / inside one / queued (metrics, tests).
  size_t running() const;
  size_t blocked() const;
  size_t queued() const;

 private:
  void Loop();
  void EnterBlocking() override;
  void LeaveBlocking() override;

  const size_t concurrency_;
  mutable std::mutex mu_;
  std::condition_variable cv_;             // idle threads: a task may be taken
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  size_t running_ = 0;                     // guarded by mu_
  size_t blocked_ = 0;                     // guarded by mu_
  size_t idle_ = 0;                        // guarded by mu_: threads waiting on cv_
  bool stopping_ = false;                  // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace accord::http::internal

#endif  // ACCORD_HTTP_INTERNAL_HANDLER_POOL_H_
