// Provider hooks for claims sources and national profiles (provider.h, national_profile.h).
#include <boost/json/serialize.hpp>

#include "common/json.h"
#include "crypto/constant_time.h"
#include "oidc/provider/provider.h"

namespace accord::oidc {
namespace {

// The local subject behind a client-visible `sub`: the session named by `sid` when it exists
// and belongs to that sub, else a sandbox person whose pairwise subject matches.
struct LocalSubject {
  std::string subject;
  std::optional<store::Session> session;
};

}  // namespace

Status Provider::InitProfile(const ProviderDeps& deps) {
  if (keys_.owner() != config_.key_owner) {
    return InvalidArgument("key_owner: the key manager holds the keys of \"" + keys_.owner() +
                               "\", the config names \"" + config_.key_owner + "\"",
                           "bad_config");
  }
  ACCORD_ASSIGN_OR_RETURN(national_, NationalProfile::Create(config_, store_, *deps.root_secret,
                                                             authenticator_, clock_));
  default_claims_ = std::make_unique<PeopleClaimsSource>(authenticator_);
  consent_gate_ = deps.consent_gate;
  if (deps.claims_source != nullptr) {
    claims_source_ = deps.claims_source;
  } else if (national_ != nullptr) {
    claims_source_ = &national_->claims_source();
  } else {
    claims_source_ = default_claims_.get();
  }
  if (national_ != nullptr) {
    auto discovery = ParseJsonObject(discovery_json_);
    if (!discovery.ok()) return Internal("discovery document", "internal");
    national_->AdjustDiscovery(*discovery);
    discovery_json_ = boost::json::serialize(*discovery);
  }
  return Status::Ok();
}

void Provider::AddAccessTokenContext(const AuthorizationRequest* auth, const std::string& sid,
                                     boost::json::object& at) const {
  if (!sid.empty()) at["sid"] = sid;
  if (auth == nullptr) return;
  if (!auth->claims.empty()) at["claims"] = auth->claims;
  if (!auth->vtr.empty()) at["vtr"] = auth->vtr;
  if (!auth->acr_values.empty()) at["acr_values"] = auth->acr_values;
}

namespace {

Result<LocalSubject> Resolve(const Provider& provider, store::Store& store,
                             const Authenticator& people, const ClientConfig& client,
                             std::string_view sub, std::string_view sid, int64_t now) {
  LocalSubject out;
  if (!sid.empty()) {
    auto session = store.GetSessionBySid(sid, now);
    if (session.ok() &&
        crypto::ConstantTimeEquals(provider.PairwiseSubject(client, session->subject), sub)) {
      out.subject = session->subject;
      out.session = std::move(*session);
      return out;
    }
  }
  for (const Person& p : people.people()) {
    if (crypto::ConstantTimeEquals(provider.PairwiseSubject(client, p.id), sub)) {
      out.subject = p.id;
      return out;
    }
  }
  return NotFound("unknown subject", "unknown_subject");
}

}  // namespace

Status Provider::AddIdTokenClaims(const ClientConfig& client, const TokenGrant& g,
                                  boost::json::object& id) const {
  LocalSubject local;
  if (g.local_subject != nullptr) {  // already known: no store read, no pairwise search
    local.subject = *g.local_subject;
    if (g.session != nullptr) local.session = *g.session;
  } else {
    ACCORD_ASSIGN_OR_RETURN(local, Resolve(*this, store_, authenticator_, client, g.sub, g.sid,
                                           clock_.NowSeconds()));
  }
  const AuthorizationRequest& auth = *g.auth;
  ClaimsContext c{client, local.session ? &*local.session : nullptr, local.subject, g.scope,
                  auth.claims, auth.acr_values, g.sub, auth.vtr};
  return claims_source_->AddIdTokenClaims(c, id);
}

Result<std::string> Provider::SealIdToken(const ClientConfig& client, std::string id_token) const {
  if (national_ == nullptr) return id_token;
  return national_->SealJwt(client, std::move(id_token));
}

http::Response Provider::UserinfoResponse(const jose::VerifiedJwt& at, const ClientConfig& client,
                                          std::string_view scheme) const {
  auto unauthorized = [&](std::string_view description) {
    http::Response r = http::OAuthError(401, "invalid_token", description);
    r.headers.Set("WWW-Authenticate",
                  std::string(scheme) + " error=\"invalid_token\", algs=\"ES256 PS256\"");
    r.headers.Set("Cache-Control", "no-store");
    return r;
  };
  std::string sub = at.subject().value_or("");
  int64_t now = clock_.NowSeconds();
  auto local = Resolve(*this, store_, authenticator_, client, sub, at.GetString("sid").value_or(""),
                       now);
  if (!local.ok()) return unauthorized("unknown subject");
  std::string scope = at.GetString("scope").value_or("");
  std::string claims_request = at.GetString("claims").value_or("");
  std::string acr_values = at.GetString("acr_values").value_or("");
  std::string vtr = at.GetString("vtr").value_or("");
  ClaimsContext c{client, local->session ? &*local->session : nullptr, local->subject, scope,
                  claims_request, acr_values, sub, vtr};
  boost::json::object body;
  body["sub"] = sub;
  Status added = claims_source_->AddUserinfoClaims(c, body);
  if (!added.ok()) {
    if (added.reason() == "unknown_subject") return unauthorized("unknown subject");
    return http::OAuthError(500, "server_error");
  }
  if (national_ == nullptr || !national_->userinfo_is_jwt()) {
    http::Response r = http::JsonResponse(body);
    r.headers.Set("Cache-Control", "no-store");
    return r;
  }
  // Singpass: the userinfo is an ES256 JWS inside a JWE to the client's encryption key.
  body["iss"] = config_.issuer;
  body["aud"] = client.client_id;
  body["iat"] = now;
  body["exp"] = now + kIdTokenLifetime;
  auto snap = keys_.Current();
  const jose::JwtSigner* signer =
      snap == nullptr ? nullptr : snap->IdTokenSigner(crypto::SignatureAlgorithm::kEs256);
  if (signer == nullptr) return http::OAuthError(503, "temporarily_unavailable");
  auto signed_jwt = signer->Sign(body);
  if (!signed_jwt.ok()) return http::OAuthError(500, "server_error");
  auto sealed = national_->SealJwt(client, std::move(*signed_jwt));
  if (!sealed.ok()) return http::OAuthError(500, "server_error");
  http::Response r;
  r.headers.Set("Content-Type", "application/jwt");
  r.headers.Set("Cache-Control", "no-store");
  r.body = std::move(*sealed);
  return r;
}

}  // namespace accord::oidc
