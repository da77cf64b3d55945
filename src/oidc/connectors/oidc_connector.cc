// OidcConnector: construction, discovery, Start() (plain or pushed authorization requests) and the
// DPoP nonce handling shared with Finish() (finish.cc).
#include "oidc/connectors/oidc_connector.h"

#include <boost/json.hpp>

#include "common/json.h"
#include "crypto/random.h"
#include "oidc/connectors/request_signing.h"

namespace accord::oidc::connectors {
namespace {

constexpr size_t kStateBytes = 32;     // 256 bits
constexpr size_t kNonceBytes = 32;
constexpr size_t kVerifierBytes = 32;  // 43 base64url characters
constexpr size_t kMaxDpopNonceChars = 512;
constexpr size_t kMaxRequestUriChars = 2048;

bool IsUseDpopNonce(const http::Response& r) {
  if (r.status == 400) return OAuthErrorCode(r) == "use_dpop_nonce";
  if (r.status == 401) {
    for (std::string_view h : r.headers.GetAll("WWW-Authenticate")) {
      if (h.find("use_dpop_nonce") != std::string_view::npos) return true;
    }
  }
  return false;
}

}  // namespace

OidcConnector::OidcConnector(UpstreamConfig config, ConnectorDeps deps,
                             crypto::SignatureAlgorithm client_alg,
                             std::optional<jose::JweDecrypter> decrypter)
    : config_(std::move(config)),
      clock_(deps.clock != nullptr ? *deps.clock : SystemClock::Instance()),
      http_(std::move(deps.http), config_.timeout_ms),
      client_alg_(client_alg),
      decrypter_(std::move(decrypter)),
      metadata_cache_("discovery", kMaxMetadataBytes,
                      [issuer = config_.issuer](std::string_view body) {
                        return ParseMetadata(body, issuer);
                      }),
      jwks_cache_("jwks", kMaxJwksResponseBytes, [](std::string_view body) {
        Result<jose::Jwks> keys = jose::Jwks::ParsePublic(body);
        if (!keys.ok()) return Result<jose::Jwks>(InvalidArgument("jwks: malformed", "upstream_error"));
        return keys;
      }) {
  if (config_.kind == UpstreamKind::kOneLogin && !config_.did_document_url.empty()) {
    core_identity_ = std::make_unique<CoreIdentityVerifier>(
        config_.did_document_url, config_.core_identity_issuer, config_.client_id,
        config_.clock_skew_seconds);
  }
}

Result<std::unique_ptr<Connector>> MakeConnector(UpstreamConfig config, ConnectorDeps deps) {
  if (deps.http == nullptr) return InvalidArgument("upstream: no HTTP client", "bad_config");
  ACCORD_RETURN_IF_ERROR(ValidateUpstream(config, "upstream"));
  Result<crypto::SignatureAlgorithm> alg = ClientKeyAlgorithm(config.signing_key);
  if (!alg.ok()) return InvalidArgument("upstream.signing_key: " + alg.status().message(), "bad_config");
  std::optional<jose::JweDecrypter> decrypter;
  if (config.encryption_key) {
    jose::JweDecryptOptions options;
    options.allowed_algs = {jose::JweAlg::kEcdhEsA256Kw};
    options.allowed_encs = {jose::JweEnc::kA256CbcHs512, jose::JweEnc::kA256Gcm};
    Result<jose::JweDecrypter> d = jose::JweDecrypter::Create(*config.encryption_key, options);
    if (!d.ok()) {
      return InvalidArgument("upstream.encryption_key: " + d.status().message(), "bad_config");
    }
    decrypter = std::move(d).value();
  }
  return std::unique_ptr<Connector>(
      new OidcConnector(std::move(config), std::move(deps), *alg, std::move(decrypter)));
}

Result<std::shared_ptr<const ProviderMetadata>> OidcConnector::Metadata() {
  return metadata_cache_.Get(http_, clock_, config_.DiscoveryUrl());
}

Result<std::shared_ptr<const jose::Jwks>> OidcConnector::Keys(const ProviderMetadata& m,
                                                              bool refresh) {
  return jwks_cache_.Get(http_, clock_, m.jwks_uri, refresh);
}

bool OidcConnector::UsesPar(const ProviderMetadata& m) const {
  return config_.use_par || m.require_pushed_authorization_requests;
}

std::string OidcConnector::AssertionAudience(const ProviderMetadata& m) const {
  // One Login documents the token URL; Singpass and RFC 7523bis use the issuer, which every
  // endpoint of the provider accepts (PAR and token alike).
  return config_.kind == UpstreamKind::kOneLogin ? m.token_endpoint : config_.issuer;
}

Result<std::string> OidcConnector::ClientAssertion(const ProviderMetadata& m) const {
  return MakeClientAssertion(config_.signing_key, client_alg_, config_.client_id,
                             AssertionAudience(m), clock_.NowSeconds());
}

http::Params OidcConnector::AuthorizationParams(const PendingLogin& p,
                                                const jose::Jwk* dpop_key) const {
  http::Params params;
  params.Add("response_type", "code");
  params.Add("client_id", config_.client_id);
  params.Add("redirect_uri", config_.redirect_uri);
  params.Add("scope", config_.scope);
  params.Add("state", p.state);
  params.Add("nonce", p.nonce);
  params.Add("code_challenge", PkceS256Challenge(p.code_verifier));
  params.Add("code_challenge_method", "S256");
  if (!config_.vtr.empty()) params.Add("vtr", config_.vtr);
  if (!config_.userinfo_claims.empty()) {
    boost::json::object userinfo;
    for (const std::string& claim : config_.userinfo_claims) userinfo[claim] = nullptr;
    params.Add("claims", boost::json::serialize(boost::json::object{{"userinfo", userinfo}}));
  }
  if (!config_.acr_values.empty()) params.Add("acr_values", config_.acr_values);
  if (dpop_key != nullptr) params.Add("dpop_jkt", dpop_key->Thumbprint());
  return params;
}

Result<StartResult> OidcConnector::Start() {
  ACCORD_ASSIGN_OR_RETURN(std::shared_ptr<const ProviderMetadata> m, Metadata());
  StartResult result;
  PendingLogin& p = result.pending;
  p.upstream_id = config_.id;
  p.state = crypto::RandomToken(kStateBytes);
  p.nonce = crypto::RandomToken(kNonceBytes);
  p.code_verifier = crypto::RandomToken(kVerifierBytes);
  p.created_at = clock_.NowSeconds();
  std::optional<jose::Jwk> dpop_key;
  if (UsesDpop()) {
    ACCORD_ASSIGN_OR_RETURN(dpop_key, NewDpopKey());
    ACCORD_ASSIGN_OR_RETURN(crypto::SecretBytes secret, dpop_key->ToPrivateJson());
    p.dpop_private_jwk = std::string(AsStringView(secret.view()));
    dpop_keys_.Put(p.dpop_private_jwk, *dpop_key, p.created_at + config_.login_lifetime_seconds,
                   p.created_at);
  }
  const jose::Jwk* key = dpop_key ? &*dpop_key : nullptr;
  http::Params params = AuthorizationParams(p, key);
  if (!UsesPar(*m)) {
    result.redirect_url = AppendQuery(m->authorization_endpoint, params);
    return result;
  }
  if (m->pushed_authorization_request_endpoint.empty()) {
    return InvalidArgument("discovery: no pushed_authorization_request_endpoint",
                           "upstream_error");
  }
  ACCORD_ASSIGN_OR_RETURN(std::string request_uri, Push(*m, params, key));
  http::Params redirect;
  redirect.Add("client_id", config_.client_id);
  redirect.Add("request_uri", request_uri);
  result.redirect_url = AppendQuery(m->authorization_endpoint, redirect);
  return result;
}

Result<std::string> OidcConnector::Push(const ProviderMetadata& m, const http::Params& params,
                                        const jose::Jwk* dpop_key) {
  const std::string& url = m.pushed_authorization_request_endpoint;
  auto send = [&](std::optional<std::string_view> nonce) -> Result<http::Response> {
    http::Params form = params;
    // With the DPoP header on the PAR itself the code is bound to the key (RFC 9449 section
    // 10.1); dpop_jkt is only needed on plain authorization requests.
    if (dpop_key != nullptr) {
      http::Params without;
      for (const auto& [k, v] : form) {
        if (k != "dpop_jkt") without.Add(k, v);
      }
      form = std::move(without);
    }
    ACCORD_ASSIGN_OR_RETURN(std::string assertion, ClientAssertion(m));
    form.Add("client_assertion_type", std::string(kClientAssertionType));
    form.Add("client_assertion", std::move(assertion));
    http::Headers headers;
    if (dpop_key != nullptr) {
      ACCORD_ASSIGN_OR_RETURN(std::string proof, MakeDpopProof(*dpop_key, "POST", StripQuery(url),
                                                               clock_.NowSeconds(), nonce,
                                                               std::nullopt));
      headers.Set("DPoP", proof);
    }
    return http_.PostForm("pushed authorization request", url, form, kMaxParResponseBytes,
                          std::move(headers));
  };
  ACCORD_ASSIGN_OR_RETURN(http::Response response,
                          dpop_key != nullptr ? SendWithDpop(send) : send(std::nullopt));
  if (response.status != 201 && response.status != 200) {
    return InvalidArgument("pushed authorization request: " + OAuthErrorCode(response),
                           "upstream_error");
  }
  ACCORD_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonBody("pushed authorization request", response,
                                        kMaxParResponseBytes, "upstream_error"));
  const boost::json::value* uri = body.if_contains("request_uri");
  if (uri == nullptr || !uri->is_string() || uri->as_string().empty() ||
      uri->as_string().size() > kMaxRequestUriChars) {
    return InvalidArgument("pushed authorization request: missing request_uri", "upstream_error");
  }
  return std::string(uri->as_string());
}

