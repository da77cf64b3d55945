// BlockingRegion: marks a stretch of code where the calling thread waits on something outside
// the process's CPU work (the network, a remote database, another thread's fsync), so that a pool
// that bounds how many of its tasks run at once (http/internal/handler_pool.h) can start another
// task meanwhile.
//
//   {
//     BlockingRegion waiting;           // this thread no longer counts as running
//     auto r = future.wait_for(timeout);
//   }                                    // counts again
//
// A thread without a listener (not a pool thread) pays one thread-local read. Regions nest: only
// the outermost one notifies the listener. Mark waits on things that another *queued* task might
// have to produce (an HTTP call to this very process, for instance): a bounded pool whose running
// tasks all waited on queued ones unmarked would stall until their timeouts.
//
// Thread safety: the listener and the nesting depth are per thread; a listener's Enter/Leave are
// called on the thread that installed it and must be safe against the pool's other threads.
#ifndef ACCORD_COMMON_BLOCKING_REGION_H_
#define ACCORD_COMMON_BLOCKING_REGION_H_

namespace accord {

class BlockingRegion {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void EnterBlocking() = 0;  // the thread is about to wait
    virtual void LeaveBlocking() = 0;  // the thread runs again
  };

  BlockingRegion();
  ~BlockingRegion();
  BlockingRegion(const BlockingRegion&) = delete;
  BlockingRegion& operator=(const BlockingRegion&) = delete;

  // Installs `listener` (may be null) for the calling thread; returns the previous one.
  static Listener* SetThreadListener(Listener* listener);
  // True inside a region on this thread (tests).
  static bool Inside();
};

}  // namespace accord

#endif  // ACCORD_COMMON_BLOCKING_REGION_H_
