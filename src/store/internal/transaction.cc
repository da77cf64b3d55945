#include "store/internal/transaction.h"

#include "common/blocking_region.h"

namespace accord::store::internal {

Status Transact(ConnPool& pool, const TxBody& fn, TxMode mode) {
  DurabilityWait durable;
  Status verdict;
  if (mode == TxMode::kWrite && pool.batcher() != nullptr) {
    verdict = pool.batcher()->Run(fn, &durable);
  } else {
    ConnPool& from = mode == TxMode::kWrite && pool.writer() != nullptr ? *pool.writer() : pool;
    ACCORD_ASSIGN_OR_RETURN(ConnPool::Lease conn, from.Acquire());
    ACCORD_RETURN_IF_ERROR(conn->Begin(mode));
    verdict = FinishTransaction(*conn, fn, &durable);
  }  // the connection goes back to the pool before the wait for the fsync
  ACCORD_RETURN_IF_ERROR(AwaitDurability(std::move(durable)));
  return verdict;
}

Status AwaitDurability(DurabilityWait durable) {
  if (!durable) return Status::Ok();
  // Inside a server's DeferredAck scope the response waits for durability, not this thread.
  DeferredAck::Scope* scope = DeferredAck::Current();
  if (scope != nullptr && durable.notify) {
    scope->Defer(std::move(durable.notify));
    return Status::Ok();
  }
  BlockingRegion waiting;  // for the group fsync thread
  return durable.block();
}

Status FinishTransaction(SqlConn& conn, const TxBody& fn, DurabilityWait* durable,
                         TxOutcome* outcome) {
  TxOutcome ignored = TxOutcome::kCommitted;
  if (outcome == nullptr) outcome = &ignored;
  Status verdict;
  Status status = fn(conn, verdict);
  if (!status.ok()) {
    // A failed rollback leaves the connection unhealthy; the pool then discards it.
    conn.Rollback().IgnoreError();
    *outcome = TxOutcome::kBodyFailed;
    return status;
  }
  Status commit = conn.Commit();
  if (!commit.ok()) {
    conn.Rollback().IgnoreError();
    *outcome = TxOutcome::kCommitFailed;
    return commit;
  }
  *durable = conn.TakeDurabilityWait();
  *outcome = TxOutcome::kCommitted;
  return verdict;
}

}  // namespace accord::store::internal
