// Token requests as one transaction each: RecordAll, RedeemAuthCode, RedeemRefreshToken
// (store.h; docs/store.md "Token requests"). One commit, so on SQLite one (group) WAL sync, per
// /token request instead of one per replay record, code, family and session-client row.
#include <algorithm>
#include <optional>

#include "common/deferred_ack.h"
#include "store/internal/sql_store.h"
#include "store/internal/transaction.h"
#include "store/internal/validate.h"

namespace accord::store::internal {
namespace {

// Same SQL as the single operations (sql_store_replay.cc, _codes.cc, _refresh.cc, _sessions.cc);
// separate names because statements are prepared per connection by name. The replay record and
// the code consumption report their outcome by changed-row count: a RETURNING clause costs SQLite
// a temporary b-tree per statement.
constexpr SqlStatement kRecord{
    "tok_replay_record",
    "INSERT INTO replay_cache (scope, entry, expires_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (scope, entry) DO UPDATE SET expires_at = excluded.expires_at"
    " WHERE replay_cache.expires_at <= $4"};
// Keeps the later expiry when the entry exists (a grant revoked twice).
constexpr SqlStatement kRecordGrant{
    "tok_grant_record",
    "INSERT INTO replay_cache (scope, entry, expires_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (scope, entry) DO UPDATE SET expires_at = excluded.expires_at"
    " WHERE replay_cache.expires_at < excluded.expires_at"};
constexpr SqlStatement kConsumeCode{
    "tok_code_consume",
    "UPDATE auth_codes SET consumed_at = $2"
    " WHERE code_hash = $1 AND consumed_at = 0 AND expires_at > $2"};
// The code this transaction just consumed (read after the update, in the same transaction).
constexpr SqlStatement kConsumedCode{
    "tok_code_read",
    "SELECT grant_id, client_id, subject, session_id, redirect_uri, scope, nonce,"
    " code_challenge, dpop_jkt, claims_json, auth_time, issued_at, expires_at"
    " FROM auth_codes WHERE code_hash = $1"};
// The code with its state, read before a deferred exchange (RedeemAuthCodeLater).
constexpr SqlStatement kPeekCode{
    "tok_code_peek",
    "SELECT grant_id, client_id, subject, session_id, redirect_uri, scope, nonce,"
    " code_challenge, dpop_jkt, claims_json, auth_time, issued_at, expires_at, consumed_at"
    " FROM auth_codes WHERE code_hash = $1"};
constexpr SqlStatement kCodeState{
    "tok_code_state", "SELECT consumed_at, grant_id FROM auth_codes WHERE code_hash = $1"};
constexpr SqlStatement kRevokeGrant{
    "tok_grant_revoke",
    "UPDATE refresh_families SET revoked_at = $2 WHERE grant_id = $1 AND revoked_at = 0"};
constexpr SqlStatement kInsertFamily{
    "tok_family_insert",
    "INSERT INTO refresh_families (family_id, grant_id, client_id, subject, session_id, scope,"
    " dpop_jkt, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
constexpr SqlStatement kInsertToken{
    "tok_token_insert",
    "INSERT INTO refresh_tokens (token_hash, family_id, created_at, expires_at)"
    " VALUES ($1, $2, $3, $4)"};
constexpr SqlStatement kAddClient{
    "tok_session_client_add",
    "INSERT INTO session_clients (sid, client_id, expires_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (sid, client_id) DO UPDATE SET expires_at = excluded.expires_at"
    " WHERE session_clients.expires_at < excluded.expires_at"};
// The presented refresh token with its family, read before anything is written.
constexpr SqlStatement kTokenWithFamily{
    "tok_refresh_state",
    "SELECT t.used_at, t.expires_at, t.replaced_by, f.family_id, f.grant_id, f.client_id,"
    " f.subject, f.session_id, f.scope, f.dpop_jkt, f.created_at, f.expires_at, f.revoked_at"
    " FROM refresh_tokens t JOIN refresh_families f ON f.family_id = t.family_id"
    " WHERE t.token_hash = $1"};
// The single-use gate of a rotation; it records the replacement.
constexpr SqlStatement kUseToken{
    "tok_refresh_use",
    "UPDATE refresh_tokens SET used_at = $2, replaced_by = $3"
    " WHERE token_hash = $1 AND used_at = 0 AND expires_at > $2 RETURNING family_id"};
// A retry's gate: the replacement the client never received is spent, once, unused.
constexpr SqlStatement kSupersede{
    "tok_refresh_supersede",
    "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at = 0"
    " RETURNING family_id"};
constexpr SqlStatement kSetReplacedBy{
    "tok_refresh_replaced_by", "UPDATE refresh_tokens SET replaced_by = $2 WHERE token_hash = $1"};
constexpr SqlStatement kFamilyRevokedAt{
    "tok_family_revoked_at", "SELECT revoked_at FROM refresh_families WHERE family_id = $1"};
constexpr SqlStatement kRevokeFamily{
    "tok_family_revoke",
    "UPDATE refresh_families SET revoked_at = $2 WHERE family_id = $1 AND revoked_at = 0"};

// Equality without an early exit (the PKCE challenge is derived from a secret verifier).
bool SameText(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

Status CheckReplayRecords(const std::vector<ReplayRecord>& records, int64_t now) {
  if (records.size() > 8) return InvalidArgument("too many replay records", "too_large");
  for (const ReplayRecord& r : records) {
    ACCORD_RETURN_IF_ERROR(CheckRequired(r.key, kMaxIdentifierBytes, "replay key"));
    ACCORD_RETURN_IF_ERROR(CheckLifetime(now, r.expires_at, 0, "replay entry"));
    ACCORD_RETURN_IF_ERROR(ReplayScopeId(r.scope).status());
  }
  return Status::Ok();
}

// Inserts every record; the first that is present fails the transaction (rolled back).
Status InsertReplayRecords(SqlConn& conn, const std::vector<ReplayRecord>& records, int64_t now,
                           RedeemFailure* failure) {
  for (size_t i = 0; i < records.size(); ++i) {
    const ReplayRecord& r = records[i];
    ACCORD_ASSIGN_OR_RETURN(
        SqlResult res,
        conn.Exec(kRecord, {static_cast<int64_t>(r.scope), r.key, r.expires_at, now}));
    if (res.affected == 0) {
      if (failure != nullptr) failure->replayed_index = static_cast<int>(i);
      return AlreadyExists("identifier was already used", "replay");
    }
  }
  return Status::Ok();
}

// Reads the code's columns (kConsumedCode's order) from `r`, which then stands after them.
Status ReadCode(RowReader& r, const TokenHash& hash, AuthCode* code) {
  code->code_hash = hash;
  code->grant_id = r.Text();
  code->client_id = r.Text();
  code->subject = r.Text();
  code->session_id = r.Text();
  code->redirect_uri = r.Text();
  code->scope = r.Text();
  code->nonce = r.Text();
  code->code_challenge = r.Text();
  code->dpop_jkt = r.Text();
  code->claims_json = r.Text();
  code->auth_time = r.Int();
  code->issued_at = r.Int();
  code->expires_at = r.Int();
  return r.status();
}

// The reason a consumed code does not match the request ("" when it matches).
const char* CodeMismatch(const AuthCode& code, const CodeRedemption& req) {
  if (code.client_id != req.client_id) return "wrong_client";
  if (code.redirect_uri != req.redirect_uri) return "redirect_uri_mismatch";
  if (code.code_challenge.empty() || !SameText(code.code_challenge, req.code_challenge)) {
    return "pkce_mismatch";
  }
  if (!code.dpop_jkt.empty() && code.dpop_jkt != req.dpop_jkt) return "dpop_key_mismatch";
  return "";
}

}  // namespace

Result<bool> SqlStore::RecordIndexed(const std::vector<ReplayRecord>& records, int64_t now,
                                     RedeemFailure* failure) {
  if (replay_index_ == nullptr || records.empty()) return false;
  size_t held = 0;
  for (const ReplayRecord& r : records) held += replay_index_->Holds(r.scope) ? 1 : 0;
  if (held == 0) return false;
  if (held != records.size()) {
    return InvalidArgument("replay records mix journal and table scopes", "bad_value");
  }
  int replayed = -1;
  const bool overflowing = now < overflow_until_.load(std::memory_order_acquire);
  Status recorded = Status::Ok();
  if (overflowing) {  // the table takes them, once the index has none of them
    for (size_t i = 0; i < records.size() && recorded.ok(); ++i) {
      if (replay_index_->Contains(records[i].scope, records[i].key, now)) {
        replayed = static_cast<int>(i);
        recorded = AlreadyExists("identifier was already used", "replay");
      }
    }
  } else {
    recorded = replay_index_->Record(records, now, &replayed);
  }
  if (recorded.reason() == "replay" && failure != nullptr) failure->replayed_index = replayed;
  if (recorded.ok() && !overflowing) return true;
  if (!recorded.ok() && recorded.reason() != "replay_journal_full") return recorded;
  // Into the table, and the table stays in use for these scopes until these have expired.
  int64_t until = 0;
  for (const ReplayRecord& r : records) until = std::max(until, r.expires_at);
  int64_t seen = overflow_until_.load(std::memory_order_acquire);
  while (seen < until &&
         !overflow_until_.compare_exchange_weak(seen, until, std::memory_order_acq_rel)) {
  }
  return false;
}

Status SqlStore::RecordAll(const std::vector<ReplayRecord>& records, int64_t now,
                           RedeemFailure* failure) {
  ACCORD_RETURN_IF_ERROR(CheckReplayRecords(records, now));
  if (records.empty()) return Status::Ok();
  ACCORD_ASSIGN_OR_RETURN(const bool indexed, RecordIndexed(records, now, failure));
  if (indexed) return AwaitDurability(replay_index_->TakeDurabilityWait());
  return Transact(*pool_, [&](SqlConn& conn, Status&) {
    return InsertReplayRecords(conn, records, now, failure);
  });
}

Status SqlStore::RecordAllLater(const std::vector<ReplayRecord>& records, int64_t now,
                                std::shared_ptr<RedeemFailure> failure) {
  ACCORD_RETURN_IF_ERROR(CheckReplayRecords(records, now));
  if (records.empty()) return Status::Ok();
  // Journaled records are decided at once; only their durability is waited for (deferred).
  ACCORD_ASSIGN_OR_RETURN(const bool indexed, RecordIndexed(records, now, failure.get()));
  if (indexed) return AwaitDurability(replay_index_->TakeDurabilityWait());
  DeferredAck::Scope* scope = DeferredAck::Current();
  WriteBatcher* batcher = pool_->batcher();
  if (scope == nullptr || batcher == nullptr) return RecordAll(records, now, failure.get());
  auto verdict = DeferredAck::Verdict::Create();
  scope->Defer(DeferredAck::Verdict::WaitFor(verdict));
  batcher->Submit(
      [records, now, failure](SqlConn& conn, Status&) {
        return InsertReplayRecords(conn, records, now, failure.get());
      },
      [verdict](Status result, DurabilityWait durable) {
        if (!result.ok() || !durable) return verdict->Settle(std::move(result));
        if (!durable.notify) return verdict->Settle(durable.block());
        durable.notify([verdict](Status synced) { verdict->Settle(std::move(synced)); });
      });
  return Status::Ok();
}

namespace {

Status CheckCodeRedemption(const CodeRedemption& req, int64_t now) {
  ACCORD_RETURN_IF_ERROR(CheckReplayRecords(req.replay_records, now));
  ACCORD_RETURN_IF_ERROR(CheckHash(req.code_hash, "code hash"));
  ACCORD_RETURN_IF_ERROR(CheckHash(req.refresh_token_hash, "refresh token hash"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(req.client_id, kMaxIdentifierBytes, "client_id"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(req.redirect_uri, kMaxIdentifierBytes, "redirect_uri"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(req.code_challenge, kMaxIdentifierBytes, "code_challenge"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(req.dpop_jkt, kMaxIdentifierBytes, "dpop_jkt"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(req.family_id, kMaxIdentifierBytes, "family_id"));
  ACCORD_RETURN_IF_ERROR(CheckLifetime(now, req.family_expires_at, 0, "refresh family"));
  ACCORD_RETURN_IF_ERROR(CheckLifetime(now, req.revoked_grant_expires_at, 0, "revoked grant"));
  return Status::Ok();
}

CodeRedemption WithoutReplayRecords(const CodeRedemption& req) {
  CodeRedemption copy = req;
  copy.replay_records.clear();
  return copy;
}

// A used code presented again: revoke everything issued from its grant, refresh families and
// (through a kRevokedGrant entry) access tokens. The verdict is "code_reused".
Status RevokeReusedCode(SqlConn& conn, Status& verdict, const CodeRedemption& req,
                        const std::string& grant_id, int64_t now, RedeemFailure* failure) {
  ACCORD_RETURN_IF_ERROR(conn.Exec(kRevokeGrant, {grant_id, now}).status());
  ACCORD_RETURN_IF_ERROR(
      conn.Exec(kRecordGrant, {static_cast<int64_t>(ReplayScope::kRevokedGrant), grant_id,
                               req.revoked_grant_expires_at})
          .status());
  if (failure != nullptr) failure->reused_grant_id = grant_id;
  verdict = FailedPrecondition("authorization code was already used", "code_reused");
  return Status::Ok();
}

// The body for a code the replay index holds as consumed: its grant is revoked (the table's row
// still says unused, as the index took the consumption).
Status RevokeIndexedReuse(SqlConn& conn, Status& verdict, const CodeRedemption& req, int64_t now,
                          RedeemFailure* failure) {
  ACCORD_RETURN_IF_ERROR(InsertReplayRecords(conn, req.replay_records, now, failure));
  ACCORD_ASSIGN_OR_RETURN(SqlResult state, conn.Exec(kCodeState, {req.code_hash}));
  if (state.rows.empty()) {
    verdict = NotFound("unknown authorization code", "not_found");
    return Status::Ok();
  }
  RowReader r(state.rows[0]);
  r.Int();  // consumed_at
  const std::string grant_id = r.Text();
  ACCORD_RETURN_IF_ERROR(r.status());
  return RevokeReusedCode(conn, verdict, req, grant_id, now, failure);
}

// Whether a successful exchange of `code` writes a refresh family (CodeRedemption).
bool WritesFamily(const AuthCode& code, const CodeRedemption& req) {
  return req.refresh_scope.empty() || ScopeHolds(code.scope, req.refresh_scope);
}

// The read before an exchange decided later or in the index: the code (with its live session in
// `out`) and whether it can be exchanged now (unused in the table, unexpired, matching the
// request).
Result<bool> ReadCodeAndSession(SqlConn& conn, const CodeRedemption& req, int64_t now,
                                RedeemedCode* out) {
  ACCORD_ASSIGN_OR_RETURN(SqlResult found, conn.Exec(kPeekCode, {req.code_hash}));
  if (found.rows.size() != 1) return false;
  RowReader r(found.rows[0]);
  ACCORD_RETURN_IF_ERROR(ReadCode(r, req.code_hash, &out->code));
  const int64_t consumed_at = r.Int();
  ACCORD_RETURN_IF_ERROR(r.status());
  if (consumed_at != 0 || out->code.expires_at <= now ||
      !std::string_view(CodeMismatch(out->code, req)).empty()) {
    return false;
  }
  if (!out->code.session_id.empty()) {
    ACCORD_ASSIGN_OR_RETURN(out->session, ReadLiveSessionBySid(conn, out->code.session_id, now));
    if (out->session && out->session->subject != out->code.subject) out->session.reset();
  }
  return true;
}

// ReadCodeAndSession in a read transaction of its own.
Result<bool> PeekCode(ConnPool& pool, const CodeRedemption& req, int64_t now, RedeemedCode* out) {
  Result<bool> redeemable = false;
  ACCORD_RETURN_IF_ERROR(Transact(
      pool,
      [&](SqlConn& conn, Status&) {
        redeemable = ReadCodeAndSession(conn, req, now, out);
        return redeemable.status();
      },
      TxMode::kRead));
  return redeemable;
}

// Runs `body` as a write whose verdict is deferred (RedeemAuthCodeLater): it joins a write batch
// and its verdict, once durable, becomes one of `scope`'s deferred acks.
void SubmitDecidedLater(WriteBatcher& batcher, DeferredAck::Scope& scope, TxBody body) {
  auto verdict = DeferredAck::Verdict::Create();
  scope.Defer(DeferredAck::Verdict::WaitFor(verdict));
  batcher.Submit(std::move(body), [verdict](Status result, DurabilityWait durable) {
    // A verdict (a concurrent exchange won: "code_reused") is settled once its revocation is
    // durable, like an OK.
    if (!durable) return verdict->Settle(std::move(result));
    if (!durable.notify) {
      Status synced = durable.block();
      return verdict->Settle(synced.ok() ? std::move(result) : std::move(synced));
    }
    durable.notify([verdict, result = std::move(result)](Status synced) {
      verdict->Settle(synced.ok() ? result : std::move(synced));
    });
  });
}

Status DecidedLater() {
  return FailedPrecondition("authorization code exchange refused; the write says why",
                            "decided_later");
}

// The body of the exchange's transaction (store.h, RedeemAuthCode). `out` (if not null) gets the
// consumed code and its live session. `gate` (if not null) is the replay index that also decides
// exchanges (RedeemInIndex): the code is recorded there as consumed too. `known` is the code as a deferred exchange's read found it,
// redeemable: a code row never changes but for consumed_at, so once this transaction consumed
// it, the row is the one read and matched the request then, and is not read again.
Status RedeemCodeBody(SqlConn& conn, Status& verdict, const CodeRedemption& req, int64_t now,
                      RedeemFailure* failure, RedeemedCode* out, const AuthCode* known,
                      ReplayIndex* gate) {
  ACCORD_RETURN_IF_ERROR(InsertReplayRecords(conn, req.replay_records, now, failure));
  ACCORD_ASSIGN_OR_RETURN(SqlResult won, conn.Exec(kConsumeCode, {req.code_hash, now}));
  if (won.affected == 1 && gate != nullptr) {
    // Consumed in the table; it must be in the index too, or an exchange the index decides
    // could consume it as well (RedeemInIndex). Whichever records it first has it.
    const ReplayRecord consumed{
        ReplayScope::kConsumedCode, std::string(req.code_hash.begin(), req.code_hash.end()),
        std::max(req.revoked_grant_expires_at, now + kMaxAuthCodeLifetimeSeconds)};
    Status gated = gate->Record({&consumed, 1}, now, nullptr);
    if (gated.reason() == "replay") won.affected = 0;  // the index's exchange had it: a reuse
    else if (!gated.ok()) return gated;
  }
  if (won.affected != 1) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult state, conn.Exec(kCodeState, {req.code_hash}));
    if (state.rows.empty()) {
      verdict = NotFound("unknown authorization code", "not_found");
      return Status::Ok();
    }
    RowReader r(state.rows[0]);
    const int64_t consumed_at = r.Int();
    const std::string grant_id = r.Text();
    ACCORD_RETURN_IF_ERROR(r.status());
    if (consumed_at == 0) {
      verdict = FailedPrecondition("authorization code has expired", "expired");
      return Status::Ok();
    }
    return RevokeReusedCode(conn, verdict, req, grant_id, now, failure);
  }
  AuthCode read_back;
  if (known == nullptr) {
    ACCORD_ASSIGN_OR_RETURN(SqlResult consumed, conn.Exec(kConsumedCode, {req.code_hash}));
    if (consumed.rows.size() != 1) return Internal("consumed code not found", "db_error");
    RowReader row(consumed.rows[0]);
    ACCORD_RETURN_IF_ERROR(ReadCode(row, req.code_hash, &read_back));
    if (const std::string_view mismatch = CodeMismatch(read_back, req); !mismatch.empty()) {
      verdict = FailedPrecondition("authorization code does not match the request",
                                   std::string(mismatch));
      return Status::Ok();  // the code stays consumed
    }
  }
  const AuthCode& code = known != nullptr ? *known : read_back;
  if (req.refresh_scope.empty() || ScopeHolds(code.scope, req.refresh_scope)) {
    ACCORD_RETURN_IF_ERROR(conn.Exec(kInsertFamily,
                                     {req.family_id, code.grant_id, req.client_id, code.subject,
                                      code.session_id, code.scope, req.dpop_jkt, now,
                                      req.family_expires_at})
                               .status());
    ACCORD_RETURN_IF_ERROR(conn.Exec(kInsertToken, {req.refresh_token_hash, req.family_id, now,
                                                    req.family_expires_at})
                               .status());
  }
  if (!code.session_id.empty() && req.session_client_expires_at > now) {
    ACCORD_RETURN_IF_ERROR(
        conn.Exec(kAddClient, {code.session_id, req.client_id, req.session_client_expires_at})
            .status());
  }
  if (out == nullptr) return Status::Ok();
  if (!code.session_id.empty()) {
    ACCORD_ASSIGN_OR_RETURN(out->session, ReadLiveSessionBySid(conn, code.session_id, now));
    if (out->session && out->session->subject != code.subject) out->session.reset();
  }
  out->code = known != nullptr ? *known : std::move(read_back);
  return Status::Ok();
}

}  // namespace

Result<RedeemedCode> SqlStore::RedeemAuthCode(const CodeRedemption& req, int64_t now,
                                              RedeemFailure* failure) {
  ACCORD_RETURN_IF_ERROR(CheckCodeRedemption(req, now));
  if (std::optional<Result<RedeemedCode>> decided = RedeemInIndex(req, now, failure, nullptr)) {
    return std::move(*decided);
  }
  ACCORD_ASSIGN_OR_RETURN(const bool indexed, RecordIndexed(req.replay_records, now, failure));
  return RedeemRecorded(indexed ? WithoutReplayRecords(req) : req, now, failure);
}

Result<RedeemedCode> SqlStore::RedeemRecorded(const CodeRedemption& req, int64_t now,
                                              RedeemFailure* failure) {
  RedeemedCode out;
  Status status = Transact(*pool_, [&](SqlConn& conn, Status& verdict) {
    return RedeemCodeBody(conn, verdict, req, now, failure, &out, nullptr, CodeGate());
  });
  if (!status.ok()) return status;
  return out;
}

ReplayIndex* SqlStore::CodeGate() const {
  return replay_index_ != nullptr && replay_index_->Holds(ReplayScope::kConsumedCode)
             ? replay_index_.get()
             : nullptr;
}

std::optional<Result<RedeemedCode>> SqlStore::RedeemInIndex(
    const CodeRedemption& req, int64_t now, RedeemFailure* failure,
    const std::shared_ptr<RedeemFailure>& later) {
  if (CodeGate() == nullptr) return std::nullopt;
  for (const ReplayRecord& r : req.replay_records) {
    if (!replay_index_->Holds(r.scope)) return std::nullopt;  // the table path takes them all
  }
  DeferredAck::Scope* scope = later ? DeferredAck::Current() : nullptr;
  WriteBatcher* batcher = scope != nullptr ? pool_->batcher() : nullptr;
  // The grant's revocation: decided later where the exchange may be, else now.
  auto revoke = [&](const CodeRedemption& r) -> Result<RedeemedCode> {
    if (batcher != nullptr) {
      SubmitDecidedLater(*batcher, *scope, [r, now, later](SqlConn& conn, Status& v) {
        return RevokeIndexedReuse(conn, v, r, now, later.get());
      });
      return DecidedLater();
    }
    ACCORD_RETURN_IF_ERROR(Transact(*pool_, [&](SqlConn& conn, Status& verdict) {
      return RevokeIndexedReuse(conn, verdict, r, now, failure);
    }));
    return Internal("reused code not refused", "db_error");  // the verdict is never OK
  };
  // Consumed by an earlier exchange the index took: a reuse, whatever the table says. The
  // request's replay records are recorded first (a replayed request stays a "replay").
  const std::string key(req.code_hash.begin(), req.code_hash.end());
  if (replay_index_->Contains(ReplayScope::kConsumedCode, key, now)) {
    ACCORD_ASSIGN_OR_RETURN(const bool indexed, RecordIndexed(req.replay_records, now, failure));
    return revoke(indexed ? WithoutReplayRecords(req) : req);
  }
  // The index takes an exchange that writes nothing else: no refresh family, no session-client
  // row (SaveAuthCode writes that), and not while overflowing into the table.
  if (req.session_client_expires_at > now || now < overflow_until_.load(std::memory_order_acquire)) {
    return std::nullopt;
  }
  RedeemedCode out;
  const Result<bool> redeemable = PeekCode(*pool_, req, now, &out);
  // Anything but an exchangeable code goes the table's way, which says why.
  if (!redeemable.ok() || !*redeemable || WritesFamily(out.code, req)) return std::nullopt;
  std::vector<ReplayRecord> records = req.replay_records;
  // Kept while a reuse can still revoke something: the code's own life, and the longest an
  // access token from it lives (it issues no refresh token).
  records.push_back({ReplayScope::kConsumedCode, key,
                     std::max(out.code.expires_at, req.revoked_grant_expires_at)});
  int replayed = -1;
  Status recorded = replay_index_->Record(records, now, &replayed);
  if (recorded.ok()) {
    ACCORD_RETURN_IF_ERROR(AwaitDurability(replay_index_->TakeDurabilityWait()));
    return out;
  }
  if (recorded.reason() == "replay_journal_full") return std::nullopt;  // the table takes it
  if (recorded.reason() != "replay") return recorded;
  if (static_cast<size_t>(replayed) < req.replay_records.size()) {
    if (failure != nullptr) failure->replayed_index = replayed;
    return recorded;  // nothing recorded
  }
  // A concurrent exchange of the same code won.
  ACCORD_ASSIGN_OR_RETURN(const bool indexed, RecordIndexed(req.replay_records, now, failure));
  return revoke(indexed ? WithoutReplayRecords(req) : req);
}

Result<RedeemedCode> SqlStore::RedeemAuthCodeLater(const CodeRedemption& req_in, int64_t now,
                                                   std::shared_ptr<RedeemFailure> failure) {
  ACCORD_RETURN_IF_ERROR(CheckCodeRedemption(req_in, now));
  if (std::optional<Result<RedeemedCode>> decided =
          RedeemInIndex(req_in, now, failure.get(), failure)) {
    return std::move(*decided);
  }
  // Journaled replay records are decided here, before the code is read; the commit's
  // durability wait then covers them too (GroupDurabilityWait syncs the journal first).
  ACCORD_ASSIGN_OR_RETURN(const bool indexed,
                          RecordIndexed(req_in.replay_records, now, failure.get()));
  const CodeRedemption req = indexed ? WithoutReplayRecords(req_in) : req_in;
  DeferredAck::Scope* scope = DeferredAck::Current();
  WriteBatcher* batcher = pool_->batcher();
  if (scope == nullptr || batcher == nullptr) return RedeemRecorded(req, now, failure.get());
  // Read first: an exchange that will succeed unless a concurrent one wins returns the code now;
  // anything else (unknown, expired, reused, mismatched) is refused, and its verdict (with the
  // writes it makes, such as the revocation after reuse) says why.
  RedeemedCode out;
  const Result<bool> redeemable = PeekCode(*pool_, req, now, &out);
  if (!redeemable.ok()) return RedeemRecorded(req, now, failure.get());
  std::optional<AuthCode> known;
  if (*redeemable) known = out.code;
  SubmitDecidedLater(*batcher, *scope, [req, now, failure, known = std::move(known),
                                        gate = CodeGate() != nullptr ? replay_index_ : nullptr](
                                           SqlConn& conn, Status& v) {
    return RedeemCodeBody(conn, v, req, now, failure.get(), nullptr, known ? &*known : nullptr,
                          gate.get());
  });
  if (!*redeemable) return DecidedLater();
  return out;
}

bool SqlStore::WritesDecidedLater() const { return pool_->batcher() != nullptr; }

Result<RefreshFamily> SqlStore::RedeemRefreshToken(const RefreshRedemption& req, int64_t now,
                                                   RedeemFailure* failure) {
  ACCORD_RETURN_IF_ERROR(CheckReplayRecords(req.replay_records, now));
  ACCORD_RETURN_IF_ERROR(CheckHash(req.presented, "refresh token hash"));
  ACCORD_RETURN_IF_ERROR(CheckHash(req.replacement, "refresh token hash"));
  ACCORD_RETURN_IF_ERROR(CheckRequired(req.client_id, kMaxIdentifierBytes, "client_id"));
  ACCORD_RETURN_IF_ERROR(CheckOptional(req.dpop_jkt, kMaxIdentifierBytes, "dpop_jkt"));
  if (req.presented == req.replacement) {
    return InvalidArgument("replacement refresh token equals the presented one", "bad_value");
  }
  ACCORD_ASSIGN_OR_RETURN(const bool indexed, RecordIndexed(req.replay_records, now, failure));
  RefreshFamily family;
  Status status = Transact(*pool_, [&](SqlConn& conn, Status& verdict) {
    if (!indexed) {
      ACCORD_RETURN_IF_ERROR(InsertReplayRecords(conn, req.replay_records, now, failure));
    }
    ACCORD_ASSIGN_OR_RETURN(SqlResult state, conn.Exec(kTokenWithFamily, {req.presented}));
    if (state.rows.empty()) {
      verdict = NotFound("unknown refresh token", "not_found");
      return Status::Ok();
    }
    RowReader r(state.rows[0]);
    const int64_t used_at = r.Int();
    const int64_t token_expires_at = r.Int();
    const Bytes replaced_by = r.Blob();
    ACCORD_RETURN_IF_ERROR(r.status());
    Row family_row(state.rows[0].begin() + 3, state.rows[0].end());
    ACCORD_RETURN_IF_ERROR(ReadRefreshFamily(family_row, &family));
    // The presenter first: another client or another DPoP key changes nothing, so neither can
    // burn or revoke the real holder's token. (client_id and dpop_jkt never change.)
    if (family.client_id != req.client_id) {
      verdict = FailedPrecondition("refresh token was issued to another client", "wrong_client");
      return Status::Ok();
    }
    if (family.dpop_jkt != req.dpop_jkt) {
      verdict = FailedPrecondition("DPoP key differs from the token's", "dpop_key_mismatch");
      return Status::Ok();
    }
    if (family.revoked_at != 0) {
      verdict = FailedPrecondition("refresh token family is revoked", "revoked");
      return Status::Ok();
    }
    if (family.expires_at <= now) {
      verdict = FailedPrecondition("refresh token family has expired", "expired");
      return Status::Ok();
    }
    ACCORD_ASSIGN_OR_RETURN(SqlResult won,
                            conn.Exec(kUseToken, {req.presented, now, req.replacement}));
    if (won.rows.size() != 1) {
      if (used_at == 0 && token_expires_at <= now) {
        verdict = FailedPrecondition("refresh token has expired", "expired");
        return Status::Ok();
      }
      // Used. If the token that replaced it was never used, the client never got it (a lost
      // response) and this is its retry: that replacement is spent unused and this request's
      // takes its place (FAPI 2.0 Security Profile 5.3.2.1, clause 10). Otherwise a stale token
      // is out there (used before, or by a concurrent rotation): revoke the family.
      bool retry = false;
      if (!replaced_by.empty()) {
        ACCORD_ASSIGN_OR_RETURN(SqlResult superseded, conn.Exec(kSupersede, {replaced_by, now}));
        retry = superseded.rows.size() == 1;
      }
      if (!retry) {
        ACCORD_RETURN_IF_ERROR(conn.Exec(kRevokeFamily, {family.family_id, now}).status());
        if (failure != nullptr) failure->reused_family_id = family.family_id;
        verdict = FailedPrecondition("refresh token was already used", "refresh_token_reused");
        return Status::Ok();
      }
      ACCORD_RETURN_IF_ERROR(
          conn.Exec(kSetReplacedBy, {req.presented, req.replacement}).status());
      if (failure != nullptr) failure->refresh_retried = true;
    }
    // A revocation may have committed between the read and the use (PostgreSQL): re-check.
    ACCORD_ASSIGN_OR_RETURN(SqlResult revoked, conn.Exec(kFamilyRevokedAt, {family.family_id}));
    if (revoked.rows.size() == 1) {
      RowReader rr(revoked.rows[0]);
      family.revoked_at = rr.Int();
      ACCORD_RETURN_IF_ERROR(rr.status());
    }
    if (family.revoked_at != 0) {
      verdict = FailedPrecondition("refresh token family is revoked", "revoked");
      return Status::Ok();  // the used mark on a revoked family's token is harmless
    }
    const int64_t expiry = std::min(req.replacement_expires_at, family.expires_at);
    ACCORD_RETURN_IF_ERROR(CheckLifetime(now, expiry, 0, "refresh token"));
    return conn.Exec(kInsertToken, {req.replacement, family.family_id, now, expiry}).status();
  });
  if (!status.ok()) return status;
  return family;
}

}  // namespace accord::store::internal
