// Upstream ID token verification (OIDC Core section 3.1.3.7) on top of jose: the JWS signature
// with the upstream's JWKS and the allowed algorithms (taken from policy, never from the token),
// decryption first when the upstream encrypts ID tokens to Accord (Singpass: JWE ECDH-ES+A256KW
// with A256CBC-HS512 or A256GCM, cty JWT, around an ES256 JWS), then iss, aud (must contain
// client_id; azp = client_id when several audiences), exp, iat (with bounded skew and a maximum
// age), nonce (constant time), sub and at_hash.
//
// VerifyIdTokenJwt returns jose's own status so the caller can tell "unknown_kid" (refetch the
// JWKS once) from other failures; CheckIdTokenClaims returns the connector reasons
// "bad_id_token" / "nonce_mismatch".
//
// Thread safety: stateless functions.
#ifndef ACCORD_OIDC_CONNECTORS_ID_TOKEN_H_
#define ACCORD_OIDC_CONNECTORS_ID_TOKEN_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "crypto/signature.h"
#include "jose/jwe.h"
#include "jose/jwk.h"
#include "jose/jwt.h"

namespace accord::oidc::connectors {

// JWS options allowing exactly `algs` (no crit extensions, default size limit).
inline jose::JwsVerifyOptions AlgPolicy(std::vector<crypto::SignatureAlgorithm> algs) {
  jose::JwsVerifyOptions options;
  options.allowed_algs = std::move(algs);
  return options;
}

struct IdTokenPolicy {
  std::string issuer;
  std::string client_id;
  std::vector<crypto::SignatureAlgorithm> algs;  // non-empty
  const jose::JweDecrypter* decrypter = nullptr;  // set: the token MUST be a JWE
  const Clock* clock = nullptr;
  int64_t skew_seconds = jose::kDefaultClockSkewSeconds;
  int64_t max_age_seconds = 600;  // since iat
};

Result<jose::VerifiedJwt> VerifyIdTokenJwt(const IdTokenPolicy& policy, const jose::Jwks& keys,
                                           std::string_view token);

// nonce must equal `expected_nonce`; sub must be a non-empty string; with several audiences azp
// must be client_id; at_hash (when present) must match `access_token`.
Status CheckIdTokenClaims(const jose::VerifiedJwt& jwt, std::string_view expected_nonce,
                          std::string_view client_id, std::string_view access_token);

// Number of '.'-separated segments in a compact token (3: JWS, 5: JWE).
size_t CompactSegments(std::string_view token);

}  // namespace accord::oidc::connectors

#endif  // ACCORD_OIDC_CONNECTORS_ID_TOKEN_H_
