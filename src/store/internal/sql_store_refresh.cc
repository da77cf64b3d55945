// Refresh-token families: creation, rotation with reuse detection, revocation.
#include <algorithm>

#include "store/internal/sql_store.h"
#include "store/internal/transaction.h"
#include "store/internal/validate.h"

namespace accord::store::internal {
namespace {

constexpr SqlStatement kInsertFamily{
    "rt_family_insert",
    "INSERT INTO refresh_families (family_id, grant_id, client_id, subject, session_id, scope,"
    " dpop_jkt, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
constexpr SqlStatement kInsertToken{
    "rt_token_insert",
    "INSERT INTO refresh_tokens (token_hash, family_id, created_at, expires_at)"
    " VALUES ($1, $2, $3, $4)"};
// The single-use gate for rotation.
constexpr SqlStatement kUseToken{
    "rt_token_use",
    "UPDATE refresh_tokens SET used_at = $2"
    " WHERE token_hash = $1 AND used_at = 0 AND expires_at > $2 RETURNING family_id"};
constexpr SqlStatement kSelectFamily{
    "rt_family_select",
    "SELECT family_id, grant_id, client_id, subject, session_id, scope, dpop_jkt, created_at,"
    " expires_at, revoked_at FROM refresh_families WHERE family_id = $1"};
constexpr SqlStatement kTokenState{
    "rt_token_state",
    "SELECT t.used_at, t.family_id, f.revoked_at FROM refresh_tokens t"
    " JOIN refresh_families f ON f.family_id = t.family_id WHERE t.token_hash = $1"};
constexpr SqlStatement kRevokeFamily{
    "rt_family_revoke",
    "UPDATE refresh_families SET revoked_at = $2 WHERE family_id = $1 AND revoked_at = 0"};
constexpr SqlStatement kFamilyExists{"rt_family_exists",
                                     "SELECT 1 FROM refresh_families WHERE family_id = $1"};
constexpr SqlStatement kRevokeGrant{
    "rt_grant_revoke",
    "UPDATE refresh_families SET revoked_at = $2 WHERE grant_id = $1 AND revoked_at = 0"};

}  // namespace

Status ReadRefreshFamily(const Row& row, RefreshFamily* f) {
  RowReader r(row);
  f->family_id = r.Text();
  f->grant_id = r.Text();
  f->client_id = r.Text();
  f->subject = r.Text();
  f->session_id = r.Text();
  f->scope = r.Text();
  f->dpop_jkt = r.Text();
  f->created_at = r.Int();
  f->expires_at = r.Int();
  f->revoked_at = r.Int();
  return r.status();
}

namespace {

// Revokes the family (idempotent); NotFound "not_found" if it does not exist.
Status RevokeFamily(SqlConn& conn, const std::string& family_id, int64_t now) {
  ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kRevokeFamily, {family_id, now}));
  if (r.affected > 0) return Status::Ok();
  ACCORD_ASSIGN_OR_RETURN(SqlResult exists, conn.Exec(kFamilyExists, {family_id}));
  if (exists.rows.empty()) return NotFound("unknown refresh token family", "not_found");
  return Status::Ok();
}

}  // namespace

