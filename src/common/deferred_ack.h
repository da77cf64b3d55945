// DeferredAck: lets a write be acknowledged once it is durable without blocking the thread that
// made it (group commit without a thread parked per request).
//
// A server installs a DeferredAck::Scope around a handler call. A store whose commits become
// durable later (SQLite's group fsync) then calls Defer() with a function that starts waiting
// for that commit's durability and calls its callback once (OK: durable; error: the commit may be
// lost), from any thread. After the handler returns, the server takes the deferred waits, starts
// them and sends the response only when every one has reported OK (else an error answer). Without
// a scope on the thread, Current() is null and the store blocks as before.
//
// Thread safety: a Scope belongs to the thread that created it (thread-local, not shared); the
// callbacks run on whatever thread completes the wait and must only hand work back (post).
#ifndef ACCORD_COMMON_DEFERRED_ACK_H_
#define ACCORD_COMMON_DEFERRED_ACK_H_

#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "common/status.h"

namespace accord {

class DeferredAck {
 public:
  using Callback = std::function<void(Status)>;
  using Wait = std::function<void(Callback)>;  // starts the wait; calls back exactly once

  // Installs itself as the calling thread's current scope until destroyed (nests).
  class Scope {
   public:
    Scope();
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

    void Defer(Wait wait) { waits_.push_back(std::move(wait)); }
    std::vector<Wait> Take() { return std::exchange(waits_, {}); }

   private:
    Scope* previous_;
    std::vector<Wait> waits_;
  };

  // The calling thread's innermost scope, or null.
  static Scope* Current();

  // A verdict reached on another thread, before or after the server starts waiting for it:
  // Settle() stores it or hands it to the callback already waiting; wait() (Defer it) calls back
  // with it at once if settled, else when it is. Settle once; later calls are ignored.
  class Verdict {
   public:
    static std::shared_ptr<Verdict> Create() { return std::make_shared<Verdict>(); }
    void Settle(Status status);
    // What to pass to Scope::Defer.
    static Wait WaitFor(std::shared_ptr<Verdict> verdict);

   private:
    std::mutex mu_;
    bool settled_ = false;  // guarded by mu_
    Status status_;         // guarded by mu_
    Callback waiting_;      // guarded by mu_
  };
};

}  // namespace accord

#endif  // ACCORD_COMMON_DEFERRED_ACK_H_
