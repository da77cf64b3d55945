// Consents: what a subject allowed a client to receive.
#include "store/internal/sql_store.h"
#include "store/internal/transaction.h"
#include "store/internal/validate.h"

namespace accord::store::internal {
namespace {

constexpr size_t kMaxConsentsListed = 1000;

constexpr SqlStatement kUpsert{
    "consent_upsert",
    "INSERT INTO consents (subject, client_id, scopes, claims_json, granted_at, revoked_at)"
    " VALUES ($1, $2, $3, $4, $5, 0) ON CONFLICT (subject, client_id) DO UPDATE SET"
    " scopes = excluded.scopes, claims_json = excluded.claims_json,"
    " granted_at = excluded.granted_at, revoked_at = 0"};
constexpr SqlStatement kSelect{
    "consent_select",
    "SELECT subject, client_id, scopes, claims_json, granted_at, revoked_at FROM consents"
    " WHERE subject = $1 AND client_id = $2"};
constexpr SqlStatement kList{
    "consent_list",
    "SELECT subject, client_id, scopes, claims_json, granted_at, revoked_at FROM consents"
    " WHERE subject = $1 ORDER BY client_id LIMIT 1000"};
constexpr SqlStatement kListAll{
    "consent_list_all",
    "SELECT subject, client_id, scopes, claims_json, granted_at, revoked_at FROM consents"
    " ORDER BY client_id, subject LIMIT $1"};
constexpr SqlStatement kListOfClient{
    "consent_list_client",
    "SELECT subject, client_id, scopes, claims_json, granted_at, revoked_at FROM consents"
    " WHERE client_id = $1 ORDER BY subject LIMIT $2"};
constexpr SqlStatement kSweepConsents{"consent_sweep",
                                     "DELETE FROM consents WHERE granted_at <= $1"};
constexpr SqlStatement kEraseSnapshots{
    "consent_erase_snapshots",
    "UPDATE consents SET claims_json = '' WHERE granted_at <= $1 AND claims_json <> ''"};
constexpr SqlStatement kRevoke{"consent_revoke",
                               "UPDATE consents SET revoked_at = $3"
                               " WHERE subject = $1 AND client_id = $2 AND revoked_at = 0"};

Status ReadConsent(const Row& row, Consent* c) {
  RowReader r(row);
  c->subject = r.Text();
  c->client_id = r.Text();
  c->scopes = SplitWords(r.Text());
  c->claims_json = r.Text();
  c->granted_at = r.Int();
  c->revoked_at = r.Int();
  return r.status();
}

Status CheckKey(std::string_view subject, std::string_view client_id) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(subject, kMaxIdentifierBytes, "subject"));
  return CheckRequired(client_id, kMaxIdentifierBytes, "client_id");
}

}  // namespace

Status SqlStore::PutConsent(const Consent& c) {
  ACCORD_RETURN_IF_ERROR(CheckKey(c.subject, c.client_id));
  ACCORD_RETURN_IF_ERROR(CheckOptional(c.claims_json, kMaxTextBytes, "claims_json"));
  ACCORD_ASSIGN_OR_RETURN(std::string scopes, JoinWords(c.scopes, "scopes"));
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    return conn.Exec(kUpsert, {c.subject, c.client_id, scopes, c.claims_json, c.granted_at})
        .status();
  });
}

Result<Consent> SqlStore::GetConsent(std::string_view subject, std::string_view client_id) {
  ACCORD_RETURN_IF_ERROR(CheckKey(subject, client_id));
  Consent c;
  ACCORD_RETURN_IF_ERROR(Transact(
      *pool_,
      [&](SqlConn& conn, Status&) {
        ACCORD_ASSIGN_OR_RETURN(SqlResult r,
                                conn.Exec(kSelect, {std::string(subject), std::string(client_id)}));
        if (r.rows.empty()) return NotFound("no consent recorded", "not_found");
        return ReadConsent(r.rows[0], &c);
      },
      TxMode::kRead));
  return c;
}

Result<std::vector<Consent>> SqlStore::ListConsents(std::string_view subject) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(subject, kMaxIdentifierBytes, "subject"));
  std::vector<Consent> out;
  ACCORD_RETURN_IF_ERROR(Transact(
      *pool_,
      [&](SqlConn& conn, Status&) {
        ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kList, {std::string(subject)}));
        for (const Row& row : r.rows) {
          if (out.size() == kMaxConsentsListed) break;
          Consent c;
          ACCORD_RETURN_IF_ERROR(ReadConsent(row, &c));
          out.push_back(std::move(c));
        }
        return Status::Ok();
      },
      TxMode::kRead));
  return out;
}

Result<std::vector<Consent>> SqlStore::ListAllConsents(std::string_view client_id, int limit) {
  if (limit < 1 || static_cast<size_t>(limit) > kMaxConsentsListed) {
    return InvalidArgument("limit must be 1..1000", "bad_value");
  }
  if (!client_id.empty()) {
    ACCORD_RETURN_IF_ERROR(CheckRequired(client_id, kMaxIdentifierBytes, "client_id"));
  }
  std::vector<Consent> out;
  ACCORD_RETURN_IF_ERROR(Transact(
      *pool_,
      [&](SqlConn& conn, Status&) {
        Result<SqlResult> r = client_id.empty()
                                  ? conn.Exec(kListAll, {int64_t{limit}})
                                  : conn.Exec(kListOfClient, {std::string(client_id),
                                                              int64_t{limit}});
        ACCORD_RETURN_IF_ERROR(r.status());
        for (const Row& row : r->rows) {
          Consent c;
          ACCORD_RETURN_IF_ERROR(ReadConsent(row, &c));
          out.push_back(std::move(c));
        }
        return Status::Ok();
      },
      TxMode::kRead));
  return out;
}

Status SqlStore::RevokeConsent(std::string_view subject, std::string_view client_id, int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckKey(subject, client_id));
  const std::string s(subject);
  const std::string c(client_id);
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kRevoke, {s, c, now}));
    if (r.affected > 0) return Status::Ok();
    ACCORD_ASSIGN_OR_RETURN(SqlResult found, conn.Exec(kSelect, {s, c}));
    if (found.rows.empty()) return NotFound("no consent recorded", "not_found");
    return Status::Ok();  // already revoked
  });
}

Result<SweepStats> SqlStore::SweepConsents(int64_t delete_granted_at_or_before,
                                           int64_t erase_snapshots_granted_at_or_before) {
  SweepStats stats;
  ACCORD_RETURN_IF_ERROR(Transact(*pool_, [&](SqlConn& conn, Status&) {
    if (delete_granted_at_or_before > 0) {
      ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kSweepConsents, {delete_granted_at_or_before}));
      stats.consents = r.affected;
    }
    if (erase_snapshots_granted_at_or_before > 0) {
      ACCORD_ASSIGN_OR_RETURN(SqlResult r,
                              conn.Exec(kEraseSnapshots, {erase_snapshots_granted_at_or_before}));
      stats.consent_snapshots = r.affected;
    }
    return Status::Ok();
  }));
  return stats;
}

}  // namespace accord::store::internal
