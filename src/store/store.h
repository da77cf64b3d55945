// Store: the OpenID Provider's durable state behind one interface, with SQLite and PostgreSQL
// backends (docs/store.md describes tables, hashing, durability and migrations).
//
// Secrets: the store never receives a code, refresh token or session cookie in clear. Callers pass
// TokenHash = SHA-256(token) computed with HashToken() (token_hash.h); lookups compare hashes.
//
// Time: every operation that depends on time takes `now` (Unix seconds) from the caller's Clock.
//
// Errors (Status reason in quotes; the provider maps reasons to protocol errors):
//   InvalidArgument "bad_hash" | "too_large" | "bad_lifetime" | "bad_value": rejected input.
//   NotFound "not_found": no such record.
//   FailedPrecondition "expired": the record exists but has expired.
//   FailedPrecondition "code_reused" / "refresh_token_reused": second use of a single-use secret.
//   FailedPrecondition "revoked" | "already_used" | "bad_state": state forbids the operation.
//   AlreadyExists "replay" (replay caches) | "duplicate" (insert of an existing key).
//   Unavailable "db_unavailable" | "db_busy": the database cannot be reached or is locked; retry.
//   ResourceExhausted "pool_exhausted": no connection became free in time.
//   Internal "db_error": unexpected database failure.  DataLoss "corrupt": a stored row is
//   unreadable. Messages never contain secrets, hashes or personal data.
//
// Atomicity: every operation is one database transaction; a crash (kill -9, power loss) leaves
// either all or none of its writes.
//
// Thread safety: implementations are safe for concurrent calls from any number of threads; calls
// are served by a bounded connection pool (StoreConfig::pool_size) and block until a connection is
// free (at most acquire_timeout_ms). Single-use operations stay single-use across threads and
// processes sharing the database.
#ifndef ACCORD_STORE_STORE_H_
#define ACCORD_STORE_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/records.h"

namespace accord::store {

// Columns holding values sealed by the caller (Store::ListSealedValues / ReplaceSealedValue).
enum class SealedColumn {
  kSessionIdentity = 1,      // sessions.identity_json
  kConsentClaims = 2,        // consents.claims_json
  kPushedRequestParams = 3,  // pushed_requests.params_json (PAR and upstream login transactions)
  kLogoutToken = 4,          // logout_queue.logout_token
};

// Cumulative figures of the write path since the store was opened (Store::write_stats; the
// /metrics names are in docs/store.md, "Write statistics"). A backend without a figure leaves 0.
struct WriteStats {
  uint64_t transactions = 0;        // write transactions committed (a batch of bodies counts once)
  uint64_t bodies = 0;              // callers' writes those transactions committed
  uint64_t bodies_rolled_back = 0;  // bodies whose own error undid their writes alone
  uint64_t batch_failures = 0;      // write transactions that failed whole (no body kept)
  uint64_t group_syncs = 0;         // fdatasyncs of the -wal, each covering every commit before it
  uint64_t checkpoints_background = 0;  // -wal copied back by the checkpointer thread
  uint64_t checkpoints_inline = 0;      // ... by a committing connection (-wal at 2x threshold)
  uint64_t checkpoint_failures = 0;     // checkpoints of either kind that failed
  int64_t wal_frames = 0;               // -wal size (pages) the latest commit reported
  int64_t replay_journal_entries = 0;   // unexpired jtis in the replay journal (SQLite, served)
};

class Store {
 public:
  virtual ~Store() = default;

  // Cheap round trip to the database (readiness checks).
  virtual Status CheckHealth() = 0;

  // --- Authorization codes -------------------------------------------------------------------
  // AlreadyExists "duplicate" if the hash is already stored.
  virtual Status SaveAuthCode(const AuthCode& code) = 0;
  // Marks the code consumed and returns it. Errors: "not_found"; "expired"; "code_reused" (the code
  // had been consumed before: *reused_grant_id, if non-null, receives its grant_id so the provider
  // can revoke what it issued with RevokeGrant). Exactly one of concurrent callers succeeds.
  virtual Result<AuthCode> ConsumeAuthCode(const TokenHash& code_hash, int64_t now,
                                           std::string* reused_grant_id) = 0;

