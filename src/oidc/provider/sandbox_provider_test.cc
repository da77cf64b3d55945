// The sandbox national providers in-process: a Provider with profile "onelogin" (sandbox-uk) and
// "singpass" (sandbox-sg) over the data/people files, plus ResumeLogin (a login that went
// upstream through Authenticator::Begin).
#include <gtest/gtest.h>

#include <regex>

#include "common/base64url.h"
#include "common/json.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "jose/jwe.h"
#include "jose/jwt.h"
#include "oidc/provider/provider.h"
#include "oidc/provider/test_util.h"
#include "store/token_hash.h"

namespace accord::oidc {
namespace {

using testing::FormField;
using testing::Pkce;
using testing::SetCookieValue;

constexpr std::string_view kIssuer = "https://uk.sandbox.example";
constexpr std::string_view kRedirect = "http://localhost:3000/cb";
constexpr std::string_view kAda = "sandbox-uk-0001";    // P2
constexpr std::string_view kCeri = "sandbox-uk-0003";   // Cl.Cm only
constexpr std::string_view kMeiLing = "5c7e1a0e-8f2b-4d7a-9b61-0a5f3c2e9d01";
constexpr std::string_view kCoreClaimsRequest =
    "{\"userinfo\":{\"https://vocab.account.gov.uk/v1/coreIdentityJWT\":null}}";

boost::json::object Json(std::string_view body) {
  auto o = ParseJsonObject(body);
  EXPECT_TRUE(o.ok()) << body;
  return o.ok() ? std::move(*o) : boost::json::object();
}

std::string Str(const boost::json::object& o, std::string_view name) {
  const boost::json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

jose::Jwk RsaKey(std::string kid) {
  auto key = crypto::PrivateKey::GenerateRsa(2048);
  EXPECT_TRUE(key.ok());
  jose::Jwk jwk = jose::Jwk::FromPrivateKey(std::move(*key));
  jwk.set_kid(std::move(kid));
  return jwk;
}

// Redirects every login upstream, as the gateway's broker authenticator does.
class UpstreamAuthenticator final : public Authenticator {
 public:
  std::string RenderLoginFields() const override { return ""; }
  Result<AuthenticatedUser> Complete(const http::Params&) const override {
    return InvalidArgument("upstream only", "login_failed");
  }
  Result<LoginStep> Begin(const http::Params&, std::string_view txn) const override {
    last_txn = std::string(txn);
    LoginStep step;
    step.redirect_url = "https://upstream.example/authorize?state=xyz";
    return step;
  }
  Result<Person> FindPerson(std::string_view) const override { return NotFound("none", "not_found"); }
  const std::vector<Person>& people() const override { return people_; }
  mutable std::string last_txn;

 private:
  std::vector<Person> people_;
};

class SandboxEnv {
 public:
  // profile "onelogin" | "singpass"; `authenticator` overrides the people file when set.
  explicit SandboxEnv(std::string profile, const Authenticator* authenticator = nullptr)
      : kek_(crypto::RandomSecret(32)) {
    store::StoreConfig sc;
    sc.sqlite_path = dir_.File("accord.db");
    store_ = std::move(*store::OpenStore(sc));
    bool sg = profile == "singpass";
    std::string owner = sg ? "sandbox-sg" : "sandbox-uk";
    jose::Jwks jwks;
    if (sg) {
      client_key_ = testing::NewEcKey("sg-sig");
      enc_key_ = testing::NewEcKey("sg-enc");
      enc_key_.set_use("enc");
      jwks.Add(client_key_.PublicOnly());
      jwks.Add(enc_key_.PublicOnly());
    } else {
      client_key_ = RsaKey("uk-rsa");
      jwks.Add(client_key_.PublicOnly());
    }
    std::string people = std::string(ACCORD_SOURCE_DIR) + "/data/people/" +
                         (sg ? "sandbox-sg.json" : "sandbox-uk.json");
    std::string toml = "profile = \"" + profile + "\"\nkey_owner = \"" + owner + "\"\n" +
                       "issuer = \"" + std::string(kIssuer) + "\"\n[keys]\nkek_env = \"UNUSED\"\n" +
                       "[sandbox]\npeople_file = \"" + people + "\"\n[[clients]]\n" +
                       "client_id = \"rp\"\nredirect_uris = [\"" + std::string(kRedirect) + "\"]\n" +
                       (sg ? "profile = \"fapi2\"\nscopes = [\"openid\", \"user.identity\", \"name\", "
                             "\"email\", \"mobileno\"]\n"
                           : "profile = \"oidc\"\nscopes = [\"openid\", \"email\", \"phone\"]\n") +
                       "jwks = '''" + jwks.ToPublicJson() + "'''\n";
    auto cfg = ParseConfig(toml);
    EXPECT_TRUE(cfg.ok()) << cfg.status().ToString();
    config_ = std::move(*cfg);
    auto km = KeyManager::Create(*store_, kek_.Clone(), clock_, owner);
    EXPECT_TRUE(km.ok());
    keys_ = std::move(*km);
    EXPECT_TRUE(keys_->EnsureKeys().ok());
    auto ppl = SandboxAuthenticator::FromFile(people);
    EXPECT_TRUE(ppl.ok()) << ppl.status().ToString();
    people_ = std::move(*ppl);
    auto p = Provider::Create({&config_, store_.get(), keys_.get(),
                               authenticator ? authenticator : people_.get(), &clock_, &kek_});
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    if (p.ok()) provider_ = std::move(*p);
  }
  ~SandboxEnv() {
    provider_.reset();
    keys_.reset();
    store_.reset();
  }

  http::Request Post(std::string path, std::string body) const {
    http::Request r;
    r.method = "POST";
    r.target = path;
    r.path = std::move(path);
    r.body = std::move(body);
    r.headers.Set("Content-Type", "application/x-www-form-urlencoded");
    return r;
  }
  http::Request Get(std::string target) const {
    http::Request r;
    r.method = "GET";
    r.target = target;
    EXPECT_TRUE(http::ParseTarget(target, &r.path, &r.query).ok());
    return r;
  }
  // private_key_jwt with the client's key: RS256 (One Login) or ES256 (Singpass, aud = issuer,
  // exp = iat + exp_offset).
  std::string Assertion(int64_t exp_offset = 60, std::string aud = std::string(kIssuer)) const {
    bool rsa = client_key_.type() == crypto::KeyType::kRsa;
    auto signer = jose::JwtSigner::Create(
        client_key_, rsa ? crypto::SignatureAlgorithm::kRs256 : crypto::SignatureAlgorithm::kEs256, "");
    EXPECT_TRUE(signer.ok());
    boost::json::object c{{"iss", "rp"}, {"sub", "rp"}, {"aud", aud},
                          {"jti", crypto::RandomToken(16)}, {"iat", clock_.NowSeconds()},
                          {"exp", clock_.NowSeconds() + exp_offset}};
    return "client_assertion_type=" + http::FormEncode(kJwtBearerAssertionType) +
           "&client_assertion=" + *signer->Sign(c);
  }
  // Login page -> chosen person -> redirect response.
  http::Response LoginThrough(const http::Response& page, std::string_view person) {
    EXPECT_EQ(page.status, 200) << page.body;
    http::Request post = Post("/login", "txn=" + FormField(page.body, "txn") + "&csrf=" +
                                            FormField(page.body, "csrf") + "&person=" +
                                            std::string(person));
    post.headers.Set("Cookie", "accord_csrf=" + SetCookieValue(page, "accord_csrf"));
    return provider_->Login(post);
  }
  jose::VerifiedJwt VerifyIdToken(std::string_view jwt) {
    auto snap = keys_->Current();
    jose::JwsVerifyOptions options;
    options.allowed_algs = {crypto::SignatureAlgorithm::kEs256};
    auto jws = jose::JwsVerifier::Create(snap->public_jwks, options);
    auto validator = jose::JwtValidator::Builder()
                         .ExpectIssuer(std::string(kIssuer))
                         .ExpectAudience("rp")
                         .ExpectTypeHeader("JWT")
                         .SetClock(clock_)
                         .Build();
    auto v = jose::JwtVerifier(std::move(*jws), std::move(*validator)).Verify(jwt);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return std::move(*v);
  }
  std::string DpopProof(std::string htu, std::string method = "POST", std::string at = "") {
    testing::DpopOptions o;
    o.htu = std::string(kIssuer) + htu;
    o.method = std::move(method);
    o.access_token = std::move(at);
    http::Request probe = Post("/token", Assertion() + "&grant_type=refresh_token&refresh_token=x");
    probe.headers.Set("DPoP", testing::DpopProofJwt(dpop_key_, clock_, o));
    o.nonce = std::string(provider_->Token(probe).headers.Get("DPoP-Nonce").value_or(""));
    return testing::DpopProofJwt(dpop_key_, clock_, o);
  }

  FixedClock clock_{testing::kNow};
  ::accord::testing::TempDir dir_{"accord-oidc-"};
  crypto::SecretBytes kek_;
  std::unique_ptr<store::Store> store_;
  jose::Jwk client_key_ = testing::NewEcKey("unused");
  jose::Jwk enc_key_ = testing::NewEcKey("unused");
  jose::Jwk dpop_key_ = testing::NewEcKey("");
  ProviderConfig config_;
  std::unique_ptr<KeyManager> keys_;
  std::unique_ptr<SandboxAuthenticator> people_;
  std::unique_ptr<Provider> provider_;
};

// --- sandbox-uk (One Login profile) ----------------------------------------------------------

class SandboxUkTest : public ::testing::Test {
 protected:
  std::string AuthorizeTarget(const Pkce& pkce, std::string extra) {
    return "/authorize?client_id=rp&response_type=code&scope=openid%20email%20phone"
           "&redirect_uri=" + http::FormEncode(kRedirect) + "&state=st&nonce=nn&code_challenge=" +
           pkce.challenge + "&code_challenge_method=S256" + extra;
  }
  // authorize + login + token; returns the token response body.
  boost::json::object Flow(std::string_view person, std::string extra) {
    Pkce pkce;
    http::Response r = env_.LoginThrough(
        env_.provider_->Authorize(env_.Get(AuthorizeTarget(pkce, std::move(extra)))), person);
    EXPECT_EQ(r.status, 303);
    std::string code = testing::QueryParam(std::string(r.headers.Get("Location").value_or("")), "code");
    http::Response tr = env_.provider_->Token(env_.Post(
        "/token", env_.Assertion() + "&grant_type=authorization_code&code=" + code +
                      "&code_verifier=" + pkce.verifier + "&redirect_uri=" +
                      http::FormEncode(kRedirect)));
    EXPECT_EQ(tr.status, 200) << tr.body;
    return Json(tr.body);
  }
  boost::json::object Userinfo(const boost::json::object& tokens) {
    http::Request req = env_.Get("/userinfo");
    req.headers.Set("Authorization", "Bearer " + Str(tokens, "access_token"));
    http::Response r = env_.provider_->Userinfo(req);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r.body);
  }
  std::string Claims() { return "&claims=" + http::FormEncode(kCoreClaimsRequest); }
  std::string Vtr(std::string_view v) { return "&vtr=" + http::FormEncode(v); }

  SandboxEnv env_{"onelogin"};
};

TEST_F(SandboxUkTest, IdTokenHasOneLoginSubVotVtmAndNoAcr) {
  boost::json::object tokens = Flow(kAda, Vtr("[\"Cl.Cm.P2\"]"));
  jose::VerifiedJwt id = env_.VerifyIdToken(Str(tokens, "id_token"));
  EXPECT_TRUE(id.subject()->starts_with("urn:fdc:gov.uk:2022:")) << *id.subject();
  EXPECT_EQ(id.GetString("vot"), "Cl.Cm");
  EXPECT_EQ(id.GetString("vtm"), std::string(kIssuer) + "/trustmark");
  EXPECT_TRUE(id.GetString("sid").has_value());
  EXPECT_FALSE(id.HasClaim("acr"));
  EXPECT_EQ(id.GetString("nonce"), "nn");
}

TEST_F(SandboxUkTest, UserinfoHasEmailAndPhone) {
  boost::json::object info = Userinfo(Flow(kAda, ""));
  EXPECT_EQ(Str(info, "email"), "ada.testwright@example.com");
  EXPECT_TRUE(info.at("email_verified").as_bool());
  EXPECT_EQ(Str(info, "phone_number"), "+447700900101");
  EXPECT_TRUE(info.at("phone_number_verified").as_bool());
  EXPECT_FALSE(info.contains(kCoreIdentityClaim));
}

TEST_F(SandboxUkTest, CoreIdentityJwtVerifiesWithTheDidDocumentKey) {
  boost::json::object tokens = Flow(kAda, Vtr("[\"Cl.Cm.P2\"]") + Claims());
  jose::VerifiedJwt id = env_.VerifyIdToken(Str(tokens, "id_token"));
  std::string core = Str(Userinfo(tokens), kCoreIdentityClaim);
  ASSERT_FALSE(core.empty());
  // As an RP does: the assertionMethod of did.json whose id is the JWT's kid.
  boost::json::object did = Json(env_.provider_->national_profile()->did_document_json());
  EXPECT_EQ(Str(did, "id"), env_.config_.onelogin_did);
  jose::Jwks keys;
  for (const auto& m : did.at("assertionMethod").as_array()) {
    auto jwk = jose::Jwk::FromPublicJson(m.as_object().at("publicKeyJwk").as_object());
    ASSERT_TRUE(jwk.ok());
    jwk->set_kid(Str(m.as_object(), "id"));
    keys.Add(*jwk);
  }
  jose::JwsVerifyOptions options;
  options.allowed_algs = {crypto::SignatureAlgorithm::kEs256};
  auto validator = jose::JwtValidator::Builder()
                       .ExpectIssuer(env_.config_.onelogin_identity_issuer)
                       .ExpectAudience("rp")
                       .ExpectTypeHeader("JWT")
                       .SetClock(env_.clock_)
                       .Build();
  auto v = jose::JwtVerifier(*jose::JwsVerifier::Create(keys, options), *validator).Verify(core);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->key_id().starts_with(env_.config_.onelogin_did + "#"));
  EXPECT_EQ(v->subject(), id.subject());
  EXPECT_EQ(v->GetString("vot"), "P2");
  // Not signed by the ID-token keys.
  jose::JwsVerifyOptions id_options;
  id_options.allowed_algs = {crypto::SignatureAlgorithm::kEs256};
  auto id_keys = jose::JwsVerifier::Create(env_.keys_->Current()->public_jwks, id_options);
  EXPECT_FALSE(id_keys->Verify(core).ok());
}

TEST_F(SandboxUkTest, NoCoreIdentityWithoutP2Person) {
  boost::json::object tokens = Flow(kCeri, Vtr("[\"Cl.Cm.P2\"]") + Claims());
  EXPECT_EQ(env_.VerifyIdToken(Str(tokens, "id_token")).GetString("vot"), "Cl.Cm");
  EXPECT_FALSE(Userinfo(tokens).contains(kCoreIdentityClaim));
}

TEST_F(SandboxUkTest, NoCoreIdentityWhenVtrDidNotAskP2) {
  EXPECT_FALSE(Userinfo(Flow(kAda, Claims())).contains(kCoreIdentityClaim));
}

TEST_F(SandboxUkTest, InvalidVtrIsAnErrorRedirect) {
  Pkce pkce;
  http::Response r = env_.provider_->Authorize(env_.Get(AuthorizeTarget(pkce, Vtr("[\"Cl.P2\"]"))));
  ASSERT_EQ(r.status, 303);
  std::string location(r.headers.Get("Location").value_or(""));
  EXPECT_EQ(testing::QueryParam(location, "error"), "invalid_request");
}

TEST_F(SandboxUkTest, IdTokenClaimsRequestRejected) {
  Pkce pkce;
  http::Response r = env_.provider_->Authorize(env_.Get(
      AuthorizeTarget(pkce, "&claims=" + http::FormEncode("{\"id_token\":{\"email\":null}}"))));
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(testing::QueryParam(std::string(r.headers.Get("Location").value_or("")), "error"),
            "invalid_request");
}

TEST_F(SandboxUkTest, DiscoveryNamesTheOneLoginFeatures) {
  boost::json::object d = Json(env_.provider_->discovery_json());
  EXPECT_EQ(Str(d, "trustmarks"), std::string(kIssuer) + "/trustmark");
  EXPECT_TRUE(d.at("claims_parameter_supported").as_bool());
  EXPECT_FALSE(d.contains("acr_values_supported"));
}

TEST_F(SandboxUkTest, LoginPageListsTheSandboxPeople) {
  Pkce pkce;
  http::Response page = env_.provider_->Authorize(env_.Get(AuthorizeTarget(pkce, "")));
  EXPECT_NE(page.body.find("One Login sandbox"), std::string::npos);
  EXPECT_NE(page.body.find("Testwright"), std::string::npos);
  EXPECT_NE(page.body.find("identity proven (P2)"), std::string::npos);
  EXPECT_NE(page.body.find("identity not proven"), std::string::npos);
}

// --- sandbox-sg (Singpass FAPI 2.0 profile) --------------------------------------------------

class SandboxSgTest : public ::testing::Test {
 protected:
  boost::json::object Flow(std::string_view person, std::string scope = "openid user.identity name") {
    Pkce pkce;
    http::Request par = env_.Post(
        "/par", env_.Assertion() + "&response_type=code&scope=" + http::FormEncode(scope) +
                    "&state=s1&nonce=n1&redirect_uri=" + http::FormEncode(kRedirect) +
                    "&code_challenge=" + pkce.challenge + "&code_challenge_method=S256");
    par.headers.Set("DPoP", env_.DpopProof("/par"));
    http::Response pr = env_.provider_->Par(par);
    EXPECT_EQ(pr.status, 201) << pr.body;
    http::Response r = env_.LoginThrough(
        env_.provider_->Authorize(env_.Get("/authorize?client_id=rp&request_uri=" +
                                           http::FormEncode(Str(Json(pr.body), "request_uri")))),
        person);
    std::string code = testing::QueryParam(std::string(r.headers.Get("Location").value_or("")), "code");
    http::Request token = env_.Post(
        "/token", env_.Assertion() + "&grant_type=authorization_code&code=" + code +
                      "&code_verifier=" + pkce.verifier + "&redirect_uri=" + http::FormEncode(kRedirect));
    token.headers.Set("DPoP", env_.DpopProof("/token"));
    http::Response tr = env_.provider_->Token(token);
    EXPECT_EQ(tr.status, 200) << tr.body;
    return Json(tr.body);
  }
  Result<jose::DecryptedJwe> Decrypt(const jose::Jwk& key, std::string_view jwe) {
    jose::JweDecryptOptions o;
    o.allowed_algs = {jose::JweAlg::kEcdhEsA256Kw};
    o.allowed_encs = {jose::JweEnc::kA256CbcHs512};
    return jose::JweDecrypter::Create(key, o)->Decrypt(jwe);
  }

