// Browser login sessions, keyed by the hash of the cookie secret (or by their public sid), and
// the clients that obtained tokens in each session (back-channel logout fan-out).
#include <optional>

#include "store/internal/sql_store.h"
#include "store/internal/transaction.h"
#include "store/internal/validate.h"

namespace accord::store::internal {
namespace {

#define ACCORD_SESSION_COLUMNS                                                            \
  "secret_hash, sid, subject, auth_time, acr, amr, upstream, identity_json, created_at, " \
  "expires_at"

constexpr SqlStatement kInsert{"session_insert",
                               "INSERT INTO sessions (" ACCORD_SESSION_COLUMNS
                               ")"
                               " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"};
constexpr SqlStatement kSelect{
    "session_select", "SELECT " ACCORD_SESSION_COLUMNS " FROM sessions WHERE secret_hash = $1"};
constexpr SqlStatement kDelete{
    "session_delete",
    "DELETE FROM sessions WHERE secret_hash = $1 RETURNING " ACCORD_SESSION_COLUMNS};
constexpr SqlStatement kSelectBySid{
    "session_select_sid", "SELECT " ACCORD_SESSION_COLUMNS " FROM sessions WHERE sid = $1"};
constexpr SqlStatement kDeleteBySid{
    "session_delete_sid", "DELETE FROM sessions WHERE sid = $1 RETURNING " ACCORD_SESSION_COLUMNS};
#undef ACCORD_SESSION_COLUMNS

constexpr SqlStatement kAddClient{
    "session_client_add",
    "INSERT INTO session_clients (sid, client_id, expires_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (sid, client_id) DO UPDATE SET expires_at = excluded.expires_at"
    " WHERE session_clients.expires_at < excluded.expires_at"};
constexpr SqlStatement kListClients{
    "session_client_list",
    "SELECT client_id FROM session_clients WHERE sid = $1 AND expires_at > $2 ORDER BY client_id"};
constexpr SqlStatement kAddUpstreamLogin{
    "upstream_login_add",
    "INSERT INTO upstream_logins (login_key, sid, expires_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (login_key, sid) DO UPDATE SET expires_at = excluded.expires_at"
    " WHERE upstream_logins.expires_at < excluded.expires_at"};
constexpr SqlStatement kListUpstreamLogins{
    "upstream_login_list",
    "SELECT sid FROM upstream_logins WHERE login_key = $1 AND expires_at > $2 ORDER BY sid"
    " LIMIT $3"};

Status ReadSession(const Row& row, Session* s) {
  RowReader r(row);
  s->secret_hash = r.Blob();
  s->sid = r.Text();
  s->subject = r.Text();
  s->auth_time = r.Int();
  s->acr = r.Text();
  s->amr = SplitWords(r.Text());
  s->upstream = r.Text();
  s->identity_json = r.Text();
  s->created_at = r.Int();
  s->expires_at = r.Int();
  return r.status();
}

// One-row lookup or delete; `check_expiry` turns an expired row into "expired".
Result<Session> OneSession(ConnPool& pool, const SqlStatement& stmt, const SqlValue& key,
                           TxMode mode, std::optional<int64_t> check_expiry) {
  Session s;
  Status status = Transact(
      pool,
      [&](SqlConn& conn, Status& verdict) {
        ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(stmt, {key}));
        if (r.rows.empty()) {
          verdict = NotFound("unknown session", "not_found");
          return Status::Ok();
        }
        ACCORD_RETURN_IF_ERROR(ReadSession(r.rows[0], &s));
        if (check_expiry && s.expires_at <= *check_expiry) {
          verdict = FailedPrecondition("session has expired", "expired");
        }
        return Status::Ok();
      },
      mode);
  if (!status.ok()) return status;
  return s;
}

}  // namespace

