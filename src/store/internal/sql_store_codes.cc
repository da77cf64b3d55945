// Authorization codes and pushed authorization requests: single-use records.
#include "store/internal/sql_store.h"
#include "store/internal/transaction.h"
#include "store/internal/validate.h"

namespace accord::store::internal {
namespace {

constexpr SqlStatement kInsertCode{
    "code_insert",
    "INSERT INTO auth_codes (code_hash, grant_id, client_id, subject, session_id, redirect_uri,"
    " scope, nonce, code_challenge, dpop_jkt, claims_json, auth_time, issued_at, expires_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"};
// The single-use gate: only one caller can flip consumed_at from 0.
constexpr SqlStatement kConsumeCode{
    "code_consume",
    "UPDATE auth_codes SET consumed_at = $2"
    " WHERE code_hash = $1 AND consumed_at = 0 AND expires_at > $2"
    " RETURNING grant_id, client_id, subject, session_id, redirect_uri, scope, nonce,"
    " code_challenge, dpop_jkt, claims_json, auth_time, issued_at, expires_at"};
// Same SQL as AddSessionClient (sql_store_sessions.cc): keeps the later expiry.
constexpr SqlStatement kCodeSessionClient{
    "code_session_client_add",
    "INSERT INTO session_clients (sid, client_id, expires_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (sid, client_id) DO UPDATE SET expires_at = excluded.expires_at"
    " WHERE session_clients.expires_at < excluded.expires_at"};
constexpr SqlStatement kCodeState{
    "code_state", "SELECT consumed_at, grant_id FROM auth_codes WHERE code_hash = $1"};

constexpr SqlStatement kInsertPar{
    "par_insert",
    "INSERT INTO pushed_requests (request_uri, client_id, params_json, created_at, expires_at)"
    " VALUES ($1, $2, $3, $4, $5)"};
// Outcome by changed-row count, then the row read back: RETURNING costs SQLite a temporary
// b-tree per statement.
constexpr SqlStatement kConsumePar{"par_consume",
                                   "UPDATE pushed_requests SET consumed_at = $2"
                                   " WHERE request_uri = $1 AND consumed_at = 0 AND expires_at > $2"};
constexpr SqlStatement kConsumedPar{
    "par_read",
    "SELECT client_id, params_json, created_at, expires_at FROM pushed_requests"
    " WHERE request_uri = $1"};
constexpr SqlStatement kParState{"par_state",
                                 "SELECT consumed_at FROM pushed_requests WHERE request_uri = $1"};

Status CheckAuthCode(const AuthCode& c) {
  ACCORD_RETURN_IF_ERROR(CheckHash(c.code_hash, "code hash"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(c.grant_id, kMaxIdentifierBytes, "grant_id"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(c.client_id, kMaxIdentifierBytes, "client_id"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(c.subject, kMaxIdentifierBytes, "subject"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(c.session_id, kMaxIdentifierBytes, "session_id"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(c.redirect_uri, kMaxIdentifierBytes, "redirect_uri"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(c.scope, kMaxTextBytes, "scope"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(c.nonce, kMaxIdentifierBytes, "nonce"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(c.code_challenge, kMaxIdentifierBytes, "code_challenge"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(c.dpop_jkt, kMaxIdentifierBytes, "dpop_jkt"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(c.claims_json, kMaxTextBytes, "claims_json"));
  return CheckLifetime(c.issued_at, c.expires_at, kMaxAuthCodeLifetimeSeconds, "code");
}

}  // namespace

Status SqlStore::SaveAuthCode(const AuthCode& c) {
  ACCORD_RETURN_IF_ERROR(CheckAuthCode(c));
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_RETURN_IF_ERROR(
        conn.Exec(kInsertCode, {c.code_hash, c.grant_id, c.client_id, c.subject, c.session_id,
                                c.redirect_uri, c.scope, c.nonce, c.code_challenge, c.dpop_jkt,
                                c.claims_json, c.auth_time, c.issued_at, c.expires_at})
            .status());
    if (c.session_client_expires_at <= c.issued_at || c.session_id.empty()) return Status::Ok();
    return conn.Exec(kCodeSessionClient, {c.session_id, c.client_id, c.session_client_expires_at})
        .status();
  });
}

Result<AuthCode> SqlStore::ConsumeAuthCode(const TokenHash& code_hash, int64_t now,
                                           std::string* reused_grant_id) {
  ACCORD_RETURN_IF_ERROR(CheckHash(code_hash, "code hash"));
  AuthCode code;
  Status status = Transact(*pool_, [&](SqlConn& conn, Status& verdict) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult won, conn.Exec(kConsumeCode, {code_hash, now}));
    if (won.rows.size() == 1) {
      RowReader r(won.rows[0]);
      code.code_hash = code_hash;
      code.grant_id = r.Text();
      code.client_id = r.Text();
      code.subject = r.Text();
      code.session_id = r.Text();
      code.redirect_uri = r.Text();
      code.scope = r.Text();
      code.nonce = r.Text();
      code.code_challenge = r.Text();
      code.dpop_jkt = r.Text();
      code.claims_json = r.Text();
      code.auth_time = r.Int();
      code.issued_at = r.Int();
      code.expires_at = r.Int();
      return r.status();
    }
    ACCORD_ASSIGN_OR_RETURN(SqlResult state, conn.Exec(kCodeState, {code_hash}));
    if (state.rows.empty()) {
      verdict = NotFound("unknown authorization code", "not_found");
      return Status::Ok();
    }
    RowReader r(state.rows[0]);
    const int64_t consumed_at = r.Int();
    std::string grant_id = r.Text();
    ACCORD_RETURN_IF_ERROR(r.status());
    if (consumed_at != 0) {
      if (reused_grant_id != nullptr) *reused_grant_id = std::move(grant_id);
      verdict = FailedPrecondition("authorization code was already used", "code_reused");
    } else {
      verdict = FailedPrecondition("authorization code has expired", "expired");
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return code;
}

Status SqlStore::SavePushedRequest(const PushedRequest& p) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(p.request_uri, kMaxIdentifierBytes, "request_uri"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(p.client_id, kMaxIdentifierBytes, "client_id"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(p.params_json, kMaxJsonBytes, "params_json"));
  ACCORD_RETURN_IF_ERROR(
      CheckLifetime(p.created_at, p.expires_at, kMaxPushedRequestLifetimeSeconds, "request"));
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    return conn
        .Exec(kInsertPar, {p.request_uri, p.client_id, p.params_json, p.created_at, p.expires_at})
        .status();
  });
}

Result<PushedRequest> SqlStore::ConsumePushedRequest(std::string_view request_uri, int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(request_uri, kMaxIdentifierBytes, "request_uri"));
  PushedRequest p;
  p.request_uri = std::string(request_uri);
  Status status = Transact(*pool_, [&](SqlConn& conn, Status& verdict) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult won, conn.Exec(kConsumePar, {p.request_uri, now}));
    if (won.affected == 1) {
      ACCORD_ASSIGN_OR_RETURN(SqlResult row, conn.Exec(kConsumedPar, {p.request_uri}));
      if (row.rows.size() != 1) return Internal("consumed request_uri not found", "db_error");
      RowReader r(row.rows[0]);
      p.client_id = r.Text();
      p.params_json = r.Text();
      p.created_at = r.Int();
      p.expires_at = r.Int();
      return r.status();
    }
    ACCORD_ASSIGN_OR_RETURN(SqlResult state, conn.Exec(kParState, {p.request_uri}));
    if (state.rows.empty()) {
      verdict = NotFound("unknown request_uri", "not_found");
    } else {
      RowReader r(state.rows[0]);
      const int64_t consumed_at = r.Int();
      ACCORD_RETURN_IF_ERROR(r.status());
      verdict = consumed_at != 0
                    ? FailedPrecondition("request_uri was already used", "already_used")
                    : FailedPrecondition("request_uri has expired", "expired");
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return p;
}

}  // namespace accord::store::internal
