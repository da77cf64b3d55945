#include "common/blocking_region.h"

namespace accord {
namespace {

thread_local BlockingRegion::Listener* thread_listener = nullptr;
thread_local int depth = 0;

}  // namespace

BlockingRegion::BlockingRegion() {
  if (depth++ == 0 && thread_listener != nullptr) thread_listener->EnterBlocking();
}

BlockingRegion::~BlockingRegion() {
  if (--depth == 0 && thread_listener != nullptr) thread_listener->LeaveBlocking();
}

BlockingRegion::Listener* BlockingRegion::SetThreadListener(Listener* listener) {
  Listener* previous = thread_listener;
  thread_listener = listener;
  return previous;
}

bool BlockingRegion::Inside() { return depth > 0; }

}  // namespace accord