Result<std::optional<Session>> ReadLiveSessionBySid(SqlConn& conn, std::string_view sid,
                                                    int64_t now) {
  ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kSelectBySid, {std::string(sid)}));
  if (r.rows.empty()) return std::optional<Session>();
  Session s;
  ACCORD_RETURN_IF_ERROR(ReadSession(r.rows[0], &s));
  if (s.expires_at <= now) return std::optional<Session>();
  return std::optional<Session>(std::move(s));
}

Status SqlStore::CreateSession(const Session& s) {
  ACCORD_RETURN_IF_ERROR(CheckHash(s.secret_hash, "session secret hash"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(s.sid, kMaxIdentifierBytes, "sid"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(s.subject, kMaxIdentifierBytes, "subject"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(s.acr, kMaxIdentifierBytes, "acr"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(s.upstream, kMaxIdentifierBytes, "upstream"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(s.identity_json, kMaxJsonBytes, "identity_json"));
  ACCORD_RETURN_IF_ERROR(CheckLifetime(s.created_at, s.expires_at, 0, "session"));
  ACCORD_ASSIGN_OR_RETURN(std::string amr, JoinWords(s.amr, "amr"));
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    return conn
        .Exec(kInsert, {s.secret_hash, s.sid, s.subject, s.auth_time, s.acr, amr, s.upstream,
                        s.identity_json, s.created_at, s.expires_at})
        .status();
  });
}

Result<Session> SqlStore::GetSession(const TokenHash& secret_hash, int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckHash(secret_hash, "session secret hash"));
  return OneSession(*pool_, kSelect, secret_hash, TxMode::kRead, now);
}

Result<Session> SqlStore::DeleteSession(const TokenHash& secret_hash) {
  ACCORD_RETURN_IF_ERROR(CheckHash(secret_hash, "session secret hash"));
  return OneSession(*pool_, kDelete, secret_hash, TxMode::kWrite, std::nullopt);
}

Result<Session> SqlStore::GetSessionBySid(std::string_view sid, int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(sid, kMaxIdentifierBytes, "sid"));
  return OneSession(*pool_, kSelectBySid, std::string(sid), TxMode::kRead, now);
}

Result<Session> SqlStore::DeleteSessionBySid(std::string_view sid) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(sid, kMaxIdentifierBytes, "sid"));
  return OneSession(*pool_, kDeleteBySid, std::string(sid), TxMode::kWrite, std::nullopt);
}

Status SqlStore::AddSessionClient(std::string_view sid, std::string_view client_id,
                                  int64_t expires_at) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(sid, kMaxIdentifierBytes, "sid"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(client_id, kMaxIdentifierBytes, "client_id"));
  if (expires_at <= 0) return InvalidArgument("session client needs an expiry", "bad_lifetime");
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    return conn.Exec(kAddClient, {std::string(sid), std::string(client_id), expires_at}).status();
  });
}

Result<std::vector<std::string>> SqlStore::ListSessionClients(std::string_view sid, int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(sid, kMaxIdentifierBytes, "sid"));
  return ReadTexts(*pool_, [&](SqlConn& conn) {
    return conn.Exec(kListClients, {std::string(sid), now});
  });
}

Status SqlStore::AddUpstreamLogin(std::string_view login_key, std::string_view sid,
                                  int64_t expires_at) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(login_key, kMaxIdentifierBytes, "upstream login key"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(sid, kMaxIdentifierBytes, "sid"));
  if (expires_at <= 0) return InvalidArgument("upstream login needs an expiry", "bad_lifetime");
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    return conn.Exec(kAddUpstreamLogin, {std::string(login_key), std::string(sid), expires_at})
        .status();
  });
}

Result<std::vector<std::string>> SqlStore::ListUpstreamLogins(std::string_view login_key,
                                                             int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(login_key, kMaxIdentifierBytes, "upstream login key"));
  return ReadTexts(*pool_, [&](SqlConn& conn) {
    return conn.Exec(kListUpstreamLogins, {std::string(login_key), now,
                                           static_cast<int64_t>(kMaxUpstreamLogins)});
  });
}

}  // namespace accord::store::internal
