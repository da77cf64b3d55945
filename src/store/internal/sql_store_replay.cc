// Replay caches (client assertion, DPoP proof and logout token jti) and the health check.
#include "store/internal/sql_store.h"
#include "store/internal/transaction.h"
#include "store/internal/validate.h"

namespace accord::store::internal {
namespace {

// Inserts the entry, or replaces an expired one; changes no row when an unexpired entry exists.
// Atomic in both databases (a unique key plus a conditional upsert). The outcome is read from the
// changed-row count, not a RETURNING clause (SQLite builds a temporary b-tree for RETURNING).
constexpr SqlStatement kRecord{
    "replay_record",
    "INSERT INTO replay_cache (scope, entry, expires_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (scope, entry) DO UPDATE SET expires_at = excluded.expires_at"
    " WHERE replay_cache.expires_at <= $4"};
constexpr SqlStatement kLookup{
    "replay_lookup",
    "SELECT 1 FROM replay_cache WHERE scope = $1 AND entry = $2 AND expires_at > $3"};
constexpr SqlStatement kPing{"ping", "SELECT 1"};

}  // namespace

Result<int64_t> ReplayScopeId(ReplayScope scope) {
  const int64_t id = static_cast<int64_t>(scope);
  if (id < 1 || id > 6) return InvalidArgument("unknown replay scope", "bad_value");
  return id;
}

Status SqlStore::RecordOnce(ReplayScope scope, std::string_view key, int64_t expires_at,
                            int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(key, kMaxIdentifierBytes, "replay key"));
  ACCORD_RETURN_IF_ERROR(CheckLifetime(now, expires_at, 0, "replay entry"));
  ACCORD_ASSIGN_OR_RETURN(const int64_t scope_id, ReplayScopeId(scope));
  if (replay_index_ != nullptr && replay_index_->Holds(scope)) {
    const std::vector<ReplayRecord> record = {{scope, std::string(key), expires_at}};
    ACCORD_ASSIGN_OR_RETURN(const bool indexed, RecordIndexed(record, now, nullptr));
    if (indexed) return AwaitDurability(replay_index_->TakeDurabilityWait());
  }
  return Transact(*pool_, [&](SqlConn& conn, Status& verdict) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult r,
                            conn.Exec(kRecord, {scope_id, std::string(key), expires_at, now}));
    if (r.affected == 0) verdict = AlreadyExists("identifier was already used", "replay");
    return Status::Ok();
  });
}

Result<bool> SqlStore::IsRecorded(ReplayScope scope, std::string_view key, int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckRequired(key, kMaxIdentifierBytes, "replay key"));
  ACCORD_ASSIGN_OR_RETURN(const int64_t scope_id, ReplayScopeId(scope));
  if (replay_index_ != nullptr && replay_index_->Holds(scope)) {
    if (replay_index_->Contains(scope, key, now)) return true;
    if (now >= overflow_until_.load(std::memory_order_acquire)) return false;
  }
  bool found = false;
  ACCORD_RETURN_IF_ERROR(Transact(
      *pool_,
      [&](SqlConn& conn, Status&) {
        ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kLookup, {scope_id, std::string(key), now}));
        found = !r.rows.empty();
        return Status::Ok();
      },
      TxMode::kRead));
  return found;
}

Status SqlStore::CheckHealth() {
  return Transact(
      *pool_, [](SqlConn& conn, Status&) { return conn.Exec(kPing, {}).status(); }, TxMode::kRead);
}

}  // namespace accord::store::internal
