#include "http/internal/handler_pool.h"

#include <algorithm>
#include <utility>

namespace accord::http::internal {

HandlerPool::HandlerPool(size_t threads, size_t concurrency)
    : concurrency_(std::clamp<size_t>(concurrency, 1, std::max<size_t>(threads, 1))) {
  threads = std::max<size_t>(threads, 1);
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

HandlerPool::~HandlerPool() { Join(); }

void HandlerPool::Post(std::function<void()> task) {
  std::lock_guard lock(mu_);
  if (stopping_) return;
  queue_.push_back(std::move(task));
  // A thread that finishes a task takes the next one itself; wake one only when a slot is free.
  if (running_ < concurrency_ && idle_ > 0) cv_.notify_one();
}

void HandlerPool::Join() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void HandlerPool::Loop() {
  BlockingRegion::SetThreadListener(this);
  std::unique_lock lock(mu_);
  for (;;) {
    if (!queue_.empty() && running_ < concurrency_) {
      std::function<void()> task = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
      lock.unlock();
      task();
      task = nullptr;  // destroy what it captured outside the lock
      lock.lock();
      --running_;
      continue;
    }
    if (stopping_ && queue_.empty()) {
      cv_.notify_all();  // the others may be waiting for a slot that no task will free now
      break;
    }
    ++idle_;
    cv_.wait(lock);
    --idle_;
  }
  lock.unlock();
  BlockingRegion::SetThreadListener(nullptr);
}

void HandlerPool::EnterBlocking() {
  std::lock_guard lock(mu_);
  --running_;
  ++blocked_;
  if (!queue_.empty() && idle_ > 0) cv_.notify_one();
}

void HandlerPool::LeaveBlocking() {
  std::lock_guard lock(mu_);
  --blocked_;
  ++running_;
}

size_t HandlerPool::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

size_t HandlerPool::blocked() const {
  std::lock_guard lock(mu_);
  return blocked_;
}

size_t HandlerPool::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

}  // namespace accord::http::internal
