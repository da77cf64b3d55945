#include "oidc/provider/provider.h"

#include <boost/json/serialize.hpp>

#include "common/base64url.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "jose/token_hash.h"
#include "web/html.h"

namespace accord::oidc {
namespace {

crypto::SecretBytes Derive(const crypto::SecretBytes& root, std::string_view label) {
  return crypto::SecretBytes::Adopt(
      crypto::Hmac(crypto::HashAlgorithm::kSha256, root.view(), AsBytes(label)));
}

boost::json::array Strings(std::initializer_list<std::string_view> values) {
  boost::json::array a;
  for (auto v : values) a.emplace_back(v);
  return a;
}

}  // namespace

Provider::Provider(ProviderDeps deps)
    : config_(*deps.config),
      store_(*deps.store),
      keys_(*deps.keys),
      authenticator_(*deps.authenticator),
      clock_(*deps.clock),
      pairwise_secret_(Derive(*deps.root_secret, "accord pairwise subject v1")),
      client_auth_(*deps.config, *deps.store, *deps.clock, deps.jwks_cache),
      dpop_(std::make_unique<DpopVerifier>(*deps.store, *deps.clock,
                                           Derive(*deps.root_secret, "accord dpop nonce v1"),
                                           /*require_nonce=*/true)),
      logout_worker_(deps.logout_worker) {
  for (const ClientConfig& client : config_.clients) {
    if (!client.jwks_uri.empty()) any_client_jwks_uri_ = true;
  }
  if (deps.metrics != nullptr) {
    tokens_metric_ = &deps.metrics->AddCounter("accord_oidc_tokens_issued_total",
                                               "Successful token, PAR and revocation responses",
                                               {"endpoint", "client", "grant"});
    errors_metric_ = &deps.metrics->AddCounter("accord_oidc_errors_total",
                                               "OAuth error responses by client and error code",
                                               {"endpoint", "client", "error"});
    refresh_retries_metric_ = &deps.metrics->AddCounter(
        "accord_oidc_refresh_retries_total",
        "Refresh requests answered as a retry after a lost response (the presented token was "
        "already used; its replacement never was)",
        {"client"});
  }
  boost::json::object d;
  d["issuer"] = config_.issuer;
  d["authorization_endpoint"] = Url("/authorize");
  d["token_endpoint"] = Url("/token");
  d["userinfo_endpoint"] = Url("/userinfo");
  d["jwks_uri"] = Url("/jwks");
  d["pushed_authorization_request_endpoint"] = Url("/par");
  d["require_pushed_authorization_requests"] = false;
  d["response_types_supported"] = Strings({"code"});
  d["response_modes_supported"] = Strings({"query"});
  d["grant_types_supported"] = Strings({"authorization_code", "refresh_token", "client_credentials"});
  d["subject_types_supported"] = Strings({"pairwise"});
  boost::json::array id_token_algs;
  for (auto alg : deps.keys->algorithms()) id_token_algs.emplace_back(crypto::JwaName(alg));
  d["id_token_signing_alg_values_supported"] = std::move(id_token_algs);
  d["revocation_endpoint"] = Url("/revoke");
  d["revocation_endpoint_auth_methods_supported"] = Strings({"private_key_jwt"});
  d["revocation_endpoint_auth_signing_alg_values_supported"] = Strings({"ES256", "PS256", "RS256"});
  d["end_session_endpoint"] = Url("/logout");
  d["backchannel_logout_supported"] = true;
  d["backchannel_logout_session_supported"] = true;
  d["token_endpoint_auth_methods_supported"] = Strings({"private_key_jwt"});
  d["token_endpoint_auth_signing_alg_values_supported"] = Strings({"ES256", "PS256", "RS256"});
  d["code_challenge_methods_supported"] = Strings({"S256"});
  d["dpop_signing_alg_values_supported"] = Strings({"ES256", "PS256"});
  d["authorization_response_iss_parameter_supported"] = true;
  d["request_parameter_supported"] = false;
  d["request_uri_parameter_supported"] = false;
  d["scopes_supported"] = Strings({"openid", "profile", "birthdate", "offline_access"});
  d["claims_supported"] =
      Strings({"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "sid",
               "given_name", "family_name", "name", "birthdate"});
  d["acr_values_supported"] = Strings({SandboxAuthenticator::kAcr});
  d["prompt_values_supported"] = Strings({"login", "none"});
  discovery_json_ = boost::json::serialize(d);
}

Result<std::unique_ptr<Provider>> Provider::Create(ProviderDeps deps) {
  if (deps.config == nullptr || deps.store == nullptr || deps.keys == nullptr ||
      deps.authenticator == nullptr || deps.clock == nullptr || deps.root_secret == nullptr) {
    return InvalidArgument("every provider dependency is required", "bad_deps");
  }
  if (deps.root_secret->size() != 32) return InvalidArgument("root secret must be 32 bytes", "bad_deps");
  auto snap = deps.keys->Current();
  if (snap == nullptr) return FailedPrecondition("no signing keys loaded", "no_active_key");
  for (size_t i = 0; i < deps.config->clients.size(); ++i) {
    crypto::SignatureAlgorithm alg = deps.config->clients[i].id_token_alg;
    if (snap->IdTokenSigner(alg) == nullptr) {
      return InvalidArgument("clients[" + std::to_string(i) + "].id_token_signed_response_alg: no " +
                                 std::string(crypto::JwaName(alg)) +
                                 " signing key (the key manager must be created with it; see "
                                 "IdTokenAlgorithms)",
                             "bad_config");
    }
  }
  std::unique_ptr<Provider> provider(new Provider(deps));
  ACCORD_RETURN_IF_ERROR(provider->InitProfile(deps));  // national profile, claims source
  return provider;
}

Status Provider::AddRoutes(http::Router& router) {
  http::RouteOptions sensitive;
  sensitive.sensitive = true;
  http::RouteOptions page = sensitive;
  page.content_security_policy = std::string(web::kPageCsp);
  http::RouteOptions form_body = sensitive;
  form_body.max_body_bytes = 64 * 1024;
  auto bind = [this](http::Response (Provider::*fn)(const http::Request&) const) {
    return [this, fn](const http::Request& r) { return (this->*fn)(r); };
  };
  auto counted = [this](std::string_view endpoint,
                        http::Response (Provider::*fn)(const http::Request&) const) {
    return [this, endpoint, fn](const http::Request& r) {
      http::Response response = (this->*fn)(r);
      if (!response.settle) {
        CountOAuth(endpoint, r, response);
        return response;
      }
      // Decided later (a token whose replay records are still being stored): count what is sent.
      response.settle = [this, endpoint, &r, status = response.status,
                         settle = std::move(response.settle)](const Status& stored) {
        std::optional<http::Response> replaced = settle(stored);
        http::Response sent;
        sent.status = status;
        if (!stored.ok() && !replaced) sent = http::OAuthError(503, "temporarily_unavailable");
        CountOAuth(endpoint, r, replaced ? *replaced : sent);
        return replaced;
      };
      return response;
    };
  };
  http::RouteOptions in_memory;  // answered from memory: no worker hand-off
  in_memory.inline_handler = true;
  ACCORD_RETURN_IF_ERROR(router.Add("discovery", "GET", "/.well-known/openid-configuration",
                                    bind(&Provider::Discovery), in_memory));
  ACCORD_RETURN_IF_ERROR(
      router.Add("jwks", "GET", "/jwks", bind(&Provider::JwksEndpoint), in_memory));
  ACCORD_RETURN_IF_ERROR(router.Add("par", "POST", "/par", counted("par", &Provider::Par), form_body));
  ACCORD_RETURN_IF_ERROR(router.Add("authorize", "GET", "/authorize", bind(&Provider::Authorize), page));
  ACCORD_RETURN_IF_ERROR(router.Add("login", "POST", "/login", bind(&Provider::Login), page));
  http::RouteOptions token_options = form_body;  // on the I/O thread when nothing can wait
  token_options.inline_if = [this](const http::Request& r) { return TokenRunsInline(r); };
  ACCORD_RETURN_IF_ERROR(router.Add("token", "POST", "/token", counted("token", &Provider::Token), token_options));
  ACCORD_RETURN_IF_ERROR(router.Add("userinfo", "GET", "/userinfo", bind(&Provider::Userinfo), sensitive));
  ACCORD_RETURN_IF_ERROR(router.Add("userinfo_post", "POST", "/userinfo", bind(&Provider::Userinfo), form_body));
  ACCORD_RETURN_IF_ERROR(router.Add("revoke", "POST", "/revoke", counted("revoke", &Provider::Revoke), form_body));
  ACCORD_RETURN_IF_ERROR(router.Add("logout", "GET", "/logout", bind(&Provider::Logout), page));
  ACCORD_RETURN_IF_ERROR(router.Add("logout_post", "POST", "/logout", bind(&Provider::Logout), page));
  if (national_ != nullptr) ACCORD_RETURN_IF_ERROR(national_->AddRoutes(router));
  return Status::Ok();
}

std::string Provider::PairwiseSubject(const ClientConfig& client,
                                      std::string_view local_subject) const {
  std::string input = client.sector_identifier;
  input.push_back('\0');
  input.append(local_subject);
  std::string value = Base64UrlEncode(crypto::Hmac(crypto::HashAlgorithm::kSha256,
                                                   pairwise_secret_.view(), AsBytes(input)));
  return national_ != nullptr ? national_->FormatSubject(value) : value;
}

http::Response Provider::Discovery(const http::Request&) const {
  http::Response r = http::JsonResponse(discovery_json_);
  r.headers.Set("Cache-Control", "public, max-age=300");
  return r;
}

http::Response Provider::JwksEndpoint(const http::Request&) const {
  auto snap = keys_.Current();
  if (snap == nullptr) return http::ErrorResponse(503);
  http::Response r = http::JsonResponse(snap->jwks_json);
  r.headers.Set("Content-Type", "application/jwk-set+json");
  r.headers.Set("Cache-Control", "public, max-age=60");
  return r;
}

http::Response Provider::ErrorPage(int status, std::string_view heading,
                                   std::string_view text) const {
  http::Response r;
  r.status = status;
  r.headers.Set("Content-Type", "text/html; charset=utf-8");
  r.body = web::RenderErrorPage(heading, text);
  return r;
}

http::Response Provider::ErrorRedirect(const AuthorizationRequest& request, std::string_view error,
                                       std::string_view description) const {
  std::string location = request.redirect_uri;
  location += location.find('?') == std::string::npos ? '?' : '&';
  location += "error=" + http::FormEncode(error);
  if (!description.empty()) location += "&error_description=" + http::FormEncode(description);
  if (!request.state.empty()) location += "&state=" + http::FormEncode(request.state);
  location += "&iss=" + http::FormEncode(config_.issuer);
  return http::Redirect(location, 303);
}

std::string Provider::Cookie(std::string_view name, std::string_view value, std::string_view path,
                             int64_t max_age) const {
  std::string c = std::string(name) + "=" + std::string(value) + "; Path=" + std::string(path) +
                  "; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Lax";
  if (config_.tls()) c += "; Secure";
  return c;
}

std::optional<std::string> GetCookie(const http::Request& request, std::string_view name) {
  for (std::string_view header : request.headers.GetAll("Cookie")) {
    while (!header.empty()) {
      size_t end = header.find(';');
      std::string_view pair = header.substr(0, end);
      header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return std::string(pair.substr(eq + 1));
      }
    }
  }
  return std::nullopt;
}

