#include "common/deferred_ack.h"

namespace accord {
namespace {

thread_local DeferredAck::Scope* current_scope = nullptr;

}  // namespace

DeferredAck::Scope::Scope() : previous_(current_scope) { current_scope = this; }

DeferredAck::Scope::~Scope() { current_scope = previous_; }

DeferredAck::Scope* DeferredAck::Current() { return current_scope; }

}  // namespace accord
