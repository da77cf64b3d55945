// The back-channel logout delivery queue: queued, claimed with a lease, retried, never blocking.
#include <algorithm>

#include "store/internal/sql_store.h"
#include "store/internal/transaction.h"
#include "store/internal/validate.h"

namespace accord::store::internal {
namespace {

constexpr int kMaxClaim = 1000;
constexpr int64_t kMaxLeaseSeconds = 86400;

constexpr SqlStatement kInsert{
    "logout_insert",
    "INSERT INTO logout_queue (client_id, endpoint, logout_token, attempts, next_attempt_at,"
    " created_at, expires_at) VALUES ($1, $2, $3, 0, $4, $5, $6) RETURNING id"};
// Claims due rows and pushes them a lease into the future. PostgreSQL skips rows another worker
// is claiming; SQLite's write lock serialises claimers.
constexpr SqlStatement kClaim{
    "logout_claim",
    "UPDATE logout_queue SET attempts = attempts + 1, next_attempt_at = $2"
    " WHERE id IN (SELECT id FROM logout_queue WHERE next_attempt_at <= $1 AND expires_at > $1"
    " ORDER BY next_attempt_at, id LIMIT $3)"
    " RETURNING id, client_id, endpoint, logout_token, attempts, next_attempt_at, created_at,"
    " expires_at",
    "UPDATE logout_queue SET attempts = attempts + 1, next_attempt_at = $2"
    " WHERE id IN (SELECT id FROM logout_queue WHERE next_attempt_at <= $1 AND expires_at > $1"
    " ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)"
    " RETURNING id, client_id, endpoint, logout_token, attempts, next_attempt_at, created_at,"
    " expires_at"};
constexpr SqlStatement kDelete{"logout_delete", "DELETE FROM logout_queue WHERE id = $1"};
constexpr SqlStatement kReschedule{"logout_reschedule",
                                   "UPDATE logout_queue SET next_attempt_at = $2 WHERE id = $1"};

}  // namespace

Result<int64_t> SqlStore::EnqueueLogout(const LogoutDelivery& d) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(d.client_id, kMaxIdentifierBytes, "client_id"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(d.endpoint, kMaxIdentifierBytes, "endpoint"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(d.logout_token, kMaxTextBytes, "logout_token"));
  ACCORD_RETURN_IF_ERROR(CheckLifetime(d.created_at, d.expires_at, 0, "logout delivery"));
  int64_t id = 0;
  ACCORD_RETURN_IF_ERROR(Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_ASSIGN_OR_RETURN(
        SqlResult r, conn.Exec(kInsert, {d.client_id, d.endpoint, d.logout_token, d.next_attempt_at,
                                         d.created_at, d.expires_at}));
    if (r.rows.size() != 1) return Internal("insert returned no id", "db_error");
    RowReader reader(r.rows[0]);
    id = reader.Int();
    return reader.status();
  }));
  return id;
}

Result<std::vector<LogoutDelivery>> SqlStore::ClaimDueLogouts(int64_t now, int limit,
                                                              int64_t lease_seconds) {
  if (limit < 1 || limit > kMaxClaim) {
    return InvalidArgument("claim limit must be 1..1000", "bad_value");
  }
  if (lease_seconds < 1 || lease_seconds > kMaxLeaseSeconds) {
    return InvalidArgument("lease must be 1..86400 seconds", "bad_value");
  }
  std::vector<LogoutDelivery> out;
  ACCORD_RETURN_IF_ERROR(Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_ASSIGN_OR_RETURN(
        SqlResult r, conn.Exec(kClaim, {now, now + lease_seconds, static_cast<int64_t>(limit)}));
    for (const Row& row : r.rows) {
      RowReader reader(row);
      LogoutDelivery d;
      d.id = reader.Int();
      d.client_id = reader.Text();
      d.endpoint = reader.Text();
      d.logout_token = reader.Text();
      d.attempts = reader.Int();
      d.next_attempt_at = reader.Int();
      d.created_at = reader.Int();
      d.expires_at = reader.Int();
      ACCORD_RETURN_IF_ERROR(reader.status());
      out.push_back(std::move(d));
    }
    return Status::Ok();
  }));
  std::sort(out.begin(), out.end(),
            [](const LogoutDelivery& a, const LogoutDelivery& b) { return a.id < b.id; });
  return out;
}

Status SqlStore::CompleteLogout(int64_t id) {
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kDelete, {id}));
    if (r.affected == 0) return NotFound("unknown logout delivery", "not_found");
    return Status::Ok();
  });
}

Status SqlStore::RescheduleLogout(int64_t id, int64_t next_attempt_at) {
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kReschedule, {id, next_attempt_at}));
    if (r.affected == 0) return NotFound("unknown logout delivery", "not_found");
    return Status::Ok();
  });
}

}  // namespace accord::store::internal