  SandboxEnv env_{"singpass"};
};

TEST_F(SandboxSgTest, IdTokenIsAJweAroundTheSignedToken) {
  boost::json::object tokens = Flow(kMeiLing);
  EXPECT_EQ(Str(tokens, "token_type"), "DPoP");
  auto opened = Decrypt(env_.enc_key_, Str(tokens, "id_token"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->cty(), "JWT");
  EXPECT_EQ(Str(opened->header(), "alg"), "ECDH-ES+A256KW");
  EXPECT_EQ(Str(opened->header(), "enc"), "A256CBC-HS512");
  EXPECT_EQ(opened->key_id(), "sg-enc");
  jose::VerifiedJwt id = env_.VerifyIdToken(opened->plaintext_string());
  EXPECT_TRUE(std::regex_match(*id.subject(),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  EXPECT_EQ(id.GetString("sub_type"), "user");
  EXPECT_EQ(id.GetString("acr"), "urn:singpass:authentication:loa:2");
  EXPECT_EQ(id.GetObject("sub_attributes")->at("identity_number").as_string(), "S9400228A");
}

TEST_F(SandboxSgTest, IdTokenDoesNotOpenWithAnotherKey) {
  boost::json::object tokens = Flow(kMeiLing);
  jose::Jwk other = testing::NewEcKey("sg-enc");
  other.set_use("enc");
  auto opened = Decrypt(other, Str(tokens, "id_token"));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().reason(), "decrypt_failed");
}

TEST_F(SandboxSgTest, UserinfoIsAnEncryptedSignedJwt) {
  boost::json::object tokens = Flow(kMeiLing, "openid name email mobileno");
  std::string at = Str(tokens, "access_token");
  http::Request req = env_.Get("/userinfo");
  req.headers.Set("Authorization", "DPoP " + at);
  req.headers.Set("DPoP", env_.DpopProof("/userinfo", "GET", at));
  http::Response r = env_.provider_->Userinfo(req);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/jwt");
  auto opened = Decrypt(env_.enc_key_, r.body);
  ASSERT_TRUE(opened.ok());
  jose::VerifiedJwt info = env_.VerifyIdToken(opened->plaintext_string());
  const auto& person = *info.GetObject("person_info");
  EXPECT_EQ(person.at("name").as_object().at("value").as_string(), "SAMPLETON MEI LING");
  EXPECT_EQ(person.at("email").as_object().at("value").as_string(), "meiling.sampleton@example.com");
  EXPECT_FALSE(person.contains("uinfin"));
}

TEST_F(SandboxSgTest, SubjectsDifferPerPerson) {
  auto a = Decrypt(env_.enc_key_, Str(Flow(kMeiLing), "id_token"));
  auto b = Decrypt(env_.enc_key_, Str(Flow("0b9d6f4c-3e21-4c88-a7f5-6d2e1b8c7a02"), "id_token"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*env_.VerifyIdToken(a->plaintext_string()).subject(),
            *env_.VerifyIdToken(b->plaintext_string()).subject());
}

TEST_F(SandboxSgTest, AssertionLivingLongerThan120SecondsRejected) {
  http::Request par = env_.Post("/par", env_.Assertion(/*exp_offset=*/121) +
                                            "&response_type=code&scope=openid");
  http::Response r = env_.provider_->Par(par);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Str(Json(r.body), "error"), "invalid_client");
}

TEST_F(SandboxSgTest, AssertionAudienceMustBeTheIssuer) {
  http::Request par = env_.Post("/par", env_.Assertion(60, std::string(kIssuer) + "/par") +
                                            "&response_type=code&scope=openid");
  EXPECT_EQ(env_.provider_->Par(par).status, 401);
}

TEST_F(SandboxSgTest, DiscoveryAdvertisesEncryption) {
  boost::json::object d = Json(env_.provider_->discovery_json());
  EXPECT_EQ(d.at("id_token_encryption_alg_values_supported").as_array()[0].as_string(),
            "ECDH-ES+A256KW");
  EXPECT_TRUE(d.at("require_pushed_authorization_requests").as_bool());
}

// --- ResumeLogin (a login that went upstream) ------------------------------------------------

class ResumeLoginTest : public ::testing::Test {
 protected:
  // Authorize + login POST; returns the 303 to the upstream.
  http::Response StartUpstream() {
    Pkce pkce;
    http::Response page = env_.provider_->Authorize(env_.Get(
        "/authorize?client_id=rp&response_type=code&scope=openid&redirect_uri=" +
        http::FormEncode(kRedirect) + "&state=st&code_challenge=" + pkce.challenge +
        "&code_challenge_method=S256"));
    http::Request post = env_.Post("/login", "txn=" + FormField(page.body, "txn") + "&csrf=" +
                                                 FormField(page.body, "csrf"));
    post.headers.Set("Cookie", "accord_csrf=" + SetCookieValue(page, "accord_csrf"));
    return env_.provider_->Login(post);
  }
  AuthenticatedUser User() {
    return AuthenticatedUser{"gateway-user-1", "urn:accord:acr:x", {"pwd"}, "sandbox-uk", "{\"a\":1}"};
  }
  http::Request Callback(std::string cookie) {
    http::Request r = env_.Get("/callback?state=xyz");
    if (!cookie.empty()) r.headers.Set("Cookie", "accord_resume=" + cookie);
    return r;
  }

  UpstreamAuthenticator upstream_;
  SandboxEnv env_{"onelogin", &upstream_};
};

TEST_F(ResumeLoginTest, LoginPostRedirectsUpstream) {
  http::Response r = StartUpstream();
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.headers.Get("Location"), "https://upstream.example/authorize?state=xyz");
  EXPECT_FALSE(SetCookieValue(r, "accord_resume").empty());
  EXPECT_FALSE(upstream_.last_txn.empty());
}

TEST_F(ResumeLoginTest, ResumeIssuesSessionAndCode) {
  http::Response up = StartUpstream();
  http::Response r = env_.provider_->ResumeLogin(upstream_.last_txn, User(),
                                                 Callback(SetCookieValue(up, "accord_resume")));
  ASSERT_EQ(r.status, 303) << r.body;
  std::string location(r.headers.Get("Location").value_or(""));
  EXPECT_TRUE(location.starts_with(kRedirect)) << location;
  EXPECT_FALSE(testing::QueryParam(location, "code").empty());
  EXPECT_EQ(testing::QueryParam(location, "state"), "st");
  std::string session = SetCookieValue(r, "accord_session");
  ASSERT_FALSE(session.empty());
  auto stored = env_.store_->GetSession(store::HashToken(session), env_.clock_.NowSeconds());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->subject, "gateway-user-1");
  EXPECT_EQ(stored->identity_json, "{\"a\":1}");
}

TEST_F(ResumeLoginTest, ResumeWithoutTheBrowserCookieRefused) {
  StartUpstream();
  EXPECT_EQ(env_.provider_->ResumeLogin(upstream_.last_txn, User(), Callback("")).status, 403);
}

TEST_F(ResumeLoginTest, ResumeFromAnotherBrowserRefused) {
  StartUpstream();
  EXPECT_EQ(env_.provider_->ResumeLogin(upstream_.last_txn, User(), Callback("forged")).status, 403);
}

TEST_F(ResumeLoginTest, ResumeIsSingleUse) {
  http::Response up = StartUpstream();
  std::string cookie = SetCookieValue(up, "accord_resume");
  EXPECT_EQ(env_.provider_->ResumeLogin(upstream_.last_txn, User(), Callback(cookie)).status, 303);
  EXPECT_EQ(env_.provider_->ResumeLogin(upstream_.last_txn, User(), Callback(cookie)).status, 400);
}

TEST_F(ResumeLoginTest, UnknownTransactionRefused) {
  EXPECT_EQ(env_.provider_->ResumeLogin("nope", User(), Callback("c")).status, 400);
}

}  // namespace
}  // namespace accord::oidc
