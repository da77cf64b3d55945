#include "common/deferred_ack.h"

namespace accord {
namespace {

thread_local DeferredAck::Scope* current_scope = nullptr;

}  // namespace

DeferredAck::Scope::Scope() : previous_(current_scope) { current_scope = this; }

DeferredAck::Scope::~Scope() { current_scope = previous_; }

DeferredAck::Scope* DeferredAck::Current() { return current_scope; }

void DeferredAck::Verdict::Settle(Status status) {
  Callback callback;
  {
    std::lock_guard lock(mu_);
    if (settled_) return;
    settled_ = true;
    if (!waiting_) {
      status_ = std::move(status);
      return;
    }
    callback = std::move(waiting_);
  }
  callback(std::move(status));
}

DeferredAck::Wait DeferredAck::Verdict::WaitFor(std::shared_ptr<Verdict> verdict) {
  return [verdict = std::move(verdict)](Callback callback) {
    {
      std::lock_guard lock(verdict->mu_);
      if (!verdict->settled_) {
        verdict->waiting_ = std::move(callback);
        return;
      }
    }
    callback(verdict->status_);  // settled: status_ no longer changes
  };
}

}  // namespace accord
