#include "store/internal/pool.h"

namespace accord::store::internal {

ConnPool::ConnPool(Factory factory, size_t max_size, std::chrono::milliseconds acquire_timeout)
    : factory_(std::move(factory)), max_size_(max_size), acquire_timeout_(acquire_timeout) {}

ConnPool::Lease::~Lease() {
  if (pool_ != nullptr && conn_ != nullptr) pool_->Release(std::move(conn_));
}

Result<ConnPool::Lease> ConnPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  const bool ready =
      cv_.wait_for(lock, acquire_timeout_, [this] { return !idle_.empty() || open_ < max_size_; });
  if (!ready) {
    return ResourceExhausted("no database connection became free in time", "pool_exhausted");
  }
  if (!idle_.empty()) {
    std::unique_ptr<SqlConn> conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn));
  }
  ++open_;  // reserve the slot, then connect without holding the lock
  lock.unlock();
  Result<std::unique_ptr<SqlConn>> conn = factory_();
  if (!conn.ok()) {
    lock.lock();
    --open_;
    cv_.notify_one();
    return conn.status();
  }
  return Lease(this, std::move(*conn));
}

void ConnPool::Release(std::unique_ptr<SqlConn> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (conn->Healthy()) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
    conn.reset();
  }
  cv_.notify_one();
}

void ConnPool::SetWriterPool(std::unique_ptr<ConnPool> writer, size_t max_batch,
                             std::chrono::microseconds submit_gather) {
  writer_ = std::move(writer);
  batcher_ = writer_ != nullptr && max_batch > 1
                 ? std::make_unique<WriteBatcher>(*writer_, max_batch, submit_gather)
                 : nullptr;
}

}  // namespace accord::store::internal
