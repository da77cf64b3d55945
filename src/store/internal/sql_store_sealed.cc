// Sealed columns: values the caller sealed (datasec::SealingStore), listed and replaced for
// key-encryption-key rotation. The store never interprets them.
#include <algorithm>

#include "store/internal/sql_store.h"
#include "store/internal/transaction.h"
#include "store/internal/validate.h"

namespace accord::store::internal {
namespace {

struct ColumnSql {
  SqlStatement list;
  SqlStatement replace;
};

// Keyset pagination on the value itself (sealed values are unique: random key and IV each).
constexpr ColumnSql kSessionIdentity{
    {"sealed_list_session_identity",
     "SELECT identity_json FROM sessions WHERE identity_json > $1 ORDER BY identity_json LIMIT $2"},
    {"sealed_replace_session_identity",
     "UPDATE sessions SET identity_json = $2 WHERE identity_json = $1"}};
constexpr ColumnSql kConsentClaims{
    {"sealed_list_consent_claims",
     "SELECT claims_json FROM consents WHERE claims_json > $1 ORDER BY claims_json LIMIT $2"},
    {"sealed_replace_consent_claims",
     "UPDATE consents SET claims_json = $2 WHERE claims_json = $1"}};
constexpr ColumnSql kPushedRequestParams{
    {"sealed_list_par_params",
     "SELECT params_json FROM pushed_requests WHERE params_json > $1 ORDER BY params_json"
     " LIMIT $2"},
    {"sealed_replace_par_params",
     "UPDATE pushed_requests SET params_json = $2 WHERE params_json = $1"}};
constexpr ColumnSql kLogoutToken{
    {"sealed_list_logout_token",
     "SELECT logout_token FROM logout_queue WHERE logout_token > $1 ORDER BY logout_token"
     " LIMIT $2"},
    {"sealed_replace_logout_token",
     "UPDATE logout_queue SET logout_token = $2 WHERE logout_token = $1"}};

Result<const ColumnSql*> Column(SealedColumn column) {
  switch (column) {
    case SealedColumn::kSessionIdentity: return &kSessionIdentity;
    case SealedColumn::kConsentClaims: return &kConsentClaims;
    case SealedColumn::kPushedRequestParams: return &kPushedRequestParams;
    case SealedColumn::kLogoutToken: return &kLogoutToken;
  }
  return InvalidArgument("unknown sealed column", "bad_value");
}

}  // namespace

Result<std::vector<std::string>> SqlStore::ListSealedValues(SealedColumn column,
                                                            std::string_view after, int limit) {
  ACCORD_ASSIGN_OR_RETURN(const ColumnSql* sql, Column(column));
  if (limit < 1 || limit > 1000) return InvalidArgument("limit must be 1..1000", "bad_value");
  ACCORD_RETURN_IF_ERROR(CheckOptional(after, kMaxJsonBytes * 2, "after"));
  return ReadTexts(*pool_, [&](SqlConn& conn) {
    return conn.Exec(sql->list, {std::string(after), static_cast<int64_t>(limit)});
  });
}

Result<int64_t> SqlStore::ReplaceSealedValue(SealedColumn column, std::string_view old_value,
                                             std::string_view new_value) {
  ACCORD_ASSIGN_OR_RETURN(const ColumnSql* sql, Column(column));
  ACCORD_RETURN_IF_ERROR(CheckRequired(old_value, kMaxJsonBytes * 2, "old_value"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(new_value, kMaxJsonBytes * 2, "new_value"));
  int64_t changed = 0;
  ACCORD_RETURN_IF_ERROR(Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_ASSIGN_OR_RETURN(
        SqlResult r, conn.Exec(sql->replace, {std::string(old_value), std::string(new_value)}));
    changed = r.affected;
    return Status::Ok();
  }));
  return changed;
}

}  // namespace accord::store::internal