  // --- Pushed authorization requests (RFC 9126) ----------------------------------------------
  virtual Status SavePushedRequest(const PushedRequest& request) = 0;
  // Single use. Errors: "not_found"; "expired"; "already_used".
  virtual Result<PushedRequest> ConsumePushedRequest(std::string_view request_uri, int64_t now) = 0;

  // --- Sessions ------------------------------------------------------------------------------
  virtual Status CreateSession(const Session& session) = 0;
  // Errors: "not_found"; "expired".
  virtual Result<Session> GetSession(const TokenHash& secret_hash, int64_t now) = 0;
  // Removes the session and returns it (for logout fan-out). "not_found" if absent.
  virtual Result<Session> DeleteSession(const TokenHash& secret_hash) = 0;
  // The same by the public session id (RP-initiated logout names the session by its sid).
  // Errors: "not_found"; "expired".
  virtual Result<Session> GetSessionBySid(std::string_view sid, int64_t now) = 0;
  virtual Result<Session> DeleteSessionBySid(std::string_view sid) = 0;
  // Remembers that `client_id` obtained tokens in session `sid` (back-channel logout fan-out).
  // Idempotent; the row lives until expires_at (the later of the stored and the given value).
  virtual Status AddSessionClient(std::string_view sid, std::string_view client_id,
                                  int64_t expires_at) = 0;
  // The clients that obtained tokens in `sid` (unexpired rows), sorted; empty if none.
  virtual Result<std::vector<std::string>> ListSessionClients(std::string_view sid,
                                                              int64_t now) = 0;
  // Remembers that the upstream login named by `login_key` (a keyed hash of an upstream sub or
  // sid: oidc/broker/upstream_logout.h) created gateway session `sid`, until expires_at (the
  // later of the stored and the given value). Idempotent.
  virtual Status AddUpstreamLogin(std::string_view login_key, std::string_view sid,
                                  int64_t expires_at) = 0;
  // The gateway sessions of `login_key` (unexpired rows), sorted, at most kMaxUpstreamLogins.
  virtual Result<std::vector<std::string>> ListUpstreamLogins(std::string_view login_key,
                                                              int64_t now) = 0;

  // --- Refresh tokens: families, rotation, reuse detection -----------------------------------
  // Creates a family with its first token (expiry min(token_expires_at, family.expires_at)).
  virtual Status CreateRefreshFamily(const RefreshFamily& family, const TokenHash& first_token,
                                     int64_t token_expires_at) = 0;
  // Atomically marks `presented` used and stores `replacement` in the same family; returns the
  // family. Errors: "not_found"; "expired" (token or family); "revoked" (family revoked);
  // "refresh_token_reused": `presented` was already used, the whole family is now revoked and
  // *reused_family_id (if non-null) receives its id. Exactly one of concurrent rotations succeeds.
  // Strict: no retry (the /token grant is RedeemRefreshToken, which allows one; see there).
  virtual Result<RefreshFamily> RotateRefreshToken(const TokenHash& presented,
                                                   const TokenHash& replacement,
                                                   int64_t replacement_expires_at, int64_t now,
                                                   std::string* reused_family_id) = 0;
  // Revokes a family ("not_found" if absent; revoking twice is OK).
  virtual Status RevokeRefreshFamily(std::string_view family_id, int64_t now) = 0;
  // Revokes the family the token belongs to (RFC 7009 revocation). "not_found" if unknown.
  virtual Status RevokeRefreshToken(const TokenHash& token_hash, int64_t now) = 0;
  // Revokes every family of a grant (after code reuse); returns how many were live.
  virtual Result<int64_t> RevokeGrant(std::string_view grant_id, int64_t now) = 0;
  // RFC 7009: revokes the family of `token_hash` only if it was issued to `client_id`, and
  // returns the family. Errors: "not_found" (unknown token); PermissionDenied "wrong_client"
  // (nothing revoked). Revoking an already revoked family succeeds.
  virtual Result<RefreshFamily> RevokeRefreshTokenOfClient(const TokenHash& token_hash,
                                                           std::string_view client_id,
                                                           int64_t now) = 0;
  // Revokes every live family issued in browser session `sid` (logout); returns how many.
  virtual Result<int64_t> RevokeSessionFamilies(std::string_view sid, int64_t now) = 0;

