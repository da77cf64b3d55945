// SqlStore: the Store logic written once over SqlConn; the SQLite and PostgreSQL backends differ
// only in their connections, migrations and the few statements with a dialect override.
//
// Each operation is one Transact() call (transaction.h), so it is atomic and crash-consistent.
// Single-use consumption is a conditional UPDATE ... RETURNING (the row lock in PostgreSQL, the
// database write lock in SQLite make exactly one concurrent caller win); the loser then reads the
// row to tell "not_found", "expired" and reuse apart.
//
// Thread safety: all methods may be called concurrently (the pool serialises connection use).
// The implementation is split by record type: sql_store_<record>.cc.
#ifndef ACCORD_STORE_INTERNAL_SQL_STORE_H_
#define ACCORD_STORE_INTERNAL_SQL_STORE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include "store/internal/pool.h"
#include "store/internal/replay_index.h"
#include "store/store.h"

namespace accord::store::internal {

class SqlStore final : public Store {
 public:
  // Adds to write_stats() what a backend keeps outside the pool (SQLite: the group syncs and
  // checkpoints of its database file); may be empty. Called from any thread.
  using FileStats = std::function<void(WriteStats*)>;
  // `replay_index` (may be null) keeps the replay records of the scopes it Holds() instead of
  // the replay_cache table (replay_index.h).
  // `overflow_until`: records of its scopes already in the table expire by then (read when
  // the store opens); the table is consulted for them until that time.
  explicit SqlStore(std::unique_ptr<ConnPool> pool, FileStats file_stats = nullptr,
                    std::shared_ptr<ReplayIndex> replay_index = nullptr,
                    int64_t overflow_until = 0)
      : pool_(std::move(pool)),
        file_stats_(std::move(file_stats)),
        replay_index_(std::move(replay_index)),
        overflow_until_(overflow_until) {}

  Status CheckHealth() override;

  Status SaveAuthCode(const AuthCode& code) override;
  Result<AuthCode> ConsumeAuthCode(const TokenHash& code_hash, int64_t now,
                                   std::string* reused_grant_id) override;

  Status SavePushedRequest(const PushedRequest& request) override;
  Result<PushedRequest> ConsumePushedRequest(std::string_view request_uri, int64_t now) override;

  Status CreateSession(const Session& session) override;
  Result<Session> GetSession(const TokenHash& secret_hash, int64_t now) override;
  Result<Session> DeleteSession(const TokenHash& secret_hash) override;
  Result<Session> GetSessionBySid(std::string_view sid, int64_t now) override;
  Result<Session> DeleteSessionBySid(std::string_view sid) override;
  Status AddSessionClient(std::string_view sid, std::string_view client_id,
                          int64_t expires_at) override;
  Result<std::vector<std::string>> ListSessionClients(std::string_view sid, int64_t now) override;
  Status AddUpstreamLogin(std::string_view login_key, std::string_view sid,
                          int64_t expires_at) override;
  Result<std::vector<std::string>> ListUpstreamLogins(std::string_view login_key,
                                                      int64_t now) override;

  Status CreateRefreshFamily(const RefreshFamily& family, const TokenHash& first_token,
                             int64_t token_expires_at) override;
  Result<RefreshFamily> RotateRefreshToken(const TokenHash& presented, const TokenHash& replacement,
                                           int64_t replacement_expires_at, int64_t now,
                                           std::string* reused_family_id) override;
  Status RevokeRefreshFamily(std::string_view family_id, int64_t now) override;
  Status RevokeRefreshToken(const TokenHash& token_hash, int64_t now) override;
  Result<int64_t> RevokeGrant(std::string_view grant_id, int64_t now) override;
  Result<RefreshFamily> RevokeRefreshTokenOfClient(const TokenHash& token_hash,
                                                   std::string_view client_id,
                                                   int64_t now) override;
  Result<int64_t> RevokeSessionFamilies(std::string_view sid, int64_t now) override;

  Status RecordOnce(ReplayScope scope, std::string_view key, int64_t expires_at,
                    int64_t now) override;
  Result<bool> IsRecorded(ReplayScope scope, std::string_view key, int64_t now) override;

  Status RecordAll(const std::vector<ReplayRecord>& records, int64_t now,
                   RedeemFailure* failure) override;
  Status RecordAllLater(const std::vector<ReplayRecord>& records, int64_t now,
                        std::shared_ptr<RedeemFailure> failure) override;
  Result<RedeemedCode> RedeemAuthCode(const CodeRedemption& redemption, int64_t now,
                                      RedeemFailure* failure) override;
  bool WritesDecidedLater() const override;
  Result<RedeemedCode> RedeemAuthCodeLater(const CodeRedemption& redemption, int64_t now,
                                           std::shared_ptr<RedeemFailure> failure) override;
  Result<RefreshFamily> RedeemRefreshToken(const RefreshRedemption& redemption, int64_t now,
                                           RedeemFailure* failure) override;

