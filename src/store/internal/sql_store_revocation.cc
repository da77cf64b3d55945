// Revocation outside rotation: RFC 7009 (a client revokes its own refresh token) and logout
// (every family issued in a browser session).
#include "store/internal/sql_store.h"
#include "store/internal/transaction.h"
#include "store/internal/validate.h"

namespace accord::store::internal {
namespace {

constexpr SqlStatement kFamilyOfToken{
    "rv_family_of_token",
    "SELECT f.family_id, f.grant_id, f.client_id, f.subject, f.session_id, f.scope, f.dpop_jkt,"
    " f.created_at, f.expires_at, f.revoked_at FROM refresh_tokens t"
    " JOIN refresh_families f ON f.family_id = t.family_id WHERE t.token_hash = $1",
    "SELECT f.family_id, f.grant_id, f.client_id, f.subject, f.session_id, f.scope, f.dpop_jkt,"
    " f.created_at, f.expires_at, f.revoked_at FROM refresh_tokens t"
    " JOIN refresh_families f ON f.family_id = t.family_id WHERE t.token_hash = $1"
    " FOR UPDATE OF f"};
constexpr SqlStatement kRevokeFamily{
    "rv_family_revoke",
    "UPDATE refresh_families SET revoked_at = $2 WHERE family_id = $1 AND revoked_at = 0"};
constexpr SqlStatement kRevokeSession{
    "rv_session_revoke",
    "UPDATE refresh_families SET revoked_at = $2 WHERE session_id = $1 AND revoked_at = 0"};

}  // namespace

Result<RefreshFamily> SqlStore::RevokeRefreshTokenOfClient(const TokenHash& token_hash,
                                                           std::string_view client_id,
                                                           int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckHash(token_hash, "refresh token hash"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(client_id, kMaxIdentifierBytes, "client_id"));
  RefreshFamily family;
  Status status = Transact(*pool_, [&](SqlConn& conn, Status& verdict) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kFamilyOfToken, {token_hash}));
    if (r.rows.empty()) {
      verdict = NotFound("unknown refresh token", "not_found");
      return Status::Ok();
    }
    ACCORD_RETURN_IF_ERROR(ReadRefreshFamily(r.rows[0], &family));
    if (family.client_id != client_id) {
      verdict = PermissionDenied("refresh token belongs to another client", "wrong_client");
      return Status::Ok();
    }
    ACCORD_RETURN_IF_ERROR(conn.Exec(kRevokeFamily, {family.family_id, now}).status());
    if (family.revoked_at == 0) family.revoked_at = now;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return family;
}

Result<int64_t> SqlStore::RevokeSessionFamilies(std::string_view sid, int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(sid, kMaxIdentifierBytes, "sid"));
  int64_t revoked = 0;
  ACCORD_RETURN_IF_ERROR(Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kRevokeSession, {std::string(sid), now}));
    revoked = r.affected;
    return Status::Ok();
  }));
  return revoked;
}

}  // namespace accord::store::internal
