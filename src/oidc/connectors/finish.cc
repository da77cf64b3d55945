// OidcConnector::Finish(): callback checks, code redemption, ID token, userinfo and (One Login)
// the core identity JWT.
#include <boost/json.hpp>

#include <algorithm>

#include "common/json.h"
#include "crypto/constant_time.h"
#include "oidc/connectors/id_token.h"
#include "oidc/connectors/oidc_connector.h"
#include "oidc/connectors/request_signing.h"

namespace accord::oidc::connectors {
namespace {

constexpr size_t kMaxTokenChars = 64 * 1024;

// Protocol claims that describe the token, not the person; not copied into identity claims.
bool IsProtocolClaim(std::string_view name) {
  for (std::string_view p : {"iss", "aud", "exp", "iat", "nbf", "nonce", "at_hash", "c_hash",
                             "s_hash", "azp", "jti", "auth_time", "sid"}) {
    if (name == p) return true;
  }
  return false;
}

Status StateMismatch(std::string message) {
  return PermissionDenied("callback: " + std::move(message), "state_mismatch");
}

Status BadUserinfo(std::string message) {
  return Unauthenticated("userinfo: " + std::move(message), "bad_userinfo");
}

std::string StringMember(const boost::json::object& o, std::string_view name) {
  const boost::json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

bool OidcConnector::ConsumeState(const std::string& state, int64_t expires_at) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now = clock_.NowSeconds();
  while (!finished_order_.empty() &&
         (finished_order_.front().first <= now || finished_order_.size() >= kMaxRememberedStates)) {
    finished_states_.erase(finished_order_.front().second);
    finished_order_.pop_front();
  }
  if (!finished_states_.insert(state).second) return false;
  finished_order_.emplace_back(expires_at, state);
  return true;
}

Status OidcConnector::CheckCallback(const http::Params& callback, const PendingLogin& pending,
                                    const ProviderMetadata& m) {
  Result<std::string_view> state = callback.GetUnique("state");
  if (!state.ok()) return StateMismatch("missing or repeated state");
  if (pending.upstream_id != config_.id) return StateMismatch("login belongs to another upstream");
  if (pending.state.empty() || !crypto::ConstantTimeEquals(*state, pending.state)) {
    return StateMismatch("state does not match the login");
  }
  int64_t expires_at = pending.created_at + config_.login_lifetime_seconds;
  if (clock_.NowSeconds() >= expires_at) return StateMismatch("login expired");
  if (!ConsumeState(pending.state, expires_at)) return StateMismatch("login already finished");
  // RFC 9207: iss identifies who sent the browser back; required when the upstream says it sends it.
  if (callback.Count("iss") > 1) return PermissionDenied("callback: repeated iss", "mixup");
  if (std::optional<std::string_view> iss = callback.Get("iss")) {
    if (*iss != config_.issuer) return PermissionDenied("callback: iss is another issuer", "mixup");
  } else if (m.authorization_response_iss_parameter_supported) {
    return PermissionDenied("callback: iss missing", "mixup");
  }
  return Status::Ok();
}

Result<UpstreamIdentity> OidcConnector::Finish(const http::Params& callback,
                                               const PendingLogin& pending) {
  if (callback.Count("error") > 0) {
    return PermissionDenied("upstream returned error " + SanitizeErrorCode(*callback.Get("error")),
                            "upstream_error");
  }
  ACCORD_ASSIGN_OR_RETURN(std::shared_ptr<const ProviderMetadata> m, Metadata());
  ACCORD_RETURN_IF_ERROR(CheckCallback(callback, pending, *m));
  Result<std::string_view> code = callback.GetUnique("code");
  if (!code.ok() || code->empty() || code->size() > 4096) {
    return InvalidArgument("callback: missing code", "upstream_error");
  }
  std::optional<jose::Jwk> dpop_key;
  if (UsesDpop()) {
    dpop_key = dpop_keys_.Take(pending.dpop_private_jwk, clock_.NowSeconds());
    if (!dpop_key) {  // started elsewhere or evicted: the pending login's text is authoritative
      Result<jose::Jwk> key = jose::Jwk::Parse(pending.dpop_private_jwk);
      if (!key.ok() || !key->has_private_key()) return StateMismatch("login has no DPoP key");
      dpop_key = std::move(key).value();
    }
  }
  const jose::Jwk* key = dpop_key ? &*dpop_key : nullptr;
  ACCORD_ASSIGN_OR_RETURN(Tokens tokens, RedeemCode(*m, *code, pending, key));
  ACCORD_ASSIGN_OR_RETURN(jose::VerifiedJwt id_token, VerifyIdToken(*m, tokens.id_token));
  ACCORD_RETURN_IF_ERROR(
      CheckIdTokenClaims(id_token, pending.nonce, config_.client_id, tokens.access_token));

  UpstreamIdentity identity;
  identity.upstream_id = config_.id;
  identity.issuer = config_.issuer;
  identity.subject = *id_token.subject();
  identity.sid = id_token.GetString("sid").value_or("");
  identity.acr = id_token.GetString("acr").value_or("");
  identity.vot = id_token.GetString("vot").value_or("");
  identity.vtm = id_token.GetString("vtm").value_or("");
  identity.auth_time = id_token.GetNumericDate("auth_time").value_or(0);
  if (const boost::json::array* amr = id_token.GetArray("amr")) {
    for (const boost::json::value& v : *amr) {
      if (v.is_string()) identity.amr.emplace_back(v.as_string());
    }
  }
  for (const auto& [name, value] : id_token.claims()) {
    if (!IsProtocolClaim(name)) identity.claims[name] = value;
  }
  if (m->userinfo_endpoint.empty()) return identity;

  ACCORD_ASSIGN_OR_RETURN(boost::json::object userinfo,
                          FetchUserinfo(*m, tokens.access_token, identity.subject, key));
  std::string core_jwt = StringMember(userinfo, kCoreIdentityClaim);
  userinfo.erase(kCoreIdentityClaim);
  for (const auto& [name, value] : userinfo) {
    if (!identity.claims.contains(name)) identity.claims[name] = value;
  }
  if (config_.kind != UpstreamKind::kOneLogin || core_jwt.empty()) return identity;
  if (core_identity_ == nullptr) {
    return Unauthenticated("core identity: no did_document_url configured", "bad_core_identity");
  }
  ACCORD_ASSIGN_OR_RETURN(CoreIdentity core,
                          core_identity_->Verify(http_, clock_, core_jwt, identity.subject));
  identity.vot = core.vot;
  if (!core.vtm.empty()) identity.vtm = core.vtm;
  identity.claims["core_identity"] = std::move(core.credential_subject);
  if (!core.given_name.empty()) identity.claims["given_name"] = core.given_name;
  if (!core.family_name.empty()) identity.claims["family_name"] = core.family_name;
  if (!core.birthdate.empty()) identity.claims["birthdate"] = core.birthdate;
  return identity;
}

Result<OidcConnector::Tokens> OidcConnector::RedeemCode(const ProviderMetadata& m,
                                                        std::string_view code,
                                                        const PendingLogin& pending,
                                                        const jose::Jwk* dpop_key) {
  const std::string& url = m.token_endpoint;
  auto send = [&](std::optional<std::string_view> nonce) -> Result<http::Response> {
    http::Params form;
    form.Add("grant_type", "authorization_code");
    form.Add("code", std::string(code));
    form.Add("redirect_uri", config_.redirect_uri);
    form.Add("client_id", config_.client_id);
    form.Add("code_verifier", pending.code_verifier);
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
    return http_.PostForm("token endpoint", url, form, kMaxTokenResponseBytes, std::move(headers));
  };
  ACCORD_ASSIGN_OR_RETURN(http::Response response,
                          dpop_key != nullptr ? SendWithDpop(send) : send(std::nullopt));
  if (response.status != 200) {
    return InvalidArgument("token endpoint: " + OAuthErrorCode(response), "upstream_error");
  }
  ACCORD_ASSIGN_OR_RETURN(boost::json::object body,
                          ParseJsonBody("token endpoint", response, kMaxTokenResponseBytes,
                                        "upstream_error"));
  Tokens tokens;
  tokens.access_token = StringMember(body, "access_token");
  tokens.id_token = StringMember(body, "id_token");
  std::string type = StringMember(body, "token_type");
  if (tokens.access_token.empty() || tokens.access_token.size() > kMaxTokenChars) {
    return InvalidArgument("token endpoint: missing access_token", "upstream_error");
  }
  if (tokens.id_token.empty() || tokens.id_token.size() > kMaxTokenChars) {
    return Unauthenticated("token endpoint: missing id_token", "bad_id_token");
  }
  if (!http::EqualsIgnoreCase(type, dpop_key != nullptr ? "DPoP" : "Bearer")) {
    return InvalidArgument("token endpoint: unexpected token_type", "upstream_error");
  }
  return tokens;
}

std::vector<crypto::SignatureAlgorithm> OidcConnector::IdTokenAlgs(
    const ProviderMetadata& m) const {
  if (config_.kind != UpstreamKind::kGeneric) return {crypto::SignatureAlgorithm::kEs256};
  std::vector<crypto::SignatureAlgorithm> algs;
  for (crypto::SignatureAlgorithm alg :
       {crypto::SignatureAlgorithm::kEs256, crypto::SignatureAlgorithm::kPs256,
        crypto::SignatureAlgorithm::kRs256}) {
    const auto& supported = m.id_token_signing_alg_values_supported;
    if (std::find(supported.begin(), supported.end(), crypto::JwaName(alg)) != supported.end()) {
      algs.push_back(alg);
    }
  }
  // Discovery requires the list; RS256 is the OIDC default when a provider omits it.
  if (algs.empty() && m.id_token_signing_alg_values_supported.empty()) {
    algs.push_back(crypto::SignatureAlgorithm::kRs256);
  }
  return algs;
}

Result<jose::VerifiedJwt> OidcConnector::VerifyIdToken(const ProviderMetadata& m,
                                                       std::string_view token) {
  IdTokenPolicy policy{.issuer = config_.issuer,
                       .client_id = config_.client_id,
                       .algs = IdTokenAlgs(m),
                       .decrypter = decrypter_ ? &*decrypter_ : nullptr,
                       .clock = &clock_,
                       .skew_seconds = config_.clock_skew_seconds,
                       .max_age_seconds = config_.login_lifetime_seconds};
  if (policy.algs.empty()) {
    return Unauthenticated("ID token: no acceptable signing algorithm", "bad_id_token");
  }
  Result<jose::VerifiedJwt> verified = Status(StatusCode::kInternal, "unreached");
  for (bool refresh : {false, true}) {
    Result<std::shared_ptr<const jose::Jwks>> keys = Keys(m, refresh);
    if (!keys.ok()) return keys.status();
    verified = VerifyIdTokenJwt(policy, **keys, token);
    // A kid we do not know may be a rotation: fetch the JWKS again, once.
    if (verified.ok() || verified.status().reason() != "unknown_kid") break;
  }
  if (!verified.ok()) {
    const Status& s = verified.status();
    if (s.reason() == "bad_id_token") return s;
    return Status(s.code(), "ID token: " + s.reason(), "bad_id_token");
  }
  return verified;
}

Result<boost::json::object> OidcConnector::FetchUserinfo(const ProviderMetadata& m,
                                                         std::string_view token,
                                                         std::string_view subject,
                                                         const jose::Jwk* dpop_key) {
  const std::string& url = m.userinfo_endpoint;
  auto send = [&](std::optional<std::string_view> nonce) -> Result<http::Response> {
    http::Headers headers;
    headers.Set("Accept", "application/json, application/jwt");
    if (dpop_key != nullptr) {
      ACCORD_ASSIGN_OR_RETURN(std::string proof, MakeDpopProof(*dpop_key, "GET", StripQuery(url),
                                                               clock_.NowSeconds(), nonce, token));
      headers.Set("Authorization", "DPoP " + std::string(token));
      headers.Set("DPoP", proof);
    } else {
      headers.Set("Authorization", "Bearer " + std::string(token));
    }
    return http_.Get("userinfo endpoint", url, kMaxUserinfoBytes, std::move(headers));
  };
  ACCORD_ASSIGN_OR_RETURN(http::Response response,
                          dpop_key != nullptr ? SendWithDpop(send) : send(std::nullopt));
  if (response.status != 200) {
    return BadUserinfo("HTTP " + std::to_string(response.status));
  }
  std::string_view type = response.headers.Get("Content-Type").value_or("");
  boost::json::object claims;
  if (type.starts_with("application/jwt")) {
    ACCORD_ASSIGN_OR_RETURN(claims, VerifyUserinfoJwt(m, response.body));
  } else {
    Result<boost::json::object> parsed = ParseJsonObject(
        response.body,
        BoundedJson(kMaxUserinfoBytes, kMaxResponseJsonDepth));
    if (!parsed.ok()) return BadUserinfo("malformed JSON");
    claims = std::move(parsed).value();
  }
  // OIDC Core section 5.3.2: the sub in userinfo MUST equal the ID token's.
  if (StringMember(claims, "sub") != subject) return BadUserinfo("sub differs from the ID token's");
  return claims;
}

Result<boost::json::object> OidcConnector::VerifyUserinfoJwt(const ProviderMetadata& m,
                                                             std::string_view token) {
  bool nested = CompactSegments(token) == 5;
  if (nested && !decrypter_) return BadUserinfo("encrypted but no encryption key configured");
  jose::JwtValidator::Builder builder;
  builder.ExpectIssuer(config_.issuer)
      .ExpectAudience(config_.client_id)
      .IgnoreTypeHeader()
      .AllowMissingExpirationUnsafe()  // OIDC Core 5.3.2 requires only iss and aud here
      .SetClockSkewSeconds(config_.clock_skew_seconds)
      .SetClock(clock_);
  Result<jose::JwtValidator> validator = builder.Build();
  if (!validator.ok()) return BadUserinfo("bad validator");
  Result<jose::VerifiedJwt> verified = Status(StatusCode::kInternal, "unreached");
  for (bool refresh : {false, true}) {
    Result<std::shared_ptr<const jose::Jwks>> keys = Keys(m, refresh);
    if (!keys.ok()) return keys.status();
    Result<jose::JwsVerifier> jws =
        jose::JwsVerifier::Create(**keys, AlgPolicy(IdTokenAlgs(m)));
    if (!jws.ok()) return BadUserinfo("no usable keys");
    jose::JwtVerifier verifier(std::move(jws).value(), *validator);
    verified = nested ? verifier.VerifyNested(*decrypter_, token) : verifier.Verify(token);
    if (verified.ok() || verified.status().reason() != "unknown_kid") break;
  }
  if (!verified.ok()) return BadUserinfo(verified.status().reason());
  return verified->claims();
}

}  // namespace accord::oidc::connectors
