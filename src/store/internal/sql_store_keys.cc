// OP signing keys: next -> active -> retired, with the private key sealed by the caller.
#include "store/internal/sql_store.h"
#include "store/internal/transaction.h"
#include "store/internal/validate.h"

namespace accord::store::internal {
namespace {

constexpr SqlStatement kInsert{
    "key_insert",
    "INSERT INTO signing_keys (kid, algorithm, status, created_at, activates_at, retires_at,"
    " sealed_private_key, public_jwk, owner) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
constexpr SqlStatement kList{
    "key_list",
    "SELECT kid, algorithm, status, created_at, activates_at, retires_at, sealed_private_key,"
    " public_jwk, owner FROM signing_keys ORDER BY created_at, kid"};
constexpr SqlStatement kListOwner{
    "key_list_owner",
    "SELECT kid, algorithm, status, created_at, activates_at, retires_at, sealed_private_key,"
    " public_jwk, owner FROM signing_keys WHERE owner = $1 ORDER BY created_at, kid"};
// Locks every key row so concurrent activations serialise (SQLite's write lock does that already).
constexpr SqlStatement kLockAll{
    "key_lock_all", "SELECT kid, status, owner, algorithm FROM signing_keys",
    "SELECT kid, status, owner, algorithm FROM signing_keys FOR UPDATE"};
constexpr SqlStatement kRetireActive{
    "key_retire_active",
    "UPDATE signing_keys SET status = 3, retires_at = $1"
    " WHERE status = 2 AND owner = $2 AND algorithm = $3"};
constexpr SqlStatement kActivate{
    "key_activate", "UPDATE signing_keys SET status = 2, activates_at = $2 WHERE kid = $1"};
constexpr SqlStatement kDeleteRetired{"key_delete",
                                      "DELETE FROM signing_keys WHERE kid = $1 AND status = 3"};
constexpr SqlStatement kExists{"key_exists", "SELECT 1 FROM signing_keys WHERE kid = $1"};

}  // namespace

Status SqlStore::AddSigningKey(const SigningKey& k) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(k.kid, kMaxIdentifierBytes, "kid"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(k.algorithm, kMaxIdentifierBytes, "algorithm"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(k.owner, kMaxIdentifierBytes, "owner"));
  if (k.sealed_private_key.empty() || k.sealed_private_key.size() > kMaxSealedKeyBytes) {
    return InvalidArgument("sealed private key is empty or too large", "bad_value");
  }
  ACCORD_RETURN_IF_ERROR(CheckRequired(k.public_jwk_json, kMaxJsonBytes, "public JWK"));
  if (k.status != KeyStatus::kNext) {
    return FailedPrecondition("new signing keys start as next; use ActivateSigningKey",
                              "bad_state");
  }
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    return conn
        .Exec(kInsert, {k.kid, k.algorithm, static_cast<int64_t>(k.status), k.created_at,
                        k.activates_at, k.retires_at, k.sealed_private_key, k.public_jwk_json,
                        k.owner})
        .status();
  });
}

namespace {

Result<std::vector<SigningKey>> ListKeys(ConnPool& pool, const SqlStatement& stmt,
                                         std::initializer_list<SqlValue> params) {
  std::vector<SigningKey> keys;
  ACCORD_RETURN_IF_ERROR(Transact(
      pool,
      [&](SqlConn& conn, Status&) {
        ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(stmt, params));
        for (const Row& row : r.rows) {
          RowReader reader(row);
          SigningKey k;
          k.kid = reader.Text();
          k.algorithm = reader.Text();
          const int64_t status = reader.Int();
          k.created_at = reader.Int();
          k.activates_at = reader.Int();
          k.retires_at = reader.Int();
          k.sealed_private_key = reader.Blob();
          k.public_jwk_json = reader.Text();
          k.owner = reader.Text();
          ACCORD_RETURN_IF_ERROR(reader.status());
          if (status < 1 || status > 3) return DataLoss("unknown signing key status", "corrupt");
          k.status = static_cast<KeyStatus>(status);
          keys.push_back(std::move(k));
        }
        return Status::Ok();
      },
      TxMode::kRead));
  return keys;
}

}  // namespace

Result<std::vector<SigningKey>> SqlStore::ListSigningKeys() { return ListKeys(*pool_, kList, {}); }

Result<std::vector<SigningKey>> SqlStore::ListSigningKeys(std::string_view owner) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(owner, kMaxIdentifierBytes, "owner"));
  return ListKeys(*pool_, kListOwner, {std::string(owner)});
}

Status SqlStore::ActivateSigningKey(std::string_view kid, int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(kid, kMaxIdentifierBytes, "kid"));
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult all, conn.Exec(kLockAll, {}));
    int64_t status = 0;
    std::string owner, algorithm;
    for (const Row& row : all.rows) {
      RowReader r(row);
      const bool match = r.Text() == kid;
      const int64_t s = r.Int();
      std::string row_owner = r.Text();
      std::string row_algorithm = r.Text();
      ACCORD_RETURN_IF_ERROR(r.status());
      if (match) {
        status = s;
        owner = std::move(row_owner);
        algorithm = std::move(row_algorithm);
      }
    }
    if (status == 0) return NotFound("unknown signing key", "not_found");
    if (status != static_cast<int64_t>(KeyStatus::kNext)) {
      return FailedPrecondition("only a next key can be activated", "bad_state");
    }
    ACCORD_RETURN_IF_ERROR(conn.Exec(kRetireActive, {now, owner, algorithm}).status());
    return conn.Exec(kActivate, {std::string(kid), now}).status();
  });
}

Status SqlStore::DeleteSigningKey(std::string_view kid) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(kid, kMaxIdentifierBytes, "kid"));
  const std::string id(kid);
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kDeleteRetired, {id}));
    if (r.affected > 0) return Status::Ok();
    ACCORD_ASSIGN_OR_RETURN(SqlResult exists, conn.Exec(kExists, {id}));
    if (exists.rows.empty()) return NotFound("unknown signing key", "not_found");
    return FailedPrecondition("only retired keys can be deleted", "bad_state");
  });
}

}  // namespace accord::store::internal