Status SqlStore::CreateRefreshFamily(const RefreshFamily& f, const TokenHash& first_token,
                                     int64_t token_expires_at) {
  ACCORD_RETURN_IF_ERROR(CheckHash(first_token, "refresh token hash"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(f.family_id, kMaxIdentifierBytes, "family_id"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(f.grant_id, kMaxIdentifierBytes, "grant_id"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(f.client_id, kMaxIdentifierBytes, "client_id"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(f.subject, kMaxIdentifierBytes, "subject"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(f.session_id, kMaxIdentifierBytes, "session_id"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(f.scope, kMaxTextBytes, "scope"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(f.dpop_jkt, kMaxIdentifierBytes, "dpop_jkt"));
  ACCORD_RETURN_IF_ERROR(CheckLifetime(f.created_at, f.expires_at, 0, "refresh family"));
  const int64_t token_expiry = std::min(token_expires_at, f.expires_at);
  ACCORD_RETURN_IF_ERROR(CheckLifetime(f.created_at, token_expiry, 0, "refresh token"));
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_RETURN_IF_ERROR(
        conn.Exec(kInsertFamily, {f.family_id, f.grant_id, f.client_id, f.subject, f.session_id,
                                  f.scope, f.dpop_jkt, f.created_at, f.expires_at})
            .status());
    return conn.Exec(kInsertToken, {first_token, f.family_id, f.created_at, token_expiry}).status();
  });
}

Result<RefreshFamily> SqlStore::RotateRefreshToken(const TokenHash& presented,
                                                   const TokenHash& replacement,
                                                   int64_t replacement_expires_at, int64_t now,
                                                   std::string* reused_family_id) {
  ACCORD_RETURN_IF_ERROR(CheckHash(presented, "refresh token hash"));
  ACCORD_RETURN_IF_ERROR(CheckHash(replacement, "refresh token hash"));
  if (presented == replacement) {
    return InvalidArgument("replacement refresh token equals the presented one", "bad_value");
  }
  RefreshFamily family;
  Status status = Transact(*pool_, [&](SqlConn& conn, Status& verdict) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult won, conn.Exec(kUseToken, {presented, now}));
    if (won.rows.size() == 1) {
      RowReader r(won.rows[0]);
      const std::string family_id = r.Text();
      ACCORD_RETURN_IF_ERROR(r.status());
      ACCORD_ASSIGN_OR_RETURN(SqlResult fr, conn.Exec(kSelectFamily, {family_id}));
      if (fr.rows.empty()) return DataLoss("refresh token without family", "corrupt");
      ACCORD_RETURN_IF_ERROR(ReadRefreshFamily(fr.rows[0], &family));
      // Returning an error rolls back the use mark: a revoked or expired family stays as it is.
      if (family.revoked_at != 0) {
        return FailedPrecondition("refresh token family is revoked", "revoked");
      }
      if (family.expires_at <= now) {
        return FailedPrecondition("refresh token family has expired", "expired");
      }
      const int64_t expiry = std::min(replacement_expires_at, family.expires_at);
      ACCORD_RETURN_IF_ERROR(CheckLifetime(now, expiry, 0, "refresh token"));
      return conn.Exec(kInsertToken, {replacement, family_id, now, expiry}).status();
    }
    ACCORD_ASSIGN_OR_RETURN(SqlResult state, conn.Exec(kTokenState, {presented}));
    if (state.rows.empty()) {
      verdict = NotFound("unknown refresh token", "not_found");
      return Status::Ok();
    }
    RowReader r(state.rows[0]);
    const int64_t used_at = r.Int();
    const std::string family_id = r.Text();
    const int64_t revoked_at = r.Int();
    ACCORD_RETURN_IF_ERROR(r.status());
    if (used_at != 0) {
      // Reuse: someone holds a stale token. Revoke the whole family and commit that.
      ACCORD_RETURN_IF_ERROR(RevokeFamily(conn, family_id, now));
      if (reused_family_id != nullptr) *reused_family_id = family_id;
      verdict = FailedPrecondition("refresh token was already used", "refresh_token_reused");
    } else if (revoked_at != 0) {
      verdict = FailedPrecondition("refresh token family is revoked", "revoked");
    } else {
      verdict = FailedPrecondition("refresh token has expired", "expired");
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return family;
}

Status SqlStore::RevokeRefreshFamily(std::string_view family_id, int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(family_id, kMaxIdentifierBytes, "family_id"));
  const std::string id(family_id);
  return Transact(*pool_, [&](SqlConn& conn, Status&) { return RevokeFamily(conn, id, now); });
}

Status SqlStore::RevokeRefreshToken(const TokenHash& token_hash, int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckHash(token_hash, "refresh token hash"));
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult state, conn.Exec(kTokenState, {token_hash}));
    if (state.rows.empty()) return NotFound("unknown refresh token", "not_found");
    RowReader r(state.rows[0]);
    r.Int();
    const std::string family_id = r.Text();
    ACCORD_RETURN_IF_ERROR(r.status());
    return RevokeFamily(conn, family_id, now);
  });
}

Result<int64_t> SqlStore::RevokeGrant(std::string_view grant_id, int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(grant_id, kMaxIdentifierBytes, "grant_id"));
  int64_t revoked = 0;
  ACCORD_RETURN_IF_ERROR(Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kRevokeGrant, {std::string(grant_id), now}));
    revoked = r.affected;
    return Status::Ok();
  }));
  return revoked;
}

}  // namespace accord::store::internal