http::Response Provider::TokenResponse(const ClientConfig& client, const TokenGrant& g) const {
  const std::string& sub = g.sub;
  const std::string& scope = g.scope;
  const std::string& dpop_jkt = g.dpop_jkt;
  const std::string& sid = g.sid;
  const AuthorizationRequest* auth = g.auth;
  auto snap = keys_.Current();
  if (snap == nullptr) return http::OAuthError(503, "temporarily_unavailable");
  int64_t now = clock_.NowSeconds();

  boost::json::object at;
  at["iss"] = config_.issuer;
  at["sub"] = sub;
  at["aud"] = config_.issuer;
  at["client_id"] = client.client_id;
  at["iat"] = now;
  at["exp"] = now + config_.access_token_lifetime;
  at["jti"] = crypto::RandomToken(16);
  at["scope"] = scope;
  if (!dpop_jkt.empty()) at["cnf"] = boost::json::object{{"jkt", dpop_jkt}};
  if (!g.grant_id.empty()) at["grant_id"] = g.grant_id;  // revocation after code reuse (userinfo)
  AddAccessTokenContext(auth, sid, at);  // sid, claims request, vtr for userinfo
  auto access_token = snap->access_token_signer->Sign(at);
  if (!access_token.ok()) return http::OAuthError(500, "server_error");

  boost::json::object body;
  body["access_token"] = *access_token;
  body["token_type"] = dpop_jkt.empty() ? "Bearer" : "DPoP";
  body["expires_in"] = config_.access_token_lifetime;
  body["scope"] = scope;
  if (!g.refresh_token.empty()) body["refresh_token"] = g.refresh_token;
  if (auth != nullptr) {
    boost::json::object id;
    id["iss"] = config_.issuer;
    id["sub"] = sub;
    id["aud"] = client.client_id;
    id["iat"] = now;
    id["exp"] = now + kIdTokenLifetime;
    id["auth_time"] = g.auth_time;
    if (!auth->nonce.empty()) id["nonce"] = auth->nonce;
    if (!g.acr.empty()) id["acr"] = g.acr;
    if (!sid.empty()) id["sid"] = sid;
    Status added = AddIdTokenClaims(client, g, id);
    if (!added.ok()) {
      if (added.reason() == "unmet_authentication_requirements") {
        return http::OAuthError(400, added.reason(), added.message());
      }
      return http::OAuthError(500, "server_error");
    }
    id["at_hash"] = jose::ComputeTokenHash(client.id_token_alg, *access_token);
    const jose::JwtSigner* signer = snap->IdTokenSigner(client.id_token_alg);
    if (signer == nullptr) return http::OAuthError(500, "server_error");
    auto id_token = signer->Sign(id);
    if (!id_token.ok()) return http::OAuthError(500, "server_error");
    auto sealed = SealIdToken(client, std::move(*id_token));  // singpass: JWE to the client
    if (!sealed.ok()) return http::OAuthError(500, "server_error");
    body["id_token"] = *sealed;
  }
  http::Response r = http::JsonResponse(body);
  r.headers.Set("Cache-Control", "no-store");
  r.headers.Set("Pragma", "no-cache");
  return r;
}

std::string OriginOf(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  size_t end = url.find_first_of("/?#", scheme + 3);
  return std::string(url.substr(0, end));
}

}  // namespace accord::oidc
