// /token and /userinfo (see provider.h).
#include <algorithm>
#include <set>
#include <sstream>

#include "common/base64url.h"
#include "common/json.h"
#include "crypto/constant_time.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "jose/jwt.h"
#include "oidc/provider/provider.h"
#include "store/token_hash.h"

namespace accord::oidc {
namespace {

Status Grant(std::string message) { return InvalidArgument(std::move(message), "invalid_grant"); }
Status Request(std::string message) { return InvalidArgument(std::move(message), "invalid_request"); }

bool ValidVerifier(std::string_view v) {
  if (v.size() < 43 || v.size() > 128) return false;
  for (char c : v) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_' || c == '~';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

http::Response Provider::Token(const http::Request& request) const {
  auto form = request.Form();
  if (!form.ok()) return OAuthErrorWithNonce(400, Request("body must be a form"));
  if (auto dup = form->FirstDuplicate()) {
    return OAuthErrorWithNonce(400, Request(std::string(*dup) + " repeated"));
  }
  auto client = client_auth_.Authenticate(*form, {config_.issuer, Url("/token")});
  if (!client.ok()) {
    return OAuthErrorWithNonce(client.status().reason() == "invalid_client" ? 401 : 500,
                               client.status());
  }
  auto grant_type = form->GetUnique("grant_type");
  if (!grant_type.ok()) return OAuthErrorWithNonce(400, Request("grant_type missing"));
  if (*grant_type == "authorization_code") return TokenFromCode(request, *form, **client);
  if (*grant_type == "refresh_token") return TokenFromRefresh(request, *form, **client);
  if (*grant_type == "client_credentials") {
    return TokenFromClientCredentials(request, *form, **client);
  }
  return OAuthErrorWithNonce(400, InvalidArgument("grant_type not supported",
                                                  "unsupported_grant_type"));
}

http::Response Provider::TokenFromCode(const http::Request& request, const http::Params& form,
                                       const ClientConfig& client) const {
  auto code = form.GetUnique("code");
  if (!code.ok() || code->size() > 256) return OAuthErrorWithNonce(400, Request("code missing"));
  // The DPoP proof is checked before the code is consumed, so a nonce round trip does not burn it.
  auto proof = CheckDpop(request, Url("/token"), std::nullopt);
  if (!proof.ok()) return OAuthErrorWithNonce(400, proof.status());
  if (client.requires_dpop() && !proof->has_value()) {
    return OAuthErrorWithNonce(400, InvalidArgument("this client must use DPoP",
                                                    "invalid_dpop_proof"));
  }
  int64_t now = clock_.NowSeconds();
  std::string reused_grant;
  auto record = store_.ConsumeAuthCode(store::HashToken(*code), now, &reused_grant);
  if (!record.ok()) {
    if (record.status().reason() == "code_reused" && !reused_grant.empty()) {
      store_.RevokeGrant(reused_grant, now).status().IgnoreError();
      return OAuthErrorWithNonce(400, Grant("code already used; tokens from it are revoked"));
    }
    if (record.status().code() == StatusCode::kUnavailable) {
      return OAuthErrorWithNonce(503, record.status());
    }
    return OAuthErrorWithNonce(400, Grant("code invalid or expired"));
  }
  if (record->client_id != client.client_id) return OAuthErrorWithNonce(400, Grant("code was issued to another client"));
  auto redirect_uri = form.GetUnique("redirect_uri");
  if (!redirect_uri.ok() || *redirect_uri != record->redirect_uri) {
    return OAuthErrorWithNonce(400, Grant("redirect_uri does not match the authorization request"));
  }
  auto verifier = form.GetUnique("code_verifier");
  if (!verifier.ok() || !ValidVerifier(*verifier)) {
    return OAuthErrorWithNonce(400, Grant("code_verifier missing or malformed"));
  }
  std::string challenge = Base64UrlEncode(crypto::Sha256(AsBytes(*verifier)));
  if (!crypto::ConstantTimeEquals(challenge, record->code_challenge)) {
    return OAuthErrorWithNonce(400, Grant("code_verifier does not match code_challenge"));
  }
  std::string jkt = proof->has_value() ? (*proof)->jkt : "";
  if (!record->dpop_jkt.empty() && record->dpop_jkt != jkt) {
    return OAuthErrorWithNonce(400, Grant("DPoP key differs from the one bound at PAR"));
  }
  std::string acr;
  if (auto claims = ParseJsonObject(record->claims_json); claims.ok()) {
    if (auto* v = claims->if_contains("acr"); v && v->is_string()) acr = std::string(v->get_string());
  }
  std::string refresh_token = crypto::RandomToken(32);
  store::RefreshFamily family;
  family.family_id = crypto::RandomToken(16);
  family.grant_id = record->grant_id;
  family.client_id = client.client_id;
  family.subject = record->subject;
  family.session_id = record->session_id;
  family.scope = record->scope;
  family.dpop_jkt = jkt;
  family.created_at = now;
  family.expires_at = now + config_.refresh_token_lifetime;
  if (!store_.CreateRefreshFamily(family, store::HashToken(refresh_token), family.expires_at).ok()) {
    return OAuthErrorWithNonce(503, Unavailable("store", "temporarily_unavailable"));
  }
  // Back-channel logout fan-out: this client now holds tokens from the session. The session ends
  // no later than now + session_lifetime, so the row never needs to outlive that.
  if (!record->session_id.empty() &&
      !store_.AddSessionClient(record->session_id, client.client_id, now + config_.session_lifetime)
           .ok()) {
    return OAuthErrorWithNonce(503, Unavailable("store", "temporarily_unavailable"));
  }
  AuthorizationRequest auth;
  auth.nonce = record->nonce;
  RestoreGrantParameters(record->claims_json, &auth);  // claims request, vtr, acr_values
  http::Response r = TokenResponse(client, PairwiseSubject(client, record->subject), record->scope, jkt, refresh_token,
                                   &auth, record->auth_time, record->session_id, acr);
  if (proof->has_value()) r.headers.Set("DPoP-Nonce", dpop_->NewNonce());
  return r;
}

http::Response Provider::TokenFromRefresh(const http::Request& request, const http::Params& form,
                                          const ClientConfig& client) const {
  auto presented = form.GetUnique("refresh_token");
  if (!presented.ok() || presented->size() > 256) {
    return OAuthErrorWithNonce(400, Request("refresh_token missing"));
  }
  auto proof = CheckDpop(request, Url("/token"), std::nullopt);
  if (!proof.ok()) return OAuthErrorWithNonce(400, proof.status());
  std::string jkt = proof->has_value() ? (*proof)->jkt : "";
  if (client.requires_dpop() && jkt.empty()) {
    return OAuthErrorWithNonce(400, InvalidArgument("this client must use DPoP", "invalid_dpop_proof"));
  }
  int64_t now = clock_.NowSeconds();
  std::string replacement = crypto::RandomToken(32);
  std::string reused_family;
  auto family = store_.RotateRefreshToken(store::HashToken(*presented),
                                          store::HashToken(replacement),
                                          now + config_.refresh_token_lifetime, now,
                                          &reused_family);
  if (!family.ok()) {
    if (family.status().code() == StatusCode::kUnavailable) return OAuthErrorWithNonce(503, family.status());
    return OAuthErrorWithNonce(400, Grant("refresh token invalid, expired or revoked"));
  }
  if (family->client_id != client.client_id) {
    store_.RevokeRefreshFamily(family->family_id, now).IgnoreError();
    return OAuthErrorWithNonce(400, Grant("refresh token was issued to another client"));
  }
  if (family->dpop_jkt != jkt) {
    return OAuthErrorWithNonce(400, Grant("DPoP key differs from the one the token is bound to"));
  }
  http::Response r = TokenResponse(client, PairwiseSubject(client, family->subject), family->scope, jkt, replacement,
                                   nullptr, 0, family->session_id, "");
  if (proof->has_value()) r.headers.Set("DPoP-Nonce", dpop_->NewNonce());
  return r;
}

http::Response Provider::TokenFromClientCredentials(const http::Request& request,
                                                    const http::Params& form,
                                                    const ClientConfig& client) const {
  std::string scope;
  if (form.Count("scope") == 1) scope = std::string(*form.Get("scope"));
  if (scope.size() > 1024) return OAuthErrorWithNonce(400, Request("scope too long"));
  std::istringstream in(scope);
  for (std::string s; in >> s;) {
    // openid and offline_access describe a user; there is none in this grant.
    if (s == "openid" || s == "offline_access" || !client.AllowsScope(s)) {
      return OAuthErrorWithNonce(400, InvalidArgument("scope " + s + " not allowed", "invalid_scope"));
    }
  }
  auto proof = CheckDpop(request, Url("/token"), std::nullopt);
  if (!proof.ok()) return OAuthErrorWithNonce(400, proof.status());
  std::string jkt = proof->has_value() ? (*proof)->jkt : "";
  if (client.requires_dpop() && jkt.empty()) {
    return OAuthErrorWithNonce(400, InvalidArgument("this client must use DPoP", "invalid_dpop_proof"));
  }
  // RFC 9068 section 2.2: with no resource owner, sub is the client_id. No refresh or ID token.
  http::Response r = TokenResponse(client, client.client_id, scope, jkt, "", nullptr, 0, "", "");
  if (proof->has_value()) r.headers.Set("DPoP-Nonce", dpop_->NewNonce());
  return r;
}

http::Response Provider::Userinfo(const http::Request& request) const {
  auto unauthorized = [this](std::string_view scheme, std::string_view error,
                             std::string_view description) {
    http::Response r = http::OAuthError(401, error, description);
    r.headers.Set("WWW-Authenticate", std::string(scheme) + " error=\"" + std::string(error) +
                                          "\", algs=\"ES256 PS256\"");
    if (error == "use_dpop_nonce") r.headers.Set("DPoP-Nonce", dpop_->NewNonce());
    r.headers.Set("Cache-Control", "no-store");
    return r;
  };
  auto header = request.headers.Get("Authorization");
  if (!header || request.headers.Count("Authorization") != 1) {
    return unauthorized("Bearer", "invalid_token", "access token required");
  }
  std::string_view value = *header;
  std::string scheme;
  if (value.size() > 7 && (value.substr(0, 7) == "Bearer " || value.substr(0, 7) == "bearer ")) {
    scheme = "Bearer";
    value.remove_prefix(7);
  } else if (value.size() > 5 && (value.substr(0, 5) == "DPoP " || value.substr(0, 5) == "dpop ")) {
    scheme = "DPoP";
    value.remove_prefix(5);
  } else {
    return unauthorized("Bearer", "invalid_token", "unsupported authorization scheme");
  }
  auto snap = keys_.Current();
  if (snap == nullptr) return http::OAuthError(503, "temporarily_unavailable");
  jose::JwsVerifyOptions options;
  options.allowed_algs = {crypto::SignatureAlgorithm::kEs256};
  auto jws = jose::JwsVerifier::Create(snap->public_jwks, options);
  auto validator = jose::JwtValidator::Builder()
                       .ExpectIssuer(config_.issuer)
                       .ExpectAudience(config_.issuer)
                       .ExpectTypeHeader("at+jwt")
                       .SetClock(clock_)
                       .Build();
  if (!jws.ok() || !validator.ok()) return http::OAuthError(500, "server_error");
  jose::JwtVerifier verifier(std::move(*jws), std::move(*validator));
  auto at = verifier.Verify(value);
  if (!at.ok()) return unauthorized(scheme, "invalid_token", "access token invalid or expired");
  // RFC 7009: a revoked access token's jti stays recorded until its exp.
  auto revoked = store_.IsRecorded(store::ReplayScope::kRevokedAccessToken,
                                   at->jwt_id().value_or(""), clock_.NowSeconds());
  if (!revoked.ok() && at->jwt_id()) return http::OAuthError(503, "temporarily_unavailable");
  if (revoked.ok() && *revoked) return unauthorized(scheme, "invalid_token", "access token revoked");
  const boost::json::object* cnf = at->GetObject("cnf");
  if (cnf != nullptr) {
    const boost::json::value* bound = cnf->if_contains("jkt");
    if (scheme != "DPoP" || bound == nullptr || !bound->is_string()) {
      return unauthorized("DPoP", "invalid_token", "DPoP-bound token used without DPoP");
    }
    auto proof = CheckDpop(request, Url("/userinfo"), value);
    if (!proof.ok()) {
      return unauthorized("DPoP", proof.status().reason() == "use_dpop_nonce" ? "use_dpop_nonce"
                                                                              : "invalid_dpop_proof",
                          proof.status().message());
    }
    if (!proof->has_value() || (*proof)->jkt != bound->get_string()) {
      return unauthorized("DPoP", "invalid_dpop_proof", "DPoP proof key does not match the token");
    }
  } else if (scheme == "DPoP") {
    return unauthorized("Bearer", "invalid_token", "token is not DPoP-bound");
  }
  auto client_id = at->GetString("client_id");
  const ClientConfig* client = client_id ? config_.FindClient(*client_id) : nullptr;
  if (client == nullptr) return unauthorized(scheme, "invalid_token", "unknown client");
  return UserinfoResponse(*at, *client, scheme);  // claims source + profile format
}

}  // namespace accord::oidc
