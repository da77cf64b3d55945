#include "oidc/connectors/test_upstream.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "common/base64url.h"
#include "common/json.h"
#include "crypto/constant_time.h"
#include "crypto/hash.h"
#include "jose/jwe.h"
#include "jose/jws.h"
#include "jose/jwt.h"
#include "jose/token_hash.h"
#include "oidc/connectors/id_token.h"
#include "oidc/connectors/request_signing.h"

namespace accord::oidc::connectors::testing {
namespace {

namespace json = boost::json;

jose::Jwk NewEcKey(std::string kid) {
  auto key = crypto::PrivateKey::GenerateEc(crypto::Curve::kP256);
  EXPECT_TRUE(key.ok());
  jose::Jwk jwk = jose::Jwk::FromPrivateKey(std::move(key).value());
  jwk.set_kid(std::move(kid));
  return jwk;
}

std::map<std::string, std::string> QueryOf(const std::string& url) {
  std::map<std::string, std::string> out;
  size_t q = url.find('?');
  if (q == std::string::npos) return out;
  auto params = http::ParseForm(url.substr(q + 1));
  if (!params.ok()) return out;
  for (const auto& [k, v] : *params) out[k] = v;
  return out;
}

json::object PeekHeader(std::string_view compact) {
  auto bytes = Base64UrlDecode(compact.substr(0, compact.find('.')));
  if (!bytes.ok()) return {};
  auto parsed = ParseJsonObject(AsStringView(*bytes));
  return parsed.ok() ? *parsed : json::object{};
}

jose::JweHeaderOptions NestedJwtHeader() {
  jose::JweHeaderOptions options;
  options.cty = "JWT";
  return options;
}

http::Response OAuth(int status, std::string_view error) { return http::OAuthError(status, error); }

}  // namespace

TestUpstream::TestUpstream(const Clock& clock, jose::Jwk client_signing_key,
                           std::optional<jose::Jwk> client_encryption_key, std::string client_id,
                           std::string redirect_uri)
    : clock_(clock), client_signing_key_(std::move(client_signing_key)),
      client_encryption_key_(std::move(client_encryption_key)), client_id_(std::move(client_id)),
      redirect_uri_(std::move(redirect_uri)), signing_key_(NewEcKey("idp-1")),
      did_key_(NewEcKey("")),
      ghost_key_(NewEcKey("ghost")) {}

TestUpstream::~TestUpstream() {
  if (server_) {
    server_->Stop();
    server_->Wait();
  }
}

bool TestUpstream::Start() {
  AddRoutes();
  pipeline_ = std::make_unique<http::Pipeline>(router_, std::vector<std::unique_ptr<http::Filter>>{});
  http::ServerOptions options;
  options.threads = 2;
  auto server = http::Server::Create(options, *pipeline_);
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  if (!server.ok()) return false;
  server_ = std::move(server).value();
  issuer_ = "http://127.0.0.1:" + std::to_string(server_->port());
  server_->Start();
  return true;
}

void TestUpstream::AddRoutes() {
  auto add = [this](std::string name, std::string method, std::string path,
                    http::Response (TestUpstream::*fn)(const http::Request&)) {
    Status s = router_.Add(std::move(name), std::move(method), std::move(path),
                           [this, fn](const http::Request& r) { return (this->*fn)(r); });
    EXPECT_TRUE(s.ok()) << s.ToString();
  };
  add("discovery", "GET", "/.well-known/openid-configuration", &TestUpstream::Discovery);
  add("jwks", "GET", "/jwks", &TestUpstream::Jwks);
  add("par", "POST", "/par", &TestUpstream::Par);
  add("token", "POST", "/token", &TestUpstream::Token);
  add("userinfo", "GET", "/userinfo", &TestUpstream::Userinfo);
  add("did", "GET", "/.well-known/did.json", &TestUpstream::DidDocument);
}

void TestUpstream::RotateSigningKey() {
  std::lock_guard<std::mutex> lock(mu_);
  signing_key_ = NewEcKey("idp-" + std::to_string(++counter_ + 1));
}

void TestUpstream::RotateDidKey() {
  std::lock_guard<std::mutex> lock(mu_);
  did_key_ = NewEcKey("");
  did_key_id_ = "key-" + std::to_string(++counter_ + 1);
}

http::Response TestUpstream::Discovery(const http::Request&) {
  ++discovery_fetches_;
  std::lock_guard<std::mutex> lock(mu_);
  if (knobs_.discovery_status != 200) return http::ErrorResponse(knobs_.discovery_status);
  json::object doc{
      {"issuer", issuer_},
      {"authorization_endpoint", issuer_ + "/authorize"},
      {"token_endpoint", issuer_ + "/token"},
      {"userinfo_endpoint", issuer_ + "/userinfo"},
      {"jwks_uri", issuer_ + "/jwks"},
      {"pushed_authorization_request_endpoint", issuer_ + "/par"},
      {"require_pushed_authorization_requests", knobs_.kind == UpstreamKind::kSingpass},
      {"authorization_response_iss_parameter_supported", knobs_.iss_parameter_supported},
      {"id_token_signing_alg_values_supported", json::array{"ES256"}},
  };
  http::Response r = http::JsonResponse(json::value(doc));
  r.headers.Set("Cache-Control", knobs_.discovery_cache_control);
  return r;
}

http::Response TestUpstream::Jwks(const http::Request&) {
  ++jwks_fetches_;
  std::lock_guard<std::mutex> lock(mu_);
  jose::Jwks set;
  set.Add(signing_key_.PublicOnly());
  http::Response r = http::JsonResponse(set.ToPublicJson());
  r.headers.Set("Cache-Control", knobs_.jwks_cache_control);
  return r;
}

http::Response TestUpstream::DidDocument(const http::Request&) {
  ++did_fetches_;
  std::lock_guard<std::mutex> lock(mu_);
  json::object jwk = did_key_.PublicOnly().ToPublicJsonObject();
  json::object doc{
      {"@context", json::array{"https://www.w3.org/ns/did/v1"}},
      {"id", did()},
      {"assertionMethod",
       json::array{json::object{{"type", "JsonWebKey2020"},
                                {"id", did() + "#" + did_key_id_},
                                {"controller", did()},
                                {"publicKeyJwk", jwk}}}},
  };
  http::Response r = http::JsonResponse(json::value(doc));
  r.headers.Set("Cache-Control", "max-age=3600");
  return r;
}

std::string TestUpstream::CheckClientAssertion(const http::Params& form,
                                               const std::string& endpoint) {
  if (form.Get("client_assertion_type").value_or("") != kClientAssertionType) return "type";
  std::string assertion(form.Get("client_assertion").value_or(""));
  auto alg = ClientKeyAlgorithm(client_signing_key_);
  if (!alg.ok()) return "alg";
  auto jws = jose::JwsVerifier::Create(client_signing_key_.PublicOnly(),
                                       AlgPolicy({*alg}));
  if (!jws.ok()) return "key";
  std::string aud = knobs_.kind == UpstreamKind::kOneLogin ? endpoint : issuer_;
  auto validator = jose::JwtValidator::Builder()
                       .ExpectIssuer(client_id_)
                       .ExpectAudience(aud)
                       .ExpectTypeHeader("JWT")
                       .RequireIssuedAt()
                       .RequireJwtId()
                       .SetClock(clock_)
                       .Build();
  if (!validator.ok()) return "validator";
  auto verified = jose::JwtVerifier(*jws, *validator).Verify(assertion);
  if (!verified.ok()) return "assertion " + verified.status().reason();
  if (verified->subject() != client_id_) return "sub";
  if (*verified->expiration() - *verified->issued_at() > 120) return "lifetime";
  return "";
}

std::string TestUpstream::CheckDpop(const http::Request& r, const std::string& method,
                                    const std::string& url, const std::string* access_token,
                                    std::string* jkt) {
  std::string proof(r.headers.Get("DPoP").value_or(""));
  if (proof.empty()) return "no proof";
  json::object header = PeekHeader(proof);
  if (!header.contains("jwk") || !header["jwk"].is_object()) return "no jwk";
  auto key = jose::Jwk::FromPublicJson(header["jwk"].as_object());
  if (!key.ok()) return "bad jwk";
  auto jws = jose::JwsVerifier::Create(
      *key, AlgPolicy({crypto::SignatureAlgorithm::kEs256}));
  if (!jws.ok()) return "key";
  auto validator = jose::JwtValidator::Builder()
                       .ExpectTypeHeader("dpop+jwt")
                       .AllowMissingExpirationUnsafe()
                       .RequireIssuedAt()
                       .RequireJwtId()
                       .SetMaxAgeSeconds(60)
                       .SetClock(clock_)
                       .Build();
  auto verified = jose::JwtVerifier(*jws, *validator).Verify(proof);
  if (!verified.ok()) return "proof " + verified.status().reason();
  if (verified->GetString("htm") != method || verified->GetString("htu") != url) return "htm/htu";
  if (knobs_.require_dpop_nonce && verified->GetString("nonce") != dpop_nonce_) {
    return "use_dpop_nonce";
  }
  if (access_token != nullptr) {
    std::string ath = Base64UrlEncode(BytesView(crypto::Sha256(AsBytes(*access_token))));
    if (verified->GetString("ath") != ath) return "ath";
  }
  *jkt = key->Thumbprint();
  return "";
}

http::Response TestUpstream::Par(const http::Request& r) {
  ++par_calls_;
  std::lock_guard<std::mutex> lock(mu_);
  const auto& form = r.Form();
  if (!form.ok()) return OAuth(400, "invalid_request");
  std::string problem = CheckClientAssertion(*form, issuer_ + "/par");
  if (!problem.empty()) return OAuth(401, "invalid_client");
  Grant g;
  problem = CheckDpop(r, "POST", issuer_ + "/par", nullptr, &g.jkt);
  if (problem == "use_dpop_nonce") {
    ++par_nonce_rejections_;
    http::Response resp = OAuth(400, "use_dpop_nonce");
    resp.headers.Set("DPoP-Nonce", dpop_nonce_);
    return resp;
  }
  if (!problem.empty() && knobs_.kind == UpstreamKind::kSingpass) {
    return OAuth(400, "invalid_dpop_proof");
  }
  for (const auto& [k, v] : *form) g.params[k] = v;
  std::string request_uri = "urn:ietf:params:oauth:request_uri:" + std::to_string(++counter_);
  par_requests_[request_uri] = std::move(g);
  return http::JsonResponse(json::value(json::object{{"request_uri", request_uri},
                                                     {"expires_in", 60}}),
                            201);
}

http::Params TestUpstream::Authorize(const std::string& redirect_url, const std::string& subject) {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, std::string> query = QueryOf(redirect_url);
  Grant g;
  if (query.contains("request_uri")) {
    auto it = par_requests_.find(query["request_uri"]);
    EXPECT_NE(it, par_requests_.end()) << "unknown request_uri";
    if (it == par_requests_.end()) return {};
    g = it->second;
    par_requests_.erase(it);
  } else {
    g.params = query;
    g.jkt = query.contains("dpop_jkt") ? query["dpop_jkt"] : "";
  }
  last_auth_ = g.params;
  g.subject = subject;
  std::string code = "code-" + std::to_string(++counter_);
  http::Params callback;
  callback.Add("code", code);
  callback.Add("state", g.params["state"]);
  if (knobs_.send_iss) {
    callback.Add("iss", knobs_.callback_iss.empty() ? issuer_ : knobs_.callback_iss);
  }
  codes_[code] = std::move(g);
  return callback;
}

http::Response TestUpstream::Token(const http::Request& r) {
  std::lock_guard<std::mutex> lock(mu_);
  if (knobs_.token_status != 0) return OAuth(knobs_.token_status, knobs_.token_error);
  const auto& form = r.Form();
  if (!form.ok()) return OAuth(400, "invalid_request");
  if (!CheckClientAssertion(*form, issuer_ + "/token").empty()) return OAuth(401, "invalid_client");
  auto it = codes_.find(std::string(form->Get("code").value_or("")));
  if (it == codes_.end()) return OAuth(400, "invalid_grant");
  Grant g = it->second;
  std::string jkt;
  std::string problem = CheckDpop(r, "POST", issuer_ + "/token", nullptr, &jkt);
  if (problem == "use_dpop_nonce") {
    http::Response resp = OAuth(400, "use_dpop_nonce");
    resp.headers.Set("DPoP-Nonce", dpop_nonce_);
    return resp;
  }
  codes_.erase(it);
  if (!g.jkt.empty() && (!problem.empty() || jkt != g.jkt)) return OAuth(400, "invalid_dpop_proof");
  if (PkceS256Challenge(form->Get("code_verifier").value_or("")) != g.params["code_challenge"] ||
      form->Get("redirect_uri").value_or("") != g.params["redirect_uri"]) {
    return OAuth(400, "invalid_grant");
  }
  std::string access_token = "at-" + std::to_string(++counter_);
  Grant bound = g;
  bound.jkt = jkt;
  access_tokens_[access_token] = bound;
  json::object body{{"access_token", access_token},
                    {"token_type", g.jkt.empty() ? "Bearer" : "DPoP"},
                    {"expires_in", 300},
                    {"id_token", MakeIdToken(g, access_token)}};
  if (knobs_.rotate_dpop_nonce_after_token) dpop_nonce_ = "nonce-2";
  if (knobs_.token_padding_bytes > 0) body["padding"] = std::string(knobs_.token_padding_bytes, 'x');
  return http::JsonResponse(json::value(body));
}

std::string TestUpstream::MakeIdToken(const Grant& g, const std::string& access_token) {
  int64_t now = clock_.NowSeconds();
  json::object claims{{"iss", issuer_}, {"sub", g.subject}, {"aud", client_id_},
                      {"iat", now},     {"exp", now + 120}, {"nonce", g.params.at("nonce")},
                      {"sid", "sid-1"}, {"auth_time", now}};
  claims["at_hash"] = jose::ComputeTokenHash(crypto::SignatureAlgorithm::kEs256, access_token);
  if (knobs_.kind == UpstreamKind::kOneLogin) {
    claims["vot"] = "Cl.Cm";
    claims["vtm"] = issuer_ + "/trustmark";
  }
  if (knobs_.kind == UpstreamKind::kSingpass) {
    claims["acr"] = "urn:singpass:authentication:loa:2";
    claims["amr"] = json::array{"pwd", "sms"};
    claims["sub_attributes"] = json::object{{"identity_number", "S1234567D"},
                                            {"identity_coi", "SG"}};
  }
  if (knobs_.id_token_edit) knobs_.id_token_edit(claims);
  auto signer = jose::JwtSigner::Create(knobs_.unpublished_signing_key ? ghost_key_ : signing_key_,
                                        crypto::SignatureAlgorithm::kEs256);
  std::string token = *signer->Sign(claims);
  if (knobs_.tamper_id_token) token[token.size() - 5] = token[token.size() - 5] == 'A' ? 'B' : 'A';
  if (knobs_.encrypt_id_token && client_encryption_key_) {
    auto enc = jose::JweEncrypter::Create(client_encryption_key_->PublicOnly(),
                                          jose::JweAlg::kEcdhEsA256Kw, jose::JweEnc::kA256CbcHs512);
    token = *enc->Encrypt(token, NestedJwtHeader());
  }
  return token;
}

std::string TestUpstream::MakeLogoutToken(const ClaimsEdit& edit, bool ghost, bool encrypt) {
  int64_t now = clock_.NowSeconds();
  std::string jti;
  {
    std::lock_guard<std::mutex> lock(mu_);
    jti = "logout-" + std::to_string(++counter_);
  }
  json::object claims{{"iss", issuer_}, {"sub", "user-1"},  {"aud", client_id_},
                      {"iat", now},     {"exp", now + 120}, {"jti", jti},
                      {"sid", "sid-1"},
                      {"events", json::object{{"http://schemas.openid.net/event/backchannel-logout",
                                               json::object{}}}}};
  if (edit) edit(claims);
  auto signer = jose::JwtSigner::Create(ghost ? ghost_key_ : signing_key_,
                                        crypto::SignatureAlgorithm::kEs256);
  std::string token = *signer->Sign(claims);
  if (encrypt && client_encryption_key_) {
    auto enc = jose::JweEncrypter::Create(client_encryption_key_->PublicOnly(),
                                          jose::JweAlg::kEcdhEsA256Kw, jose::JweEnc::kA256CbcHs512);
    token = *enc->Encrypt(token, NestedJwtHeader());
  }
  return token;
}

std::string TestUpstream::MakeCoreIdentity(const std::string& subject) {
  int64_t now = clock_.NowSeconds();
  json::object claims{
      {"iss", core_identity_issuer()}, {"sub", subject}, {"aud", client_id_}, {"nbf", now},
      {"iat", now}, {"exp", now + 3600}, {"vot", "P2"}, {"vtm", issuer_ + "/trustmark"},
      {"vc", json::object{
                 {"type", json::array{"VerifiableCredential", "VerifiableIdentityCredential"}},
                 {"credentialSubject",
                  json::object{
                      {"name", json::array{
                                   json::object{{"validUntil", "2019-01-01"},
                                                {"nameParts", json::array{json::object{
                                                                  {"type", "FamilyName"},
                                                                  {"value", "OLDNAME"}}}}},
                                   json::object{{"validFrom", "2019-01-01"},
                                                {"nameParts",
                                                 json::array{
                                                     json::object{{"type", "GivenName"},
                                                                  {"value", "Kenneth"}},
                                                     json::object{{"type", "FamilyName"},
                                                                  {"value", "Decerqueira"}},
                                                     json::object{{"type", "GivenName"},
                                                                  {"value", "Paul"}}}}}}},
                      {"birthDate", json::array{json::object{{"value", "1965-07-08"}},
                                                json::object{{"value", "1965-07-09"}}}}}}}}};
  if (knobs_.core_identity_edit) knobs_.core_identity_edit(claims);
  jose::Jwk key = did_key_;
  key.set_kid(knobs_.core_identity_kid.empty() ? did() + "#" + did_key_id_
                                               : knobs_.core_identity_kid);
  auto signer = jose::JwtSigner::Create(key, crypto::SignatureAlgorithm::kEs256);
  std::string token = *signer->Sign(claims);
  if (knobs_.tamper_core_identity) {
    token[token.size() - 5] = token[token.size() - 5] == 'A' ? 'B' : 'A';
  }
  return token;
}

http::Response TestUpstream::Userinfo(const http::Request& r) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string auth(r.headers.Get("Authorization").value_or(""));
  size_t space = auth.find(' ');
  if (space == std::string::npos) return http::ErrorResponse(401);
  std::string scheme = auth.substr(0, space), token = auth.substr(space + 1);
  auto it = access_tokens_.find(token);
  if (it == access_tokens_.end()) return http::ErrorResponse(401);
  const Grant& g = it->second;
  if (!g.jkt.empty()) {
    std::string jkt;
    std::string problem = CheckDpop(r, "GET", issuer_ + "/userinfo", &token, &jkt);
    if (problem == "use_dpop_nonce") {
      ++userinfo_nonce_rejections_;
      http::Response resp = http::ErrorResponse(401);
      resp.headers.Set("WWW-Authenticate", "DPoP error=\"use_dpop_nonce\"");
      resp.headers.Set("DPoP-Nonce", dpop_nonce_);
      return resp;
    }
    if (scheme != "DPoP" || !problem.empty() || jkt != g.jkt) return http::ErrorResponse(401);
  } else if (scheme != "Bearer") {
    return http::ErrorResponse(401);
  }
  json::object claims{{"sub", g.subject}, {"email", "person@example.test"}};
  for (const auto& [k, v] : knobs_.userinfo_extra) claims[k] = v;
  if (knobs_.include_core_identity) {
    claims["https://vocab.account.gov.uk/v1/coreIdentityJWT"] = MakeCoreIdentity(g.subject);
  }
  return http::JsonResponse(json::value(claims));
}

SilentListener::SilentListener() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(fd_, 16) != 0) {
    ADD_FAILURE() << "SilentListener: cannot listen";
    return;
  }
  socklen_t len = sizeof(addr);
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

SilentListener::~SilentListener() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace accord::oidc::connectors::testing