  // --- Replay caches -------------------------------------------------------------------------
  // Remembers `key` in `scope` until expires_at. AlreadyExists "replay" if an unexpired entry
  // exists (an expired one is replaced). Atomic across threads and processes.
  virtual Status RecordOnce(ReplayScope scope, std::string_view key, int64_t expires_at,
                            int64_t now) = 0;
  // True if an unexpired entry for `key` exists in `scope` (e.g. a revoked access token's jti).
  virtual Result<bool> IsRecorded(ReplayScope scope, std::string_view key, int64_t now) = 0;

  // --- Token requests: one transaction each (docs/store.md, "Token requests") ----------------
  // Inserts every replay record; if one is already present nothing is written: AlreadyExists
  // "replay" and failure->replayed_index names it. Otherwise they are committed with the outcome.
  virtual Status RecordAll(const std::vector<ReplayRecord>& records, int64_t now,
                           RedeemFailure* failure) = 0;
  // RecordAll whose verdict may come later. Inside a DeferredAck scope (common/deferred_ack.h)
  // on a backend that batches writes (SQLite), the records join a write batch without this
  // thread waiting for it, and the verdict arrives as one of the scope's deferred acks: OK once
  // committed and durable; AlreadyExists "replay" with failure->replayed_index set (nothing
  // written); any other error (nothing acknowledged). The caller must then answer as if the
  // records were accepted and replace that answer when the ack fails (http::Response::settle).
  // Elsewhere it is RecordAll: the verdict is returned now. Either way, bad input (too many
  // records, a key too long) is refused now with InvalidArgument, before anything is queued.
  virtual Status RecordAllLater(const std::vector<ReplayRecord>& records, int64_t now,
                                std::shared_ptr<RedeemFailure> failure) {
    return RecordAll(records, now, failure.get());
  }
  // An authorization_code exchange, all or nothing (see CodeRedemption). Errors:
  //   "replay" (nothing written); "not_found", "expired" (replay records kept);
  //   "code_reused": the grant's families are revoked and the grant recorded in kRevokedGrant,
  //     failure->reused_grant_id set (committed with the replay records);
  //   FailedPrecondition "wrong_client" | "redirect_uri_mismatch" | "pkce_mismatch" |
  //     "dpop_key_mismatch": the code stays consumed, nothing else is written.
  // On success returns the consumed code with its live session (RedeemedCode); the family and
  // session-client row are stored.
  virtual Result<RedeemedCode> RedeemAuthCode(const CodeRedemption& redemption, int64_t now,
                                              RedeemFailure* failure) = 0;
  // RedeemAuthCode whose write may be decided later. Inside a DeferredAck scope on a backend that
  // batches writes (SQLite), it first reads the code and its session, then the exchange's
  // transaction joins a write batch without this thread waiting; the verdict arrives as one of
  // the scope's deferred acks: OK once committed and durable, else RedeemAuthCode's error
  // ("code_reused" and the other verdicts once committed and durable, failure set; "replay",
  // nothing written; or any other error, nothing acknowledged). When the read shows the code
  // unused, unexpired and matching the request, it returns them now: the caller answers as if
  // the exchange succeeded and replaces that answer when the ack fails (http::Response::settle;
  // a concurrent exchange of the same code may still win: "code_reused"). Otherwise it returns
  // FailedPrecondition "decided_later": the exchange is refused, and the ack's error says why.
  // Where the read fails, and everywhere else, it is RedeemAuthCode: decided now.
  virtual Result<RedeemedCode> RedeemAuthCodeLater(const CodeRedemption& redemption, int64_t now,
                                                   std::shared_ptr<RedeemFailure> failure) {
    return RedeemAuthCode(redemption, now, failure.get());
  }
  // Whether RecordAllLater and RedeemAuthCodeLater decide their writes later inside a
  // DeferredAck scope (a backend that batches writes): then a /token request for those grants
  // never waits on a write, and may run on an I/O thread.
  virtual bool WritesDecidedLater() const { return false; }
  // A refresh_token grant, all or nothing (see RefreshRedemption). Errors: "replay" (nothing
  // written); "not_found"; FailedPrecondition "wrong_client" | "dpop_key_mismatch" (checked
  // first: the token is NOT used and stays valid); "expired"; "revoked";
  // "refresh_token_reused" (family revoked, failure->reused_family_id set).
  // A retry after a lost response succeeds: when `presented` was used but the token that
  // replaced it never was, that replacement is spent unused and `replacement` takes its place
  // (FAPI 2.0 Security Profile 5.3.2.1, clause 10). Once the replacement has been used, or for a
  // token that a retry superseded, presenting it is "refresh_token_reused".
  // Replay records are kept on every error but "replay". Returns the family on success.
  virtual Result<RefreshFamily> RedeemRefreshToken(const RefreshRedemption& redemption,
                                                   int64_t now, RedeemFailure* failure) = 0;

