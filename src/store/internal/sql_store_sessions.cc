// Browser login sessions, keyed by the hash of the cookie secret.
#include "store/internal/sql_store.h"
#include "store/internal/transaction.h"
#include "store/internal/validate.h"

namespace accord::store::internal {
namespace {

constexpr SqlStatement kInsert{
    "session_insert",
    "INSERT INTO sessions (secret_hash, sid, subject, auth_time, acr, amr, upstream, created_at,"
    " expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
constexpr SqlStatement kSelect{
    "session_select",
    "SELECT sid, subject, auth_time, acr, amr, upstream, created_at, expires_at"
    " FROM sessions WHERE secret_hash = $1"};
constexpr SqlStatement kDelete{
    "session_delete",
    "DELETE FROM sessions WHERE secret_hash = $1"
    " RETURNING sid, subject, auth_time, acr, amr, upstream, created_at, expires_at"};

Status ReadSession(const Row& row, const TokenHash& hash, Session* s) {
  RowReader r(row);
  s->secret_hash = hash;
  s->sid = r.Text();
  s->subject = r.Text();
  s->auth_time = r.Int();
  s->acr = r.Text();
  s->amr = SplitWords(r.Text());
  s->upstream = r.Text();
  s->created_at = r.Int();
  s->expires_at = r.Int();
  return r.status();
}

}  // namespace

Status SqlStore::CreateSession(const Session& s) {
  ACCORD_RETURN_IF_ERROR(CheckHash(s.secret_hash, "session secret hash"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(s.sid, kMaxIdentifierBytes, "sid"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(s.subject, kMaxIdentifierBytes, "subject"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(s.acr, kMaxIdentifierBytes, "acr"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(s.upstream, kMaxIdentifierBytes, "upstream"));
  ACCORD_RETURN_IF_ERROR(CheckLifetime(s.created_at, s.expires_at, 0, "session"));
  ACCORD_ASSIGN_OR_RETURN(std::string amr, JoinWords(s.amr, "amr"));
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    return conn
        .Exec(kInsert, {s.secret_hash, s.sid, s.subject, s.auth_time, s.acr, amr, s.upstream,
                        s.created_at, s.expires_at})
        .status();
  });
}

Result<Session> SqlStore::GetSession(const TokenHash& secret_hash, int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckHash(secret_hash, "session secret hash"));
  Session s;
  Status status = Transact(
      *pool_,
      [&](SqlConn& conn, Status& verdict) {
        ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kSelect, {secret_hash}));
        if (r.rows.empty()) {
          verdict = NotFound("unknown session", "not_found");
          return Status::Ok();
        }
        ACCORD_RETURN_IF_ERROR(ReadSession(r.rows[0], secret_hash, &s));
        if (s.expires_at <= now) verdict = FailedPrecondition("session has expired", "expired");
        return Status::Ok();
      },
      TxMode::kRead);
  if (!status.ok()) return status;
  return s;
}

Result<Session> SqlStore::DeleteSession(const TokenHash& secret_hash) {
  ACCORD_RETURN_IF_ERROR(CheckHash(secret_hash, "session secret hash"));
  Session s;
  Status status = Transact(*pool_, [&](SqlConn& conn, Status& verdict) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kDelete, {secret_hash}));
    if (r.rows.empty()) {
      verdict = NotFound("unknown session", "not_found");
      return Status::Ok();
    }
    return ReadSession(r.rows[0], secret_hash, &s);
  });
  if (!status.ok()) return status;
  return s;
}

}  // namespace accord::store::internal
