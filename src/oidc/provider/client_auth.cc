#include "oidc/provider/client_auth.h"

#include <algorithm>

#include "jose/jwt.h"
#include "oidc/provider/jwt_peek.h"

namespace accord::oidc {
namespace {

Status Fail(std::string message) { return Unauthenticated(std::move(message), "invalid_client"); }

}  // namespace

Result<const ClientConfig*> ClientAuthenticator::Authenticate(
    const http::Params& form, const std::vector<std::string>& audiences,
    std::vector<store::ReplayRecord>* deferred) const {
  auto type = form.GetUnique("client_assertion_type");
  if (!type.ok()) return Fail("client_assertion_type missing or repeated");
  if (*type != kJwtBearerAssertionType) return Fail("unsupported client_assertion_type");
  if (form.Count("client_secret") > 0) return Fail("client_secret is not accepted");
  auto assertion = form.GetUnique("client_assertion");
  if (!assertion.ok()) return Fail("client_assertion missing or repeated");

  auto peek = PeekUnverifiedSegment(*assertion, 1);
  if (!peek.ok()) return Fail("client_assertion malformed");
  const boost::json::value* iss = peek->if_contains("iss");
  if (iss == nullptr || !iss->is_string()) return Fail("client_assertion has no iss");
  std::string client_id(iss->get_string());
  if (form.Count("client_id") > 1) return Fail("client_id repeated");
  if (auto form_id = form.Get("client_id"); form_id && *form_id != client_id) {
    return Fail("client_id does not match the assertion");
  }
  const ClientConfig* client = config_.FindClient(client_id);
  if (client == nullptr) return Fail("unknown client");

  jose::JwsVerifyOptions options;
  options.allowed_algs = {crypto::SignatureAlgorithm::kEs256, crypto::SignatureAlgorithm::kPs256};
  if (client->profile == ClientProfile::kOidc) {
    options.allowed_algs.push_back(crypto::SignatureAlgorithm::kRs256);
  }
  auto validator = jose::JwtValidator::Builder()
                       .ExpectIssuer(client_id)
                       .IgnoreAudiences()
                       .IgnoreTypeHeader()
                       .RequireJwtId()
                       .SetClock(clock_)
                       .Build();
  if (!validator.ok()) return Internal("validator", "internal");
  auto verify_with = [&](const jose::Jwks& keys) -> Result<jose::VerifiedJwt> {
    auto jws = jose::JwsVerifier::Create(keys, options);
    if (!jws.ok()) return Fail("client has no usable keys");
    return jose::JwtVerifier(std::move(*jws), *validator).Verify(*assertion);
  };
  Result<jose::VerifiedJwt> jwt = Fail("no keys");
  if (client->jwks_uri.empty()) {
    jwt = verify_with(client->jwks);
  } else {
    if (jwks_cache_ == nullptr) return Fail("client keys unavailable");
    auto keys = jwks_cache_->Get(client->jwks_uri);
    if (!keys.ok()) return Fail("client keys unavailable (" + keys.status().reason() + ")");
    jwt = verify_with(*keys);
    if (!jwt.ok() && (jwt.status().reason() == "unknown_kid" ||
                      jwt.status().reason() == "bad_signature" ||
                      jwt.status().reason() == "alg_key_mismatch")) {
      auto refreshed = jwks_cache_->Refresh(client->jwks_uri);
      if (refreshed.ok()) jwt = verify_with(*refreshed);
    }
  }
  if (!jwt.ok()) return Fail("client_assertion rejected (" + jwt.status().reason() + ")");
  if (jwt->subject() != client_id) return Fail("client_assertion sub must equal client_id");
  std::vector<std::string> aud = jwt->audiences();
  bool aud_ok = std::any_of(aud.begin(), aud.end(), [&](const std::string& a) {
    return std::find(audiences.begin(), audiences.end(), a) != audiences.end();
  });
  if (!aud_ok) return Fail("client_assertion aud is not this server");
  int64_t now = clock_.NowSeconds();
  int64_t exp = *jwt->expiration();
  if (exp > now + kMaxAssertionLifetime) return Fail("client_assertion exp too far ahead");
  if (config_.profile == "singpass") {
    // Singpass FAPI 2.0: ES256 only (below), iat required, exp at most 120 s after iat, and aud
    // exactly the issuer (docs/sandboxes.md).
    std::optional<int64_t> iat = jwt->issued_at();
    if (jwt->alg() != crypto::SignatureAlgorithm::kEs256) return Fail("client_assertion must be ES256");
    if (!iat || exp - *iat > 120) return Fail("client_assertion exp must be at most 120 s after iat");
    if (aud.size() != 1 || aud[0] != config_.issuer) return Fail("client_assertion aud must be the issuer");
  }
  std::string key = client_id + " " + *jwt->jwt_id();
  const int64_t keep_until = std::max(exp + jose::kDefaultClockSkewSeconds, now + 1);
  if (deferred != nullptr) {
    deferred->push_back({store::ReplayScope::kClientAssertion, std::move(key), keep_until});
    return client;
  }
  Status recorded = store_.RecordOnce(store::ReplayScope::kClientAssertion, key, keep_until, now);
  if (recorded.code() == StatusCode::kAlreadyExists) return Fail("client_assertion jti replayed");
  if (!recorded.ok()) return recorded;
  return client;
}

}  // namespace accord::oidc
