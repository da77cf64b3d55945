// Transact: runs one Store operation as one database transaction on a pooled connection.
//
// fn runs between BEGIN and COMMIT. If fn returns an error the transaction is rolled back and the
// error returned. If fn returns OK the transaction is committed and then `verdict` is returned:
// an operation sets it to report a protocol error while keeping its writes (a reused refresh token
// revokes its family and still fails). A failed COMMIT is returned instead of the verdict.
// Where the pool batches writes (ConnPool::batcher()), fn may share its transaction with other
// callers' bodies, each in its own savepoint, with the same outcome for each (write_batcher.h).
#ifndef ACCORD_STORE_INTERNAL_TRANSACTION_H_
#define ACCORD_STORE_INTERNAL_TRANSACTION_H_

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/internal/pool.h"
#include "store/internal/sql.h"

namespace accord::store::internal {

// TxBody (write_batcher.h): Status(SqlConn& conn, Status& verdict).
Status Transact(ConnPool& pool, const TxBody& fn, TxMode mode = TxMode::kWrite);

// Waits for `durable` (if set): inside a server's DeferredAck scope the response waits instead
// of this thread (common/deferred_ack.h); elsewhere it blocks until durable or failed.
Status AwaitDurability(DurabilityWait durable);

// One read transaction running `exec` (SqlConn& -> Result<SqlResult>: a statement whose rows
// are one text column each); returns those texts in row order.
template <typename Exec>
Result<std::vector<std::string>> ReadTexts(ConnPool& pool, Exec exec) {
  std::vector<std::string> out;
  ACCORD_RETURN_IF_ERROR(Transact(
      pool,
      [&](SqlConn& conn, Status&) {
        ACCORD_ASSIGN_OR_RETURN(SqlResult r, exec(conn));
        for (const Row& row : r.rows) {
          RowReader reader(row);
          out.push_back(reader.Text());
          ACCORD_RETURN_IF_ERROR(reader.status());
        }
        return Status::Ok();
      },
      TxMode::kRead));
  return out;
}

// The part of Transact after BEGIN, shared with the write batcher's lone caller: runs fn on
// `conn` (in a transaction it has begun), then commits, or rolls back if fn or COMMIT fails.
// Returns fn's error, the COMMIT's error or the verdict; after a COMMIT `*durable` is what to
// wait for before acknowledging. `*outcome` (if given) tells which of the three it was, since a
// verdict and an error look alike to the caller (the write batcher's statistics).
enum class TxOutcome { kCommitted, kBodyFailed, kCommitFailed };
Status FinishTransaction(SqlConn& conn, const TxBody& fn, DurabilityWait* durable,
                         TxOutcome* outcome = nullptr);

}  // namespace accord::store::internal

#endif  // ACCORD_STORE_INTERNAL_TRANSACTION_H_
