// Records the OpenID Provider keeps in the Store (see store.h and docs/store.md).
//
// Plain values: copyable, no invariants beyond those the Store checks on write. Times are Unix
// seconds (int64) supplied by the caller. Secrets (authorization codes, refresh tokens, session
// cookies) never appear here in clear: only their SHA-256 hash (TokenHash, see token_hash.h).
#ifndef ACCORD_STORE_RECORDS_H_
#define ACCORD_STORE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"

namespace accord::store {

// SHA-256 of a secret token: exactly kTokenHashSize bytes. Build with HashToken().
using TokenHash = Bytes;
inline constexpr size_t kTokenHashSize = 32;

// Bounds enforced on write (InvalidArgument, reason "too_large" / "bad_lifetime").
inline constexpr int64_t kMaxAuthCodeLifetimeSeconds = 60;
inline constexpr int64_t kMaxPushedRequestLifetimeSeconds = 600;
inline constexpr size_t kMaxIdentifierBytes = 512;  // ids, subjects, client ids, jti, kid, URIs
// Store::ListUpstreamLogins returns at most this many sessions of one upstream login or subject.
inline constexpr size_t kMaxUpstreamLogins = 1000;
inline constexpr size_t kMaxTextBytes = 8 * 1024;   // scope, claims JSON, amr, logout token
inline constexpr size_t kMaxJsonBytes = 64 * 1024;  // PAR params, public JWK
inline constexpr size_t kMaxSealedKeyBytes = 16 * 1024;

// An authorization code (RFC 6749 section 4.1.2). Single use; lives at most 60 s.
struct AuthCode {
  TokenHash code_hash;
  std::string grant_id;  // names everything issued from this authorization (refresh families)
  std::string client_id;
  std::string subject;
  std::string session_id;  // sid of the browser session that authorised it
  std::string redirect_uri;
  std::string scope;  // space-separated
  std::string nonce;
  std::string code_challenge;  // PKCE S256 challenge
  std::string dpop_jkt;        // DPoP key thumbprint the code is bound to; empty if none
  std::string claims_json;     // requested claims / extra parameters, opaque to the store
  int64_t auth_time = 0;
  int64_t issued_at = 0;
  int64_t expires_at = 0;  // issued_at < expires_at <= issued_at + 60
  // Not a column: when after issued_at (and session_id is set), SaveAuthCode also records
  // (session_id, client_id) in session_clients until then, in the same transaction, so the
  // session's back-channel logout reaches the client from the moment it holds a code.
  int64_t session_client_expires_at = 0;
};

// A pushed authorization request (RFC 9126). Single use.
struct PushedRequest {
  std::string request_uri;  // urn:ietf:params:oauth:request_uri:<random>; a handle, not a secret
  std::string client_id;
  std::string params_json;  // the validated request parameters, opaque to the store
  int64_t created_at = 0;
  int64_t expires_at = 0;  // created_at < expires_at <= created_at + 600
};

// A browser login session. Looked up by the hash of the cookie secret; `sid` is the public id
// used in ID tokens and logout tokens.
struct Session {
  std::string sid;
  TokenHash secret_hash;
  std::string subject;
  int64_t auth_time = 0;
  std::string acr;
  std::vector<std::string> amr;  // RFC 8176 values; none may contain a space
  std::string upstream;          // the national IdP that authenticated the user
  // The upstream identity the broker established: opaque to the store (sealed by the caller
  // later), at most kMaxJsonBytes.
  std::string identity_json;
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

// A refresh-token family: every token rotated from one original grant. Revoking the family
// invalidates all of its tokens.
struct RefreshFamily {
  std::string family_id;
  std::string grant_id;
  std::string client_id;
  std::string subject;
  std::string session_id;
  std::string scope;
  std::string dpop_jkt;  // empty if not sender-constrained with DPoP
  int64_t created_at = 0;
  int64_t expires_at = 0;  // absolute lifetime of the family; tokens never outlive it
  int64_t revoked_at = 0;  // 0 while live
};

// What a replay cache entry protects; entries of different scopes never collide.
enum class ReplayScope {
  kClientAssertion = 1,  // private_key_jwt jti (key it by client id + jti)
  kDpopProof = 2,        // DPoP proof jti (key it by jkt + jti)
  kLogoutToken = 3,      // back-channel logout token jti received from an upstream
  kRevokedAccessToken = 4,  // RFC 7009: jti of a revoked access token, kept until its exp
  kRevokedGrant = 5,  // grant_id of a grant revoked after code reuse: its access tokens stop working
  // An authorization code consumed by an exchange that the replay index decided (SqlStore with
  // the SQLite replay journal): key = the code's hash. Only the store records it.
  kConsumedCode = 6,
};

// One replay-cache entry to insert as part of a larger operation (RedeemAuthCode,
// RedeemRefreshToken, RecordAll): `key` remembered in `scope` until expires_at.
struct ReplayRecord {
  ReplayScope scope = ReplayScope::kClientAssertion;
  std::string key;
  int64_t expires_at = 0;
};

// An authorization_code exchange at /token, done by Store::RedeemAuthCode in ONE transaction:
// insert the replay records, consume the code, check it against the request, create the refresh
// family and remember the session's client (docs/store.md, "Token requests").
struct CodeRedemption {
  std::vector<ReplayRecord> replay_records;  // client assertion jti, DPoP proof jti
  TokenHash code_hash;
  // The request, checked against the consumed code (a mismatch keeps the code consumed).
  std::string client_id;
  std::string redirect_uri;
  std::string code_challenge;  // S256 of the presented code_verifier, computed by the caller
  std::string dpop_jkt;        // thumbprint of the request's DPoP proof key; "" without DPoP
  // What a successful exchange writes. The family takes grant, subject, session and scope from
  // the code, and client_id / dpop_jkt from the request; its first token expires with it.
  // The family and its first token are written only when the code's scope holds
  // `refresh_scope` (the provider passes "offline_access"; "" writes them always).
  std::string family_id;
  TokenHash refresh_token_hash;
  int64_t family_expires_at = 0;
  std::string refresh_scope;
  int64_t session_client_expires_at = 0;  // session_clients row for the code's sid (0: none)
  // On reuse the code's grant is revoked: its families, and a kRevokedGrant entry until this
  // time (the longest an access token of the grant can live).
  int64_t revoked_grant_expires_at = 0;
};

// What a successful RedeemAuthCode returns: the consumed code and, read in the same
// transaction, the live session it names (its sid unexpired and of the code's subject; nullopt
// otherwise), so /token needs no second store read for the ID token's claims.
struct RedeemedCode {
  AuthCode code;
  std::optional<Session> session;
};

// Whether the space-separated `scope` holds `wanted` as one of its values.
inline bool ScopeHolds(std::string_view scope, std::string_view wanted) {
  while (!scope.empty()) {
    const size_t space = scope.find(' ');
    if (scope.substr(0, space) == wanted) return true;
    if (space == std::string_view::npos) break;
    scope.remove_prefix(space + 1);
  }
  return false;
}

// A refresh_token grant at /token, done by Store::RedeemRefreshToken in ONE transaction.
struct RefreshRedemption {
  std::vector<ReplayRecord> replay_records;
  TokenHash presented;
  TokenHash replacement;
  int64_t replacement_expires_at = 0;  // never past the family's expiry
  // The presenter: must equal the family's client_id and DPoP key, checked before the token is
  // used; a mismatch changes nothing (the token stays valid for its real holder).
  std::string client_id;
  std::string dpop_jkt;
};

// What went wrong in RedeemAuthCode / RedeemRefreshToken / RecordAll, beyond the Status (and,
// for a refresh that succeeded, whether it was a retry).
struct RedeemFailure {
  int replayed_index = -1;       // "replay": index of the replay record already present
  std::string reused_grant_id;   // "code_reused": the code's grant (now revoked)
  std::string reused_family_id;  // "refresh_token_reused": the family (now revoked)
  // RedeemRefreshToken succeeded as a retry after a lost response: the presented token was
  // already used, and its replacement, never used, is now spent.
  bool refresh_retried = false;
};

enum class KeyStatus { kNext = 1, kActive = 2, kRetired = 3 };

// An OP signing key. The private key is sealed by the caller (the store never sees it in clear).
struct SigningKey {
  std::string kid;
  // Which provider the key belongs to ("accord", "sandbox-uk", ...): several OPs share a store.
  std::string owner = "accord";
  std::string algorithm;  // "PS256", "ES256", ...
  KeyStatus status = KeyStatus::kNext;
  int64_t created_at = 0;
  int64_t activates_at = 0;  // planned (next) or actual (active/retired) activation time
  int64_t retires_at = 0;    // 0 until retired
  Bytes sealed_private_key;
  std::string public_jwk_json;
};

// A user's consent for a client. revoked_at != 0 means withdrawn (the record is kept for audit).
struct Consent {
  std::string subject;
  std::string client_id;
  std::vector<std::string> scopes;  // none may contain a space
  std::string claims_json;          // consented claims, opaque to the store
  int64_t granted_at = 0;
  int64_t revoked_at = 0;
};

// A pending OpenID Connect back-channel logout delivery.
struct LogoutDelivery {
  int64_t id = 0;  // assigned by EnqueueLogout
  std::string client_id;
  std::string endpoint;      // the RP's backchannel_logout_uri
  std::string logout_token;  // the signed logout token (a JWT)
  int64_t attempts = 0;      // claims so far
  int64_t next_attempt_at = 0;
  int64_t created_at = 0;
  int64_t expires_at = 0;  // give up (and sweep) after this
};

// Rows removed by one SweepExpired call, per table.
struct SweepStats {
  int64_t auth_codes = 0;
  int64_t pushed_requests = 0;
  int64_t sessions = 0;
  int64_t refresh_families = 0;  // their tokens go with them
  int64_t replay_entries = 0;
  int64_t logout_deliveries = 0;
  int64_t session_clients = 0;
  int64_t upstream_logins = 0;
  int64_t consents = 0;           // SweepConsents: consents past their retention period
  int64_t consent_snapshots = 0;  // SweepConsents: released-attribute snapshots erased
  int64_t Total() const {
    return auth_codes + pushed_requests + sessions + refresh_families + replay_entries +
           logout_deliveries + session_clients + upstream_logins + consents + consent_snapshots;
  }
};

}  // namespace accord::store

#endif  // ACCORD_STORE_RECORDS_H_
