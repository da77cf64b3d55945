// What the connectors sign and derive for upstream requests: private_key_jwt client assertions
// (RFC 7523 / OIDC Core section 9), DPoP proofs (RFC 9449 section 4.2) and PKCE S256 challenges
// (RFC 7636 section 4.2).
//
// Thread safety: stateless functions.
#ifndef ACCORD_OIDC_CONNECTORS_REQUEST_SIGNING_H_
#define ACCORD_OIDC_CONNECTORS_REQUEST_SIGNING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "crypto/signature.h"
#include "jose/jwk.h"

namespace accord::oidc::connectors {

inline constexpr std::string_view kClientAssertionType =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
// Lifetime of a client assertion: Singpass requires exp <= iat + 120 s.
inline constexpr int64_t kClientAssertionLifetimeSeconds = 120;

// The signing algorithm for a client key: the key's own "alg" when set (ES256/ES384/ES512/
// PS256/RS256), else ES256 for EC P-256 and RS256 for RSA (One Login). InvalidArgument
// "bad_config" for keys that fit none.
Result<crypto::SignatureAlgorithm> ClientKeyAlgorithm(const jose::Jwk& key);

// JWT {iss = sub = client_id, aud, iat = now, exp = now + kClientAssertionLifetimeSeconds,
// jti = 128 random bits} with typ "JWT" and the key's kid.
Result<std::string> MakeClientAssertion(const jose::Jwk& key, crypto::SignatureAlgorithm alg,
                                        std::string_view client_id, std::string_view audience,
                                        int64_t now);

// A DPoP proof: header {typ "dpop+jwt", alg ES256, jwk (public)}, claims {jti, htm, htu, iat,
// nonce (when given), ath = base64url(SHA-256(access_token)) (when given)}. `htu` must be the
// endpoint URL without query and fragment.
Result<std::string> MakeDpopProof(const jose::Jwk& key, std::string_view method,
                                  std::string_view htu, int64_t now,
                                  std::optional<std::string_view> nonce,
                                  std::optional<std::string_view> access_token);

// A fresh P-256 key for one login's DPoP proofs.
Result<jose::Jwk> NewDpopKey();

// base64url(SHA-256(ASCII(verifier))).
std::string PkceS256Challenge(std::string_view verifier);

// `url` without its query and fragment (for DPoP htu).
std::string StripQuery(std::string_view url);

}  // namespace accord::oidc::connectors

#endif  // ACCORD_OIDC_CONNECTORS_REQUEST_SIGNING_H_