  Status AddSigningKey(const SigningKey& key) override;
  Result<std::vector<SigningKey>> ListSigningKeys() override;
  Result<std::vector<SigningKey>> ListSigningKeys(std::string_view owner) override;
  Status ActivateSigningKey(std::string_view kid, int64_t now) override;
  Status DeleteSigningKey(std::string_view kid) override;

  Status PutConsent(const Consent& consent) override;
  Result<Consent> GetConsent(std::string_view subject, std::string_view client_id) override;
  Result<std::vector<Consent>> ListConsents(std::string_view subject) override;
  Status RevokeConsent(std::string_view subject, std::string_view client_id, int64_t now) override;
  Result<std::vector<Consent>> ListAllConsents(std::string_view client_id, int limit) override;
  Result<SweepStats> SweepConsents(int64_t delete_granted_at_or_before,
                                   int64_t erase_snapshots_granted_at_or_before) override;

  Result<int64_t> EnqueueLogout(const LogoutDelivery& delivery) override;
  Result<std::vector<LogoutDelivery>> ClaimDueLogouts(int64_t now, int limit,
                                                      int64_t lease_seconds) override;
  Status CompleteLogout(int64_t id) override;
  Status RescheduleLogout(int64_t id, int64_t next_attempt_at) override;

  Result<SweepStats> SweepExpired(int64_t now) override;

  Result<std::vector<std::string>> ListSealedValues(SealedColumn column, std::string_view after,
                                                    int limit) override;
  Result<int64_t> ReplaceSealedValue(SealedColumn column, std::string_view old_value,
                                     std::string_view new_value) override;

  // The write batcher's totals (sql_store_stats.cc; zero without one: PostgreSQL, ":memory:").
  WriteStats write_stats() const override;

 private:
  // true: every record is of a scope replay_index_ holds and is recorded there (all or
  // nothing; a replay sets failure->replayed_index); false: none is, the table takes them.
  // A list mixing the two is InvalidArgument (no caller makes one).
  Result<bool> RecordIndexed(const std::vector<ReplayRecord>& records, int64_t now,
                             RedeemFailure* failure);
  // RedeemAuthCode once its replay records are recorded (or left in `req` for the table).
  Result<RedeemedCode> RedeemRecorded(const CodeRedemption& req, int64_t now,
                                      RedeemFailure* failure);
  // A code exchange decided in the replay index (docs/store.md, "Code exchanges in the
  // journal"), or nullopt when the table's transaction must decide it. A code the index holds
  // as consumed is a reuse; an exchangeable one that writes nothing else is consumed by a
  // kConsumedCode record with the request's replay records, all or nothing. `later` set: a
  // RedeemAuthCodeLater, whose reuse verdict may come later ("decided_later").
  std::optional<Result<RedeemedCode>> RedeemInIndex(const CodeRedemption& req, int64_t now,
                                                    RedeemFailure* failure,
                                                    const std::shared_ptr<RedeemFailure>& later);
  // The replay index when it takes consumed codes (then every exchange records its code there,
  // whichever way it is decided, so the index is the one gate of a code's single use); else null.
  ReplayIndex* CodeGate() const;

  std::unique_ptr<ConnPool> pool_;
  const FileStats file_stats_;
  const std::shared_ptr<ReplayIndex> replay_index_;
  // When the index was full, its scopes' records went to the table: until every one of those has
  // expired (this time), they go there still (after the index's check for what it holds), and
  // lookups check both.
  std::atomic<int64_t> overflow_until_{0};
};

// Reads the columns family_id, grant_id, client_id, subject, session_id, scope, dpop_jkt,
// created_at, expires_at, revoked_at (in that order) of a refresh_families row.
Status ReadRefreshFamily(const Row& row, RefreshFamily* family);
// The session with this sid if it exists and expires after `now` (nullopt otherwise), read on
// `conn` inside the caller's transaction.
Result<std::optional<Session>> ReadLiveSessionBySid(SqlConn& conn, std::string_view sid,
                                                    int64_t now);
// The replay_cache id of a scope; InvalidArgument "bad_value" for an unknown one.
Result<int64_t> ReplayScopeId(ReplayScope scope);

}  // namespace accord::store::internal

#endif  // ACCORD_STORE_INTERNAL_SQL_STORE_H_
