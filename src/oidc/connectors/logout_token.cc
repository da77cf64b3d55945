// Logout token claim checks (logout_token.h) and OidcConnector::VerifyLogoutToken.
#include "oidc/connectors/logout_token.h"

#include "oidc/connectors/id_token.h"
#include "oidc/connectors/oidc_connector.h"

namespace accord::oidc::connectors {
namespace {

constexpr size_t kMaxIdentifier = 255;

Status BadLogoutToken(std::string message) {
  return Unauthenticated("logout token: " + std::move(message), "bad_logout_token");
}

// nullopt: absent; "" with *bad set: present but not an acceptable identifier.
std::optional<std::string> Identifier(const jose::VerifiedJwt& jwt, std::string_view name,
                                      bool* bad) {
  if (!jwt.HasClaim(name)) return std::nullopt;
  std::optional<std::string> value = jwt.GetString(name);
  if (!value || value->empty() || value->size() > kMaxIdentifier) {
    *bad = true;
    return std::nullopt;
  }
  return value;
}

}  // namespace

Result<UpstreamLogout> CheckLogoutTokenClaims(const jose::VerifiedJwt& jwt) {
  const boost::json::object* events = jwt.GetObject("events");
  if (events == nullptr) return BadLogoutToken("events claim missing or not an object");
  const boost::json::value* event = events->if_contains(kBackchannelLogoutEventUri);
  if (event == nullptr || !event->is_object()) {
    return BadLogoutToken("events has no back-channel logout event");
  }
  if (jwt.HasClaim("nonce")) return BadLogoutToken("nonce present");
  bool bad = false;
  std::optional<std::string> sub = Identifier(jwt, "sub", &bad);
  std::optional<std::string> sid = Identifier(jwt, "sid", &bad);
  std::optional<std::string> jti = Identifier(jwt, "jti", &bad);
  if (bad) return BadLogoutToken("sub, sid or jti is not a string of 1..255 bytes");
  if (!sub && !sid) return BadLogoutToken("neither sub nor sid");
  if (!jti) return BadLogoutToken("jti missing");
  std::optional<int64_t> exp = jwt.expiration();
  if (!exp) return BadLogoutToken("exp missing");
  UpstreamLogout out;
  out.subject = sub.value_or("");
  out.sid = sid.value_or("");
  out.jti = *jti;
  out.expires_at = *exp;
  return out;
}

Result<UpstreamLogout> OidcConnector::VerifyLogoutToken(std::string_view token) {
  if (token.empty() || token.size() > 64 * 1024) return BadLogoutToken("missing or too large");
  ACCORD_ASSIGN_OR_RETURN(std::shared_ptr<const ProviderMetadata> m, Metadata());
  IdTokenPolicy policy{.issuer = config_.issuer,
                       .client_id = config_.client_id,
                       .algs = IdTokenAlgs(*m),
                       // Encrypted only when the upstream encrypts to Accord and the token is a JWE.
                       .decrypter = decrypter_ && CompactSegments(token) == 5 ? &*decrypter_
                                                                                : nullptr,
                       .clock = &clock_,
                       .skew_seconds = config_.clock_skew_seconds,
                       .max_age_seconds = kMaxLogoutTokenAgeSeconds};
  if (policy.algs.empty()) return BadLogoutToken("no acceptable signing algorithm");
  Result<jose::VerifiedJwt> verified = Status(StatusCode::kInternal, "unreached");
  for (bool refresh : {false, true}) {
    Result<std::shared_ptr<const jose::Jwks>> keys = Keys(*m, refresh);
    if (!keys.ok()) return keys.status();
    verified = VerifyIdTokenJwt(policy, **keys, token);
    if (verified.ok() || verified.status().reason() != "unknown_kid") break;
  }
  if (!verified.ok()) {
    // bad_id_token comes from the shape check in VerifyIdTokenJwt: rename it for this token.
    return BadLogoutToken(verified.status().reason() == "bad_id_token"
                              ? std::string("not a signed token")
                              : verified.status().reason());
  }
  ACCORD_ASSIGN_OR_RETURN(UpstreamLogout out, CheckLogoutTokenClaims(*verified));
  out.upstream_id = config_.id;
  return out;
}

}  // namespace accord::oidc::connectors
