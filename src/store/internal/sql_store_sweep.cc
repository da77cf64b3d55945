// The expiry sweep: one short transaction per table so a large sweep never holds the database
// write lock for long; each transaction is atomic on its own.
#include "store/internal/sql_store.h"
#include "store/internal/transaction.h"

namespace accord::store::internal {
namespace {

constexpr SqlStatement kCodes{"sweep_codes", "DELETE FROM auth_codes WHERE expires_at <= $1"};
constexpr SqlStatement kPar{"sweep_par", "DELETE FROM pushed_requests WHERE expires_at <= $1"};
constexpr SqlStatement kSessions{"sweep_sessions", "DELETE FROM sessions WHERE expires_at <= $1"};
constexpr SqlStatement kTokens{"sweep_tokens",
                               "DELETE FROM refresh_tokens WHERE family_id IN"
                               " (SELECT family_id FROM refresh_families WHERE expires_at <= $1)"};
constexpr SqlStatement kFamilies{"sweep_families",
                                 "DELETE FROM refresh_families WHERE expires_at <= $1"};
constexpr SqlStatement kReplay{"sweep_replay", "DELETE FROM replay_cache WHERE expires_at <= $1"};
constexpr SqlStatement kSessionClients{"sweep_session_clients",
                                      "DELETE FROM session_clients WHERE expires_at <= $1"};
constexpr SqlStatement kUpstreamLogins{"sweep_upstream_logins",
                                      "DELETE FROM upstream_logins WHERE expires_at <= $1"};
constexpr SqlStatement kLogout{"sweep_logout", "DELETE FROM logout_queue WHERE expires_at <= $1"};

}  // namespace

Result<SweepStats> SqlStore::SweepExpired(int64_t now) {
  SweepStats stats;
  auto sweep = [&](const SqlStatement& stmt, int64_t cutoff, int64_t* count) {
    return Transact(*pool_, [&](SqlConn& conn, Status&) {
      ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(stmt, {cutoff}));
      *count = r.affected;
      return Status::Ok();
    });
  };
  ACCORD_RETURN_IF_ERROR(sweep(kCodes, now - kCodeRetentionSeconds, &stats.auth_codes));
  ACCORD_RETURN_IF_ERROR(sweep(kPar, now, &stats.pushed_requests));
  ACCORD_RETURN_IF_ERROR(sweep(kSessions, now, &stats.sessions));
  ACCORD_RETURN_IF_ERROR(sweep(kSessionClients, now, &stats.session_clients));
  ACCORD_RETURN_IF_ERROR(sweep(kUpstreamLogins, now, &stats.upstream_logins));
  ACCORD_RETURN_IF_ERROR(sweep(kReplay, now, &stats.replay_entries));
  ACCORD_RETURN_IF_ERROR(sweep(kLogout, now, &stats.logout_deliveries));
  // Tokens and their families go together.
  ACCORD_RETURN_IF_ERROR(Transact(*pool_, [&](SqlConn& conn, Status&) {
    ACCORD_RETURN_IF_ERROR(conn.Exec(kTokens, {now}).status());
    ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kFamilies, {now}));
    stats.refresh_families = r.affected;
    return Status::Ok();
  }));
  return stats;
}

}  // namespace accord::store::internal
