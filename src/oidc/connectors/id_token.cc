#include "oidc/connectors/id_token.h"

#include <algorithm>

#include "crypto/constant_time.h"
#include "jose/token_hash.h"

namespace accord::oidc::connectors {
namespace {

Status BadIdToken(std::string message) {
  return Unauthenticated("ID token: " + std::move(message), "bad_id_token");
}

}  // namespace

size_t CompactSegments(std::string_view token) {
  return static_cast<size_t>(std::count(token.begin(), token.end(), '.')) + 1;
}

Result<jose::VerifiedJwt> VerifyIdTokenJwt(const IdTokenPolicy& policy, const jose::Jwks& keys,
                                           std::string_view token) {
  size_t segments = CompactSegments(token);
  if (policy.decrypter != nullptr && segments != 5) {
    return BadIdToken("expected an encrypted (JWE) token");
  }
  if (policy.decrypter == nullptr && segments != 3) return BadIdToken("expected a signed token");
  ACCORD_ASSIGN_OR_RETURN(jose::JwsVerifier jws,
                          jose::JwsVerifier::Create(keys, AlgPolicy(policy.algs)));
  jose::JwtValidator::Builder builder;
  builder.ExpectIssuer(policy.issuer)
      .ExpectAudience(policy.client_id)
      .IgnoreTypeHeader()
      .RequireIssuedAt()
      .SetMaxAgeSeconds(policy.max_age_seconds)
      .SetClockSkewSeconds(policy.skew_seconds);
  if (policy.clock != nullptr) builder.SetClock(*policy.clock);
  ACCORD_ASSIGN_OR_RETURN(jose::JwtValidator validator, builder.Build());
  jose::JwtVerifier verifier(std::move(jws), std::move(validator));
  if (policy.decrypter != nullptr) return verifier.VerifyNested(*policy.decrypter, token);
  return verifier.Verify(token);
}

Status CheckIdTokenClaims(const jose::VerifiedJwt& jwt, std::string_view expected_nonce,
                          std::string_view client_id, std::string_view access_token) {
  std::optional<std::string> nonce = jwt.GetString("nonce");
  if (!nonce || expected_nonce.empty() || !crypto::ConstantTimeEquals(*nonce, expected_nonce)) {
    return Unauthenticated("ID token: nonce does not match the login", "nonce_mismatch");
  }
  std::optional<std::string> sub = jwt.subject();
  if (!sub || sub->empty() || sub->size() > 255) return BadIdToken("missing or bad sub");
  std::vector<std::string> audiences = jwt.audiences();
  if (audiences.size() > 1 || jwt.HasClaim("azp")) {
    std::optional<std::string> azp = jwt.GetString("azp");
    if (!azp || *azp != client_id) return BadIdToken("azp is not this client");
  }
  if (jwt.HasClaim("at_hash")) {
    std::optional<std::string> at_hash = jwt.GetString("at_hash");
    if (!at_hash || !jose::TokenHashMatches(jwt.alg(), access_token, *at_hash)) {
      return BadIdToken("at_hash does not match the access token");
    }
  }
  return Status::Ok();
}

}  // namespace accord::oidc::connectors
