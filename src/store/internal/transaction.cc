#include "store/internal/transaction.h"

namespace accord::store::internal {

Status Transact(ConnPool& pool, const TxBody& fn, TxMode mode) {
  ACCORD_ASSIGN_OR_RETURN(ConnPool::Lease conn, pool.Acquire());
  ACCORD_RETURN_IF_ERROR(conn->Begin(mode));
  Status verdict;
  Status status = fn(*conn, verdict);
  if (!status.ok()) {
    // A failed rollback leaves the connection unhealthy; the pool then discards it.
    conn->Rollback().IgnoreError();
    return status;
  }
  Status commit = conn->Commit();
  if (!commit.ok()) {
    conn->Rollback().IgnoreError();
    return commit;
  }
  return verdict;
}

}  // namespace accord::store::internal
