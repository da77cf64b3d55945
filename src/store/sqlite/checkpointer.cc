#include "store/sqlite/checkpointer.h"

#include <utility>

#include "store/sqlite/sqlite_conn.h"

namespace accord::store::sqlite {

Checkpointer::Checkpointer(std::string path, int frames)
    : path_(std::move(path)), frames_(frames < 1 ? 1 : frames) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Checkpointer::OnCommit(int wal_frames) {
  wal_frames_.store(wal_frames, std::memory_order_relaxed);
  if (wal_frames < frames_) return false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return true;
    requested_ = true;
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
  }
  cv_.notify_one();
  return wal_frames >= 2 * frames_;
}

void Checkpointer::Loop() {
  std::unique_ptr<SqliteConn> conn;  // opened on first use, closed when the thread ends
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || requested_; });
    if (stop_) return;
    requested_ = false;
    lock.unlock();
    Status done = Status::Ok();
    if (conn == nullptr) {
      auto opened = SqliteConn::Open(path_, 0, nullptr);
      if (opened.ok()) {
        conn = std::move(*opened);
      } else {
        done = opened.status();
      }
    }
    if (conn != nullptr) done = conn->CheckpointPassive();
    if (!done.ok() && conn != nullptr && !conn->Healthy()) conn.reset();
    lock.lock();
    if (done.ok()) {
      ++checkpoints_;
    } else {
      ++failures_;  // the next commit past the threshold asks again
    }
  }
}

void Checkpointer::RecordInline(bool ok) {
  (ok ? inline_checkpoints_ : inline_failures_).fetch_add(1, std::memory_order_relaxed);
}

uint64_t Checkpointer::checkpoints() const {
  std::lock_guard<std::mutex> lock(mu_);
  return checkpoints_;
}

uint64_t Checkpointer::failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

}  // namespace accord::store::sqlite