  // --- Signing keys --------------------------------------------------------------------------
  virtual Status AddSigningKey(const SigningKey& key) = 0;
  // All keys, oldest first (created_at, then kid).
  virtual Result<std::vector<SigningKey>> ListSigningKeys() = 0;
  // Only the keys of one owner (provider), oldest first.
  virtual Result<std::vector<SigningKey>> ListSigningKeys(std::string_view owner) = 0;
  // Atomically: every active key of the SAME owner AND algorithm as `kid` -> retired
  // (retires_at = now); `kid` (must be next, else "bad_state") -> active (activates_at = now).
  virtual Status ActivateSigningKey(std::string_view kid, int64_t now) = 0;
  // Removes a retired key ("bad_state" if it is not retired).
  virtual Status DeleteSigningKey(std::string_view kid) = 0;

  // --- Consents ------------------------------------------------------------------------------
  // Inserts or replaces the consent for (subject, client_id); clears any revocation.
  virtual Status PutConsent(const Consent& consent) = 0;
  // Returns the consent, revoked or not (check revoked_at). "not_found" if never granted.
  virtual Result<Consent> GetConsent(std::string_view subject, std::string_view client_id) = 0;
  virtual Result<std::vector<Consent>> ListConsents(std::string_view subject) = 0;
  virtual Status RevokeConsent(std::string_view subject, std::string_view client_id,
                               int64_t now) = 0;
  // Operators' view (`accord consents list`): the consents of every subject for `client_id`
  // (empty: for every client), revoked ones included, ordered by client_id then subject; at most
  // `limit` (1..1000, else "bad_value"). Subjects are what the caller stored (the broker's
  // pairwise HMACs), never personal data.
  virtual Result<std::vector<Consent>> ListAllConsents(std::string_view client_id, int limit) = 0;
  // Retention (datasec retention.toml, run by the sweeper): deletes consents granted at or before
  // `delete_granted_at_or_before` and erases (empties) the released-attribute snapshot
  // (claims_json) of those granted at or before `erase_snapshots_granted_at_or_before`. Counts
  // go to SweepStats::consents / consent_snapshots. A value <= 0 skips that part.
  virtual Result<SweepStats> SweepConsents(int64_t delete_granted_at_or_before,
                                           int64_t erase_snapshots_granted_at_or_before) = 0;

