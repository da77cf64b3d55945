// /token and /userinfo (see provider.h).
#include <algorithm>
#include <vector>

#include "common/base64url.h"
#include "common/json.h"
#include "crypto/constant_time.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "jose/jwt.h"
#include "oidc/provider/jwt_peek.h"
#include "oidc/provider/provider.h"
#include "store/token_hash.h"

namespace accord::oidc {
namespace {

constexpr std::string_view kOfflineAccess = "offline_access";

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

// The scope of the record a replay refusal concerns: the one found present ("replay"), or one
// too long for the replay cache (InvalidArgument); the client assertion's otherwise.
store::ReplayScope ReplayedScope(const std::vector<store::ReplayRecord>& records,
                                 const Status& recorded, const store::RedeemFailure& failure) {
  if (recorded.reason() == "replay" && failure.replayed_index >= 0 &&
      static_cast<size_t>(failure.replayed_index) < records.size()) {
    return records[static_cast<size_t>(failure.replayed_index)].scope;
  }
  if (recorded.code() == StatusCode::kInvalidArgument) {
    for (const store::ReplayRecord& r : records) {
      if (r.key.size() > store::kMaxIdentifierBytes) return r.scope;
    }
  }
  return store::ReplayScope::kClientAssertion;
}

}  // namespace

http::Response Provider::Token(const http::Request& request) const {
  const auto& form = request.Form();
  if (!form.ok()) return OAuthErrorWithNonce(400, Request("body must be a form"));
  if (auto dup = form->FirstDuplicate()) {
    return OAuthErrorWithNonce(400, Request(std::string(*dup) + " repeated"));
  }
  // The client assertion's (and the DPoP proof's) jti are written with the grant's own store
  // operation, so a token request is one store transaction (docs/store.md, "Token requests").
  std::vector<store::ReplayRecord> deferred;
  auto client = client_auth_.Authenticate(*form, {config_.issuer, Url("/token")}, &deferred);
  if (!client.ok()) {
    return OAuthErrorWithNonce(client.status().reason() == "invalid_client" ? 401 : 500,
                               client.status());
  }
  auto grant_type = form->GetUnique("grant_type");
  http::Response response;
  if (!grant_type.ok()) {
    response = OAuthErrorWithNonce(400, Request("grant_type missing"));
  } else if (*grant_type == "authorization_code") {
    response = TokenFromCode(request, *form, **client, deferred);
  } else if (*grant_type == "refresh_token") {
    response = TokenFromRefresh(request, *form, **client, deferred);
  } else if (*grant_type == "client_credentials") {
    response = TokenFromClientCredentials(request, *form, **client, deferred);
  } else {
    response = OAuthErrorWithNonce(400, InvalidArgument("grant_type not supported",
                                                        "unsupported_grant_type"));
  }
  if (deferred.empty()) return response;
  // A grant that stopped before its store operation leaves the jtis here: spent all the same,
  // decided later like the grants' own writes (the answer is already an error, unless a record
  // was there before: then it is the replay error).
  std::vector<store::ReplayRecord> records = std::move(deferred);
  deferred.clear();
  auto failure = std::make_shared<store::RedeemFailure>();
  Status recorded = store_.RecordAllLater(records, clock_.NowSeconds(), failure);
  // A jti too long for the replay cache is the client's fault: refused like a replay.
  if (recorded.reason() == "replay" || recorded.code() == StatusCode::kInvalidArgument) {
    return ReplayError(ReplayedScope(records, recorded, *failure));
  }
  if (!recorded.ok()) return OAuthErrorWithNonce(503, recorded);
  response.settle = [this, records = std::move(records), failure,
                     prior = std::move(response.settle)](
                        const Status& stored) -> std::optional<http::Response> {
    if (stored.reason() == "replay") return ReplayError(ReplayedScope(records, stored, *failure));
    return prior ? prior(stored) : std::nullopt;
  };
  return response;
}

bool Provider::TokenRunsInline(const http::Request& request) const {
  // Inline only when every store write of the request is decided later (the store batches
  // writes) and nothing else can wait: no client key fetched from a jwks_uri, no grant that
  // writes synchronously (refresh_token), no ID token claims that wait (the gateway records
  // each release in the audit log first). What remains is CPU and, for a code, one SQLite read.
  if (!store_.WritesDecidedLater()) return false;
  const auto& form = request.Form();
  if (!form.ok()) return false;
  auto grant_type = form->GetUnique("grant_type");
  if (!grant_type.ok()) return false;
  if (*grant_type == "authorization_code") {
    if (!claims_source_->IdTokenClaimsFromMemory()) return false;  // the gateway's audit log
  } else if (*grant_type != "client_credentials") {
    return false;
  }
  if (!any_client_jwks_uri_) return true;
  auto assertion = form->GetUnique("client_assertion");
  if (!assertion.ok()) return false;
  auto claims = PeekUnverifiedSegment(*assertion, 1);
  if (!claims.ok()) return false;
  const boost::json::value* iss = claims->if_contains("iss");
  if (iss == nullptr || !iss->is_string()) return false;
  const ClientConfig* client = config_.FindClient(iss->get_string());
  return client != nullptr && client->jwks_uri.empty();
}

Result<std::optional<DpopProof>> Provider::CheckTokenDpop(
    const http::Request& request, std::vector<store::ReplayRecord>* deferred) const {
  size_t n = request.headers.Count("DPoP");
  if (n == 0) return std::optional<DpopProof>();
  if (n > 1) return InvalidArgument("more than one DPoP header", "invalid_dpop_proof");
  ACCORD_ASSIGN_OR_RETURN(DpopProof proof, dpop_->Verify(*request.headers.Get("DPoP"), request.method,
                                                         Url("/token"), std::nullopt, deferred));
  return std::optional<DpopProof>(std::move(proof));
}

http::Response Provider::ReplayError(store::ReplayScope scope) const {
  if (scope == store::ReplayScope::kDpopProof) {
    return OAuthErrorWithNonce(400, InvalidArgument("proof jti replayed", "invalid_dpop_proof"));
  }
  return OAuthErrorWithNonce(401, Unauthenticated("client_assertion jti replayed",
                                                  "invalid_client"));
}

http::Response Provider::TokenFromCode(const http::Request& request, const http::Params& form,
                                       const ClientConfig& client,
                                       std::vector<store::ReplayRecord>& deferred) const {
  auto code = form.GetUnique("code");
  if (!code.ok() || code->size() > 256) return OAuthErrorWithNonce(400, Request("code missing"));
  // The DPoP proof is checked before the code is consumed, so a nonce round trip does not burn it.
  auto proof = CheckTokenDpop(request, &deferred);
  if (!proof.ok()) return OAuthErrorWithNonce(400, proof.status());
  if (client.requires_dpop() && !proof->has_value()) {
    return OAuthErrorWithNonce(400, InvalidArgument("this client must use DPoP",
                                                    "invalid_dpop_proof"));
  }
  const int64_t now = clock_.NowSeconds();
  // One decision: replay records, code consumption, the checks below and the refresh family. A
  // mismatch keeps the code consumed.
  store::CodeRedemption redemption;
  redemption.replay_records = deferred;
  redemption.code_hash = store::HashToken(*code);
  redemption.client_id = client.client_id;
  auto redirect_uri = form.GetUnique("redirect_uri");
  if (redirect_uri.ok() && redirect_uri->size() <= store::kMaxIdentifierBytes) {
    redemption.redirect_uri = std::string(*redirect_uri);  // "" never matches a code's
  }
  auto verifier = form.GetUnique("code_verifier");
  if (verifier.ok() && ValidVerifier(*verifier)) {
    redemption.code_challenge = Base64UrlEncode(crypto::Sha256(AsBytes(*verifier)));
  }
  redemption.dpop_jkt = proof->has_value() ? (*proof)->jkt : "";
  std::string refresh_token = crypto::RandomToken(32);
  redemption.family_id = crypto::RandomToken(16);
  redemption.refresh_token_hash = store::HashToken(refresh_token);
  redemption.family_expires_at = now + config_.refresh_token_lifetime;
  // A refresh token is a long-lived credential: only for a grant that asked for offline access
  // (OpenID Connect Core 11), so a service that only logs people in holds none.
  redemption.refresh_scope = std::string(kOfflineAccess);
  // The session's client row (back-channel logout fan-out) was written with the code
  // (IssueCode), so the exchange writes none: session_client_expires_at stays 0.
  // Access tokens of the grant were all issued before now; with skew they are dead after this.
  redemption.revoked_grant_expires_at =
      now + config_.access_token_lifetime + jose::kDefaultClockSkewSeconds;
  // The read happens now and, on SQLite, the write later: the tokens below are sent only once
  // the exchange is committed and durable, and are replaced by the error when a concurrent
  // exchange of the same code won it (http::Response::settle; docs/store.md, "Decided later").
  auto failure = std::make_shared<store::RedeemFailure>();
  auto record = store_.RedeemAuthCodeLater(redemption, now, failure);
  if (record.status().code() != StatusCode::kInvalidArgument) deferred.clear();  // written
  if (record.status().reason() == "decided_later") {
    // Refused; why (and the RFC error) is known once the exchange's write is decided.
    http::Response refused = OAuthErrorWithNonce(400, Grant("code invalid or expired"));
    refused.settle = [this, records = std::move(redemption.replay_records),
                      failure](const Status& stored) -> std::optional<http::Response> {
      if (stored.ok()) return std::nullopt;
      return CodeExchangeError(stored, *failure, records);
    };
    return refused;
  }
  if (!record.ok()) {
    if (auto error = CodeExchangeError(record.status(), *failure, redemption.replay_records)) {
      return std::move(*error);
    }
    return OAuthErrorWithNonce(400, Grant("code invalid or expired"));
  }
  const store::AuthCode& code_record = record->code;
  TokenGrant grant;
  if (auto claims = ParseJsonObject(code_record.claims_json); claims.ok()) {
    if (auto* v = claims->if_contains("acr"); v && v->is_string()) {
      grant.acr = std::string(v->get_string());
    }
  }
  AuthorizationRequest auth;
  auth.nonce = code_record.nonce;
  RestoreGrantParameters(code_record.claims_json, &auth);  // claims request, vtr, acr_values
  grant.sub = PairwiseSubject(client, code_record.subject);
  grant.scope = code_record.scope;
  grant.dpop_jkt = redemption.dpop_jkt;
  // None was written unless the scope holds offline_access.
  if (store::ScopeHolds(code_record.scope, kOfflineAccess)) grant.refresh_token = refresh_token;
  grant.auth = &auth;
  grant.auth_time = code_record.auth_time;
  grant.sid = code_record.session_id;
  grant.grant_id = code_record.grant_id;
  grant.local_subject = &code_record.subject;
  grant.session = record->session ? &*record->session : nullptr;
  http::Response r = TokenResponse(client, grant);
  if (proof->has_value()) r.headers.Set("DPoP-Nonce", dpop_->NewNonce());
  r.settle = [this, records = std::move(redemption.replay_records),
              failure](const Status& stored) -> std::optional<http::Response> {
    if (stored.ok()) return std::nullopt;
    return CodeExchangeError(stored, *failure, records);  // nullopt: the server's 503
  };
  return r;
}

std::optional<http::Response> Provider::CodeExchangeError(
    const Status& status, const store::RedeemFailure& failure,
    const std::vector<store::ReplayRecord>& records) const {
  const std::string& reason = status.reason();
  if (reason == "replay" && failure.replayed_index >= 0 &&
      static_cast<size_t>(failure.replayed_index) < records.size()) {
    return ReplayError(records[static_cast<size_t>(failure.replayed_index)].scope);
  }
  if (status.code() == StatusCode::kUnavailable ||
      status.code() == StatusCode::kResourceExhausted) {
    return OAuthErrorWithNonce(503, status);
  }
  if (reason == "code_reused") {
    return OAuthErrorWithNonce(400, Grant("code already used; tokens from it are revoked"));
  }
  if (reason == "wrong_client") return OAuthErrorWithNonce(400, Grant("code was issued to another client"));
  if (reason == "redirect_uri_mismatch") {
    return OAuthErrorWithNonce(400, Grant("redirect_uri does not match the authorization request"));
  }
  if (reason == "pkce_mismatch") {
    return OAuthErrorWithNonce(400, Grant("code_verifier missing, malformed or not matching code_challenge"));
  }
  if (reason == "dpop_key_mismatch") {
    return OAuthErrorWithNonce(400, Grant("DPoP key differs from the one bound at PAR"));
  }
  if (reason == "not_found" || reason == "expired") {
    return OAuthErrorWithNonce(400, Grant("code invalid or expired"));
  }
  return std::nullopt;
}

http::Response Provider::TokenFromRefresh(const http::Request& request, const http::Params& form,
                                          const ClientConfig& client,
                                          std::vector<store::ReplayRecord>& deferred) const {
  auto presented = form.GetUnique("refresh_token");
  if (!presented.ok() || presented->size() > 256) {
    return OAuthErrorWithNonce(400, Request("refresh_token missing"));
  }
  auto proof = CheckTokenDpop(request, &deferred);
  if (!proof.ok()) return OAuthErrorWithNonce(400, proof.status());
  std::string jkt = proof->has_value() ? (*proof)->jkt : "";
  if (client.requires_dpop() && jkt.empty()) {
    return OAuthErrorWithNonce(400, InvalidArgument("this client must use DPoP", "invalid_dpop_proof"));
  }
  const int64_t now = clock_.NowSeconds();
  // One transaction: replay records, then the presenter (client and DPoP key) checked against the
  // family BEFORE the token is used, so a wrong presenter leaves it valid for its real holder.
  store::RefreshRedemption redemption;
  redemption.replay_records = deferred;
  redemption.presented = store::HashToken(*presented);
  std::string replacement = crypto::RandomToken(32);
  redemption.replacement = store::HashToken(replacement);
  redemption.replacement_expires_at = now + config_.refresh_token_lifetime;
  redemption.client_id = client.client_id;
  redemption.dpop_jkt = jkt;
  store::RedeemFailure failure;
  auto family = store_.RedeemRefreshToken(redemption, now, &failure);
  if (family.status().code() != StatusCode::kInvalidArgument) deferred.clear();  // written
  if (!family.ok()) {
    const std::string& reason = family.status().reason();
    if (reason == "replay" && failure.replayed_index >= 0) {
      return ReplayError(redemption.replay_records[static_cast<size_t>(failure.replayed_index)].scope);
    }
    if (family.status().code() == StatusCode::kUnavailable ||
        family.status().code() == StatusCode::kResourceExhausted) {
      return OAuthErrorWithNonce(503, family.status());
    }
    if (reason == "wrong_client") {
      return OAuthErrorWithNonce(400, Grant("refresh token was issued to another client"));
    }
    if (reason == "dpop_key_mismatch") {
      return OAuthErrorWithNonce(400, Grant("DPoP key differs from the one the token is bound to"));
    }
    return OAuthErrorWithNonce(400, Grant("refresh token invalid, expired or revoked"));
  }
  if (failure.refresh_retried && refresh_retries_metric_ != nullptr) {
    refresh_retries_metric_->WithLabels({client.client_id}).Inc();
  }
  TokenGrant grant;
  grant.sub = PairwiseSubject(client, family->subject);
  grant.scope = family->scope;
  grant.dpop_jkt = jkt;
  grant.refresh_token = replacement;
  grant.sid = family->session_id;
  grant.grant_id = family->grant_id;
  http::Response r = TokenResponse(client, grant);
  if (proof->has_value()) r.headers.Set("DPoP-Nonce", dpop_->NewNonce());
  return r;
}

http::Response Provider::TokenFromClientCredentials(
    const http::Request& request, const http::Params& form, const ClientConfig& client,
    std::vector<store::ReplayRecord>& deferred) const {
  std::string_view scope;
  if (form.Count("scope") == 1) scope = *form.Get("scope");
  if (scope.size() > 1024) return OAuthErrorWithNonce(400, Request("scope too long"));
  for (std::string_view rest = scope; !rest.empty();) {
    const size_t space = rest.find(' ');
    const std::string_view s = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    if (s.empty()) continue;
    // openid and offline_access describe a user; there is none in this grant.
    if (s == "openid" || s == "offline_access" || !client.AllowsScope(s)) {
      return OAuthErrorWithNonce(400, InvalidArgument("scope " + std::string(s) + " not allowed",
                                                      "invalid_scope"));
    }
  }
  auto proof = CheckTokenDpop(request, &deferred);
  if (!proof.ok()) return OAuthErrorWithNonce(400, proof.status());
  std::string jkt = proof->has_value() ? (*proof)->jkt : "";
  if (client.requires_dpop() && jkt.empty()) {
    return OAuthErrorWithNonce(400, InvalidArgument("this client must use DPoP", "invalid_dpop_proof"));
  }
  // The only store write of this grant: the jtis. They join a write batch without this thread
  // waiting; the token below is sent only once they are stored and durable, and is replaced by
  // the replay error when one was already there (http::Response::settle).
  std::vector<store::ReplayRecord> records = std::move(deferred);
  deferred.clear();
  auto failure = std::make_shared<store::RedeemFailure>();
  Status recorded = store_.RecordAllLater(records, clock_.NowSeconds(), failure);
  if (recorded.reason() == "replay" || recorded.code() == StatusCode::kInvalidArgument) {
    return ReplayError(ReplayedScope(records, recorded, *failure));
  }
  if (!recorded.ok()) return OAuthErrorWithNonce(503, recorded);
  // RFC 9068 section 2.2: with no resource owner, sub is the client_id. No refresh or ID token.
  TokenGrant grant;
  grant.sub = client.client_id;
  grant.scope = std::string(scope);
  grant.dpop_jkt = jkt;
  http::Response r = TokenResponse(client, grant);
  if (proof->has_value()) r.headers.Set("DPoP-Nonce", dpop_->NewNonce());
  if (r.status == 200 && !records.empty()) {
    r.settle = [this, records = std::move(records),
                failure](const Status& stored) -> std::optional<http::Response> {
      if (stored.reason() != "replay") return std::nullopt;  // OK: the token; else a 503
      return ReplayError(ReplayedScope(records, stored, *failure));
    };
  }
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
  // A grant revoked after its code was reused takes its access tokens with it.
  if (auto grant = at->GetString("grant_id"); grant && !grant->empty()) {
    auto grant_revoked =
        store_.IsRecorded(store::ReplayScope::kRevokedGrant, *grant, clock_.NowSeconds());
    if (!grant_revoked.ok()) return http::OAuthError(503, "temporarily_unavailable");
    if (*grant_revoked) return unauthorized(scheme, "invalid_token", "access token revoked");
  }
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