Result<http::Response> OidcConnector::SendWithDpop(const DpopRequest& send) {
  std::optional<std::string> known = DpopNonce();
  ACCORD_ASSIGN_OR_RETURN(http::Response response,
                          send(known ? std::optional<std::string_view>(*known) : std::nullopt));
  RememberDpopNonce(response);
  if (!IsUseDpopNonce(response)) return response;
  std::optional<std::string_view> fresh = response.headers.Get("DPoP-Nonce");
  if (!fresh || fresh->empty() || fresh->size() > kMaxDpopNonceChars ||
      (known && *fresh == *known)) {
    return response;
  }
  std::string nonce(*fresh);
  ACCORD_ASSIGN_OR_RETURN(http::Response retried, send(nonce));
  RememberDpopNonce(retried);
  return retried;
}

void OidcConnector::RememberDpopNonce(const http::Response& response) {
  std::optional<std::string_view> nonce = response.headers.Get("DPoP-Nonce");
  if (!nonce || nonce->empty() || nonce->size() > kMaxDpopNonceChars ||
      !http::IsValidHeaderValue(*nonce)) {
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  dpop_nonce_ = std::string(*nonce);
}

std::optional<std::string> OidcConnector::DpopNonce() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (dpop_nonce_.empty()) return std::nullopt;
  return dpop_nonce_;
}

}  // namespace accord::oidc::connectors
