// Back-channel logout tokens from an upstream identity provider (OpenID Connect Back-Channel
// Logout 1.0, section 2.6 "Logout Token Validation"): the upstream POSTs logout_token=<JWT> to
// Accord when the person logs out there; Accord ends the gateway sessions it derived from that
// upstream login (oidc/broker/upstream_logout.h).
//
// CheckLogoutTokenClaims runs the claim checks on a token whose signature, iss, aud, iat and exp
// the JWT validator has already verified (Connector::VerifyLogoutToken does both, with the
// upstream's JWKS and the ID token algorithms, one JWKS refetch on an unknown kid; a JWE around
// the JWS is opened when the upstream encrypts ID tokens to Accord):
//   - events is an object with a member "http://schemas.openid.net/event/backchannel-logout"
//     whose value is an object;
//   - sub and/or sid: at least one, each a non-empty string of at most 255 bytes;
//   - nonce absent (a logout token must not be confusable with an ID token);
//   - jti a non-empty string of at most 255 bytes (the caller records it once: replay).
// Errors: Unauthenticated "bad_logout_token" (the message names the check, never values).
//
// Thread safety: stateless.
#ifndef ACCORD_OIDC_CONNECTORS_LOGOUT_TOKEN_H_
#define ACCORD_OIDC_CONNECTORS_LOGOUT_TOKEN_H_

#include <cstdint>
#include <string>

#include "common/status.h"
#include "jose/jwt.h"

namespace accord::oidc::connectors {

inline constexpr std::string_view kBackchannelLogoutEventUri =
    "http://schemas.openid.net/event/backchannel-logout";
// Logout tokens older than this (from iat) are refused, whatever their exp says.
inline constexpr int64_t kMaxLogoutTokenAgeSeconds = 600;

struct UpstreamLogout {
  std::string upstream_id;
  std::string subject;  // upstream sub ("" when the token names only a session)
  std::string sid;      // upstream session id ("" when the token names only a subject)
  std::string jti;
  int64_t expires_at = 0;  // exp: how long the jti must be remembered
};

Result<UpstreamLogout> CheckLogoutTokenClaims(const jose::VerifiedJwt& jwt);

}  // namespace accord::oidc::connectors

#endif  // ACCORD_OIDC_CONNECTORS_LOGOUT_TOKEN_H_