  // --- Back-channel logout queue -------------------------------------------------------------
  // Queues a delivery (id and attempts are ignored); returns its id.
  virtual Result<int64_t> EnqueueLogout(const LogoutDelivery& delivery) = 0;
  // Claims up to `limit` (1..1000) unexpired deliveries due at `now`: each gets attempts + 1 and
  // next_attempt_at = now + lease_seconds, so concurrent workers never claim the same delivery
  // while the lease runs. The worker then calls CompleteLogout or RescheduleLogout.
  virtual Result<std::vector<LogoutDelivery>> ClaimDueLogouts(int64_t now, int limit,
                                                              int64_t lease_seconds) = 0;
  virtual Status CompleteLogout(int64_t id) = 0;
  virtual Status RescheduleLogout(int64_t id, int64_t next_attempt_at) = 0;

  // --- Housekeeping --------------------------------------------------------------------------
  // Deletes expired rows: codes kCodeRetentionSeconds after expiry (so reuse stays detectable),
  // PAR requests, sessions, session clients, replay entries and logout deliveries at expiry,
  // refresh families (with their tokens) at family expiry. Consents and signing keys are never
  // swept.
  virtual Result<SweepStats> SweepExpired(int64_t now) = 0;

  // --- Sealed columns (key-encryption-key rotation; docs/security.md) -------------------------
  // The caller (datasec::SealingStore) seals some columns; rotation lists their values and
  // replaces each with the same value re-sealed. The store never interprets them.
  // Up to `limit` (1..1000) non-empty values of `column` greater than `after`, ascending in the
  // database's text order; pass the last one as `after` for the next page.
  virtual Result<std::vector<std::string>> ListSealedValues(SealedColumn column,
                                                            std::string_view after, int limit) {
    (void)column, (void)after, (void)limit;
    return FailedPrecondition("this store does not list sealed columns", "unsupported");
  }
  // Compare-and-set: rows of `column` still holding `old_value` get `new_value`; returns how many
  // (0 when a concurrent write changed or deleted them).
  virtual Result<int64_t> ReplaceSealedValue(SealedColumn column, std::string_view old_value,
                                             std::string_view new_value) {
    (void)column, (void)old_value, (void)new_value;
    return FailedPrecondition("this store does not replace sealed values", "unsupported");
  }

  // --- Statistics ----------------------------------------------------------------------------
  // Write-path totals (batching, group sync, checkpoints); cheap, no database round trip.
  virtual WriteStats write_stats() const { return {}; }
};

// Consumed codes are kept this long after expiry so a late replay is reported as "code_reused".
inline constexpr int64_t kCodeRetentionSeconds = 3600;

enum class StoreKind { kSqlite, kPostgres };

struct StoreConfig {
  StoreKind kind = StoreKind::kSqlite;
  // SQLite database file; parent directories are created (mode 0700). ":memory:" is allowed
  // for tests (the pool is then one connection).
  std::string sqlite_path = "./var/accord.db";
  // libpq connection string, e.g. "host=/run/postgresql dbname=accord user=accord".
  std::string postgres_conninfo;
  int pool_size = 4;              // 1..64 connections
  int busy_timeout_ms = 5000;     // SQLite: wait for the write lock
  int acquire_timeout_ms = 5000;  // wait for a free pooled connection
  // SQLite file databases: keep the client assertion and DPoP proof jti, and the codes that
  // login-only exchanges consume, in the replay journal (an in-memory index with an append-only
  // file beside the database, sqlite/replay_journal.h) instead of the replay_cache table. Set by `accord serve`, which then holds the journal's
  // lock: one serving process per database. Not a configuration key.
  bool replay_journal = false;
  // Unexpired records the journal holds in memory (16-24 bytes each); past that, new ones go to
  // the replay_cache table until they have expired (docs/store.md, "Replay journal").
  size_t replay_journal_max_entries = 1'000'000;
};

// Opens (creating if needed) the database and applies pending schema migrations in one
// transaction. FailedPrecondition "schema_too_new" if the database was migrated by a newer binary.
Result<std::unique_ptr<Store>> OpenStore(const StoreConfig& config);

}  // namespace accord::store

#endif  // ACCORD_STORE_STORE_H_
