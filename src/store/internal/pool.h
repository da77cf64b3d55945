// ConnPool: a bounded pool of SqlConn shared by the threads that call the Store.
//
// Connections are opened lazily up to max_size. Acquire() blocks until one is free or the timeout
// passes (ResourceExhausted "pool_exhausted"). A Lease gives one thread exclusive use of a
// connection and returns it on destruction; unhealthy connections are closed instead of reused.
//
// Thread safety: Acquire() may be called from any thread. The pool must outlive its leases.
#ifndef ACCORD_STORE_INTERNAL_POOL_H_
#define ACCORD_STORE_INTERNAL_POOL_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "common/status.h"
#include "store/internal/sql.h"
#include "store/internal/write_batcher.h"

namespace accord::store::internal {

class ConnPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<SqlConn>>()>;

  ConnPool(Factory factory, size_t max_size, std::chrono::milliseconds acquire_timeout);
  ConnPool(const ConnPool&) = delete;
  ConnPool& operator=(const ConnPool&) = delete;

  class Lease {
   public:
    Lease(ConnPool* pool, std::unique_ptr<SqlConn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    SqlConn& operator*() const { return *conn_; }
    SqlConn* operator->() const { return conn_.get(); }

   private:
    ConnPool* pool_;
    std::unique_ptr<SqlConn> conn_;
  };

  Result<Lease> Acquire();

  // Write transactions (Transact with TxMode::kWrite) then run on `writer` instead: SQLite keeps
  // one writer connection whose page cache stays warm, since no other connection writes (another
  // connection's commit empties a connection's cache). Call before the pool is shared.
  // With `max_batch` > 1, concurrent write transactions share one transaction on the writer
  // (write_batcher.h), up to max_batch bodies each; submitted bodies wait up to `submit_gather`
  // for company.
  void SetWriterPool(std::unique_ptr<ConnPool> writer, size_t max_batch = 1,
                     std::chrono::microseconds submit_gather = std::chrono::microseconds(0));
  ConnPool* writer() const { return writer_.get(); }
  WriteBatcher* batcher() const { return batcher_.get(); }

 private:
  void Release(std::unique_ptr<SqlConn> conn);

  const Factory factory_;
  const size_t max_size_;
  const std::chrono::milliseconds acquire_timeout_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<SqlConn>> idle_;  // guarded by mu_
  size_t open_ = 0;                             // guarded by mu_: idle + leased
  std::unique_ptr<ConnPool> writer_;            // set before use, then read-only
  std::unique_ptr<WriteBatcher> batcher_;       // idem; null unless batching
};

}  // namespace accord::store::internal

#endif  // ACCORD_STORE_INTERNAL_POOL_H_
