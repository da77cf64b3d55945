// Records the OpenID Provider keeps in the Store (see store.h and docs/store.md).
//
// Plain values: copyable, no invariants beyond those the Store checks on write. Times are Unix
// seconds (int64) supplied by the caller. Secrets (authorization codes, refresh tokens, session
// cookies) never appear here in clear: only their SHA-256 hash (TokenHash, see token_hash.h).
#ifndef ACCORD_STORE_RECORDS_H_
#define ACCORD_STORE_RECORDS_H_

#include <cstdint>
#include <string>
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
  int64_t Total() const {
    return auth_codes + pushed_requests + sessions + refresh_families + replay_entries +
           logout_deliveries + session_clients;
  }
};

}  // namespace accord::store

#endif  // ACCORD_STORE_RECORDS_H_
