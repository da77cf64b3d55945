#include "oidc/provider/provider.h"

#include <gtest/gtest.h>


#include "common/base64url.h"
#include "common/json.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "jose/jwt.h"
#include "jose/token_hash.h"
#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

using testing::DpopOptions;
using testing::kOidcRedirect;
using testing::Pkce;
using testing::FormField;
using testing::QueryParam;
using testing::SetCookieValue;
constexpr std::string_view kFapiRedirect = "https://rp.example/cb";

class ProviderTest : public ::testing::Test {
 protected:
  std::string OidcAuthorizeTarget(const Pkce& pkce, std::string extra = "",
                                  std::string_view scope = "openid%20profile%20offline_access") {
    return "/authorize?client_id=oidc-client&response_type=code&scope=" + std::string(scope) +
           "&redirect_uri=" + http::FormEncode(kOidcRedirect) +
           "&state=st&nonce=nn&code_challenge=" + pkce.challenge +
           "&code_challenge_method=S256" + extra;
  }
  // Drives the login page; returns the final redirect response.
  http::Response LoginThrough(const http::Response& page, std::string person = "sandbox-gb-0001") {
    EXPECT_EQ(page.status, 200) << page.body;
    std::string txn = FormField(page.body, "txn"), csrf = FormField(page.body, "csrf");
    http::Request post = env_.Post("/login", "txn=" + txn + "&csrf=" + csrf + "&person=" + person);
    post.headers.Set("Cookie", "accord_csrf=" + SetCookieValue(page, "accord_csrf"));
    return env_.provider->Login(post);
  }
  // oidc client: authorize + login; returns the code.
  std::string OidcCode(const Pkce& pkce,
                       std::string_view scope = "openid%20profile%20offline_access") {
    http::Response redirect =
        LoginThrough(env_.provider->Authorize(env_.Get(OidcAuthorizeTarget(pkce, "", scope))));
    EXPECT_EQ(redirect.status, 303);
    std::string location(*redirect.headers.Get("Location"));
    EXPECT_TRUE(location.starts_with(kOidcRedirect));
    EXPECT_EQ(QueryParam(location, "state"), "st");
    EXPECT_EQ(QueryParam(location, "iss"), testing::kIssuer);
    session_cookie_ = SetCookieValue(redirect, "accord_session");
    return QueryParam(location, "code");
  }
  http::Response OidcToken(const std::string& code, const std::string& verifier,
                           std::string_view redirect = kOidcRedirect) {
    return env_.provider->Token(env_.Post(
        "/token", env_.AssertionFields(env_.oidc_key, "oidc-client") +
                      "&grant_type=authorization_code&code=" + code + "&code_verifier=" +
                      verifier + "&redirect_uri=" + http::FormEncode(redirect)));
  }
  boost::json::object Json(const http::Response& r) {
    auto o = ParseJsonObject(r.body);
    EXPECT_TRUE(o.ok()) << r.body;
    return o.ok() ? *o : boost::json::object();
  }
  std::string Str(const boost::json::object& o, std::string_view k) {
    auto* v = o.if_contains(k);
    return v && v->is_string() ? std::string(v->get_string()) : "";
  }
  // A DPoP proof carrying a fresh server nonce.
  std::string Proof(std::string htu, const jose::Jwk& key, std::string method = "POST",
                    std::string access_token = "") {
    DpopOptions o;
    o.htu = std::string(testing::kIssuer) + htu;
    o.method = std::move(method);
    o.access_token = std::move(access_token);
    // Obtain a nonce the way a client does: a proof without one gets use_dpop_nonce + a nonce.
    http::Request probe = env_.Post("/token", env_.AssertionFields(env_.fapi_key, "fapi-client") +
                                                 "&grant_type=refresh_token&refresh_token=x");
    probe.headers.Set("DPoP", testing::DpopProofJwt(key, env_.clock, o));
    http::Response r = env_.provider->Token(probe);
    o.nonce = std::string(r.headers.Get("DPoP-Nonce").value_or(""));
    return testing::DpopProofJwt(key, env_.clock, o);
  }
  // fapi2: PAR with DPoP, authorize, login; returns the code.
  std::string FapiCode(const Pkce& pkce) {
    http::Request par = env_.Post(
        "/par", env_.AssertionFields(env_.fapi_key, "fapi-client") +
                    "&response_type=code&scope=openid%20profile%20offline_access&state=s1&nonce=n1"
                    "&redirect_uri=" + http::FormEncode(kFapiRedirect) +
                    "&code_challenge=" + pkce.challenge + "&code_challenge_method=S256");
    par.headers.Set("DPoP", Proof("/par", env_.dpop_key));
    http::Response pr = env_.provider->Par(par);
    EXPECT_EQ(pr.status, 201) << pr.body;
    std::string uri = Str(Json(pr), "request_uri");
    EXPECT_TRUE(uri.starts_with(kRequestUriPrefix));
    http::Response redirect = LoginThrough(env_.provider->Authorize(
        env_.Get("/authorize?client_id=fapi-client&request_uri=" + http::FormEncode(uri))));
    EXPECT_EQ(redirect.status, 303);
    std::string location(redirect.headers.Get("Location").value_or(""));
    EXPECT_TRUE(location.starts_with(kFapiRedirect)) << location;
    return QueryParam(location, "code");
  }
  http::Response FapiToken(const std::string& code, const std::string& verifier,
                           const jose::Jwk& dpop_key) {
    http::Request req = env_.Post(
        "/token", env_.AssertionFields(env_.fapi_key, "fapi-client") +
                      "&grant_type=authorization_code&code=" + code + "&code_verifier=" +
                      verifier + "&redirect_uri=" + http::FormEncode(kFapiRedirect));
    req.headers.Set("DPoP", Proof("/token", dpop_key));
    return env_.provider->Token(req);
  }

  testing::ProviderEnv env_;
  std::string session_cookie_;
};

TEST_F(ProviderTest, DiscoveryAdvertisesProfileFields) {
  auto d = Json(env_.provider->Discovery(env_.Get("/.well-known/openid-configuration")));
  EXPECT_EQ(Str(d, "issuer"), testing::kIssuer);
  EXPECT_EQ(Str(d, "pushed_authorization_request_endpoint"), "https://op.example/par");
  EXPECT_EQ(d.at("require_pushed_authorization_requests"), false);
  EXPECT_EQ(d.at("authorization_response_iss_parameter_supported"), true);
  EXPECT_EQ(d.at("token_endpoint_auth_methods_supported"), boost::json::array({"private_key_jwt"}));
  EXPECT_EQ(d.at("code_challenge_methods_supported"), boost::json::array({"S256"}));
  EXPECT_TRUE(d.contains("dpop_signing_alg_values_supported"));
}

TEST_F(ProviderTest, JwksPublishesPublicKeys) {
  http::Response r = env_.provider->JwksEndpoint(env_.Get("/jwks"));
  EXPECT_EQ(r.status, 200);
  auto set = jose::Jwks::ParsePublic(r.body);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->size(), 2u);
}

TEST_F(ProviderTest, OidcCodeFlowIssuesVerifiableTokens) {
  Pkce pkce;
  std::string code = OidcCode(pkce);
  ASSERT_FALSE(code.empty());
  http::Response tr = OidcToken(code, pkce.verifier);
  ASSERT_EQ(tr.status, 200) << tr.body;
  EXPECT_EQ(tr.headers.Get("Cache-Control"), "no-store");
  auto body = Json(tr);
  EXPECT_EQ(Str(body, "token_type"), "Bearer");
  EXPECT_FALSE(Str(body, "refresh_token").empty());

  jose::JwsVerifyOptions opts;
  opts.allowed_algs = {crypto::SignatureAlgorithm::kEs256};
  auto validator = jose::JwtValidator::Builder()
                       .ExpectIssuer(std::string(testing::kIssuer))
                       .ExpectAudience("oidc-client")
                       .ExpectTypeHeader("JWT")
                       .SetClock(env_.clock)
                       .Build();
  jose::JwtVerifier verifier(*jose::JwsVerifier::Create(env_.keys->Current()->public_jwks, opts),
                             *validator);
  auto id = verifier.Verify(Str(body, "id_token"));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->GetString("nonce"), "nn");
  EXPECT_EQ(id->GetString("acr"), std::string(SandboxAuthenticator::kAcr));
  EXPECT_TRUE(id->GetInt("auth_time").has_value());
  EXPECT_EQ(id->subject(), env_.provider->PairwiseSubject(*env_.config.FindClient("oidc-client"),
                                                          "sandbox-gb-0001"));
  EXPECT_NE(*id->subject(), "sandbox-gb-0001");
  EXPECT_TRUE(jose::TokenHashMatches(crypto::SignatureAlgorithm::kEs256,
                                     Str(body, "access_token"), *id->GetString("at_hash")));

  http::Request ui = env_.Get("/userinfo");
  ui.headers.Set("Authorization", "Bearer " + Str(body, "access_token"));
  http::Response ur = env_.provider->Userinfo(ui);
  ASSERT_EQ(ur.status, 200) << ur.body;
  auto claims = Json(ur);
  EXPECT_EQ(Str(claims, "sub"), *id->subject());
  EXPECT_EQ(Str(claims, "given_name"), "Ada");
  EXPECT_EQ(Str(claims, "birthdate"), "1987-04-12");
}

TEST_F(ProviderTest, PairwiseSubjectsDifferPerSector) {
  EXPECT_NE(env_.provider->PairwiseSubject(*env_.config.FindClient("oidc-client"), "x"),
            env_.provider->PairwiseSubject(*env_.config.FindClient("fapi-client"), "x"));
}

TEST_F(ProviderTest, CodeReuseRejectedAndRevokesGrant) {
  Pkce pkce;
  std::string code = OidcCode(pkce);
  http::Response first = OidcToken(code, pkce.verifier);
  ASSERT_EQ(first.status, 200);
  std::string refresh = Str(Json(first), "refresh_token");
  http::Response second = OidcToken(code, pkce.verifier);
  EXPECT_EQ(second.status, 400);
  EXPECT_EQ(Str(Json(second), "error"), "invalid_grant");
  http::Response refreshed = env_.provider->Token(env_.Post(
      "/token", env_.AssertionFields(env_.oidc_key, "oidc-client") +
                    "&grant_type=refresh_token&refresh_token=" + refresh));
  EXPECT_EQ(Str(Json(refreshed), "error"), "invalid_grant");
}

// Without offline_access the exchange writes nothing but its decision, which the replay journal
// takes (docs/store.md, "Code exchanges in the journal"): a reuse is refused all the same, and
// the access token the first exchange gave stops working.
TEST_F(ProviderTest, LoginOnlyCodeReuseRejectedAndRevokesItsAccessToken) {
  Pkce pkce;
  std::string code = OidcCode(pkce, "openid%20profile");
  http::Response first = OidcToken(code, pkce.verifier);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Str(Json(first), "refresh_token"), "");
  auto userinfo = [&](const std::string& access_token) {
    http::Request ui = env_.Get("/userinfo");
    ui.headers.Set("Authorization", "Bearer " + access_token);
    return env_.provider->Userinfo(ui).status;
  };
  const std::string access_token = Str(Json(first), "access_token");
  EXPECT_EQ(userinfo(access_token), 200);
  http::Response second = OidcToken(code, pkce.verifier);
  EXPECT_EQ(second.status, 400);
  EXPECT_EQ(Str(Json(second), "error"), "invalid_grant");
  EXPECT_EQ(userinfo(access_token), 401);
}

TEST_F(ProviderTest, PkceVerifierMismatchRejected) {
  Pkce pkce, other;
  http::Response r = OidcToken(OidcCode(pkce), other.verifier);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Str(Json(r), "error"), "invalid_grant");
}

TEST_F(ProviderTest, PlainPkceMethodRejectedWithRedirect) {
  Pkce pkce;
  std::string target = OidcAuthorizeTarget(pkce);
  target.replace(target.find("S256"), 4, "plain");
  http::Response r = env_.provider->Authorize(env_.Get(target));
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(QueryParam(*r.headers.Get("Location"), "error"), "invalid_request");
}

TEST_F(ProviderTest, RedirectUriMismatchAtTokenRejected) {
  Pkce pkce;
  http::Response r = OidcToken(OidcCode(pkce), pkce.verifier, "http://localhost:3000/other");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Str(Json(r), "error"), "invalid_grant");
}

TEST_F(ProviderTest, UnregisteredRedirectUriShowsPageNeverRedirects) {
  Pkce pkce;
  std::string target = OidcAuthorizeTarget(pkce);
  target.replace(target.find("localhost%3A3000"), 16, "evil.example");
  http::Response r = env_.provider->Authorize(env_.Get(target));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.headers.Has("Location"));
  EXPECT_NE(r.body.find("<h1"), std::string::npos);
  EXPECT_EQ(r.body.find("<script"), std::string::npos);
}

TEST_F(ProviderTest, UnknownClientShowsPage) {
  http::Response r = env_.provider->Authorize(env_.Get("/authorize?client_id=nobody"));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.headers.Has("Location"));
}

// A refresh token is a long-lived credential: only a grant whose scope holds offline_access
// gets one (and only then is a refresh family stored).
TEST_F(ProviderTest, NoRefreshTokenWithoutOfflineAccess) {
  Pkce pkce;
  std::string target = OidcAuthorizeTarget(pkce);
  const std::string offline = "%20offline_access";
  target.erase(target.find(offline), offline.size());
  http::Response redirect = LoginThrough(env_.provider->Authorize(env_.Get(target)));
  ASSERT_EQ(redirect.status, 303);
  std::string code = QueryParam(std::string(*redirect.headers.Get("Location")), "code");
  http::Response tr = OidcToken(code, pkce.verifier);
  ASSERT_EQ(tr.status, 200) << tr.body;
  auto body = Json(tr);
  EXPECT_FALSE(body.contains("refresh_token"));
  EXPECT_FALSE(Str(body, "id_token").empty());
  EXPECT_EQ(Str(body, "scope"), "openid profile");
}

TEST_F(ProviderTest, FapiClientMustUsePar) {
  Pkce pkce;
  http::Response r = env_.provider->Authorize(env_.Get(
      "/authorize?client_id=fapi-client&response_type=code&scope=openid&redirect_uri=" +
      http::FormEncode(kFapiRedirect) + "&code_challenge=" + pkce.challenge +
      "&code_challenge_method=S256&state=x"));
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(QueryParam(*r.headers.Get("Location"), "error"), "invalid_request");
}

TEST_F(ProviderTest, FapiParDpopFlowIssuesBoundTokens) {
  Pkce pkce;
  std::string code = FapiCode(pkce);
  http::Response tr = FapiToken(code, pkce.verifier, env_.dpop_key);
  ASSERT_EQ(tr.status, 200) << tr.body;
  auto body = Json(tr);
  EXPECT_EQ(Str(body, "token_type"), "DPoP");
  std::string at = Str(body, "access_token");

  http::Request bearer = env_.Get("/userinfo");
  bearer.headers.Set("Authorization", "Bearer " + at);
  EXPECT_EQ(env_.provider->Userinfo(bearer).status, 401);

  http::Request dpop = env_.Get("/userinfo");
  dpop.headers.Set("Authorization", "DPoP " + at);
  dpop.headers.Set("DPoP", Proof("/userinfo", env_.dpop_key, "GET", at));
  http::Response ur = env_.provider->Userinfo(dpop);
  EXPECT_EQ(ur.status, 200) << ur.body;
}

TEST_F(ProviderTest, FapiTokenWithOtherDpopKeyRejected) {
  Pkce pkce;
  std::string code = FapiCode(pkce);
  jose::Jwk other = testing::NewEcKey("");
  http::Response tr = FapiToken(code, pkce.verifier, other);
  EXPECT_EQ(tr.status, 400);
  EXPECT_EQ(Str(Json(tr), "error"), "invalid_grant");
}

TEST_F(ProviderTest, FapiTokenWithoutDpopRejected) {
  Pkce pkce;
  std::string code = FapiCode(pkce);
  http::Response tr = env_.provider->Token(env_.Post(
      "/token", env_.AssertionFields(env_.fapi_key, "fapi-client") +
                    "&grant_type=authorization_code&code=" + code + "&code_verifier=" +
                    pkce.verifier + "&redirect_uri=" + http::FormEncode(kFapiRedirect)));
  EXPECT_EQ(Str(Json(tr), "error"), "invalid_dpop_proof");
}

TEST_F(ProviderTest, DpopWithoutNonceGetsUseDpopNonce) {
  Pkce pkce;
  http::Request par = env_.Post(
      "/par", env_.AssertionFields(env_.fapi_key, "fapi-client") +
                  "&response_type=code&scope=openid&state=s&redirect_uri=" +
                  http::FormEncode(kFapiRedirect) + "&code_challenge=" + pkce.challenge +
                  "&code_challenge_method=S256");
  DpopOptions o;
  o.htu = "https://op.example/par";
  par.headers.Set("DPoP", testing::DpopProofJwt(env_.dpop_key, env_.clock, o));
  http::Response r = env_.provider->Par(par);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Str(Json(r), "error"), "use_dpop_nonce");
  EXPECT_TRUE(r.headers.Has("DPoP-Nonce"));
}

TEST_F(ProviderTest, ParRequestUriIsSingleUse) {
  Pkce pkce;
  http::Response pr = env_.provider->Par(env_.Post(
      "/par", env_.AssertionFields(env_.oidc_key, "oidc-client") +
                  "&response_type=code&scope=openid&state=s&redirect_uri=" +
                  http::FormEncode(kOidcRedirect) + "&code_challenge=" + pkce.challenge +
                  "&code_challenge_method=S256"));
  ASSERT_EQ(pr.status, 201) << pr.body;
  std::string target = "/authorize?client_id=oidc-client&request_uri=" +
                       http::FormEncode(Str(Json(pr), "request_uri"));
  EXPECT_EQ(env_.provider->Authorize(env_.Get(target)).status, 200);
  EXPECT_EQ(env_.provider->Authorize(env_.Get(target)).status, 400);
}

TEST_F(ProviderTest, ParWithBadClientAssertionIs401) {
  testing::AssertionOptions o;
  o.aud = "https://elsewhere.example";
  http::Response r = env_.provider->Par(env_.Post(
      "/par", env_.AssertionFields(env_.oidc_key, "oidc-client", o) + "&response_type=code"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Str(Json(r), "error"), "invalid_client");
}

TEST_F(ProviderTest, LoginWithoutCsrfCookieRejected) {
  Pkce pkce;
  http::Response page = env_.provider->Authorize(env_.Get(OidcAuthorizeTarget(pkce)));
  http::Request post = env_.Post("/login", "txn=" + FormField(page.body, "txn") + "&csrf=" +
                                               FormField(page.body, "csrf") +
                                               "&person=sandbox-gb-0001");
  http::Response r = env_.provider->Login(post);
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(r.headers.Has("Location"));
}

TEST_F(ProviderTest, SessionIsReusedUnlessPromptLogin) {
  Pkce pkce;
  OidcCode(pkce);
  ASSERT_FALSE(session_cookie_.empty());
  http::Request again = env_.Get(OidcAuthorizeTarget(pkce));
  again.headers.Set("Cookie", "accord_session=" + session_cookie_);
  EXPECT_EQ(env_.provider->Authorize(again).status, 302);
  http::Request forced = env_.Get(OidcAuthorizeTarget(pkce, "&prompt=login"));
  forced.headers.Set("Cookie", "accord_session=" + session_cookie_);
  EXPECT_EQ(env_.provider->Authorize(forced).status, 200);
  env_.clock.AdvanceSeconds(30);
  http::Request aged = env_.Get(OidcAuthorizeTarget(pkce, "&max_age=10"));
  aged.headers.Set("Cookie", "accord_session=" + session_cookie_);
  EXPECT_EQ(env_.provider->Authorize(aged).status, 200);
}

TEST_F(ProviderTest, PromptNoneWithoutSessionRedirectsLoginRequired) {
  Pkce pkce;
  http::Response r = env_.provider->Authorize(env_.Get(OidcAuthorizeTarget(pkce, "&prompt=none")));
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(QueryParam(*r.headers.Get("Location"), "error"), "login_required");
}

TEST_F(ProviderTest, RefreshRotatesAllowsARetryAndDetectsReuse) {
  Pkce pkce;
  auto first = Json(OidcToken(OidcCode(pkce), pkce.verifier));
  std::string rt1 = Str(first, "refresh_token");
  auto refresh = [&](const std::string& rt) {
    return env_.provider->Token(env_.Post(
        "/token", env_.AssertionFields(env_.oidc_key, "oidc-client") +
                      "&grant_type=refresh_token&refresh_token=" + rt));
  };
  http::Response r2 = refresh(rt1);
  ASSERT_EQ(r2.status, 200) << r2.body;
  std::string rt2 = Str(Json(r2), "refresh_token");
  EXPECT_NE(rt1, rt2);
  // rt2 never used (as if its response was lost): a retry with rt1 succeeds and spends rt2.
  http::Response r3 = refresh(rt1);
  ASSERT_EQ(r3.status, 200) << r3.body;
  std::string rt3 = Str(Json(r3), "refresh_token");
  EXPECT_NE(rt3, rt2);
  http::Response r4 = refresh(rt3);
  ASSERT_EQ(r4.status, 200) << r4.body;
  std::string rt4 = Str(Json(r4), "refresh_token");
  EXPECT_EQ(Str(Json(refresh(rt1)), "error"), "invalid_grant");  // reuse: rt3 was used
  EXPECT_EQ(Str(Json(refresh(rt4)), "error"), "invalid_grant");  // family revoked
  EXPECT_EQ(Str(Json(refresh(rt2)), "error"), "invalid_grant");
}

TEST_F(ProviderTest, CodeExpiresAfterSixtySeconds) {
  Pkce pkce;
  std::string code = OidcCode(pkce);
  env_.clock.AdvanceSeconds(kAuthCodeLifetime + 1);
  EXPECT_EQ(Str(Json(OidcToken(code, pkce.verifier)), "error"), "invalid_grant");
}

TEST_F(ProviderTest, ClientCredentialsIssuesAccessTokenOnly) {
  http::Response r = env_.provider->Token(env_.Post(
      "/token", env_.AssertionFields(env_.oidc_key, "oidc-client") +
                    "&grant_type=client_credentials&scope=profile"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Json(r);
  EXPECT_FALSE(body.contains("id_token"));
  EXPECT_FALSE(body.contains("refresh_token"));
  http::Request ui = env_.Get("/userinfo");
  ui.headers.Set("Authorization", "Bearer " + Str(body, "access_token"));
  EXPECT_EQ(env_.provider->Userinfo(ui).status, 401);  // no user behind the token
}

TEST_F(ProviderTest, ClientCredentialsRejectsOpenidScope) {
  http::Response r = env_.provider->Token(env_.Post(
      "/token", env_.AssertionFields(env_.oidc_key, "oidc-client") +
                    "&grant_type=client_credentials&scope=openid"));
  EXPECT_EQ(Str(Json(r), "error"), "invalid_scope");
}

TEST_F(ProviderTest, ClientCredentialsNeedsDpopForFapi) {
  http::Response r = env_.provider->Token(env_.Post(
      "/token", env_.AssertionFields(env_.fapi_key, "fapi-client") +
                    "&grant_type=client_credentials"));
  EXPECT_EQ(Str(Json(r), "error"), "invalid_dpop_proof");
}

TEST_F(ProviderTest, UnsupportedGrantTypeRejected) {
  http::Response r = env_.provider->Token(env_.Post(
      "/token", env_.AssertionFields(env_.oidc_key, "oidc-client") + "&grant_type=password"));
  EXPECT_EQ(Str(Json(r), "error"), "unsupported_grant_type");
}

TEST_F(ProviderTest, Ps256ClientRefusedAtStartUntilPs256KeysExist) {
  ProviderConfig config = env_.config;
  config.clients[1].id_token_alg = crypto::SignatureAlgorithm::kPs256;
  auto p = Provider::Create({&config, env_.store.get(), env_.keys.get(), env_.people.get(),
                             &env_.clock, &env_.kek});
  EXPECT_EQ(p.status().reason(), "bad_config");
  EXPECT_NE(p.status().message().find("clients[1].id_token_signed_response_alg"), std::string::npos);
}

TEST_F(ProviderTest, UnknownPersonAtLoginRedirectsAccessDenied) {
  Pkce pkce;
  http::Response r = LoginThrough(env_.provider->Authorize(env_.Get(OidcAuthorizeTarget(pkce))),
                                  "not-a-person");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(QueryParam(*r.headers.Get("Location"), "error"), "access_denied");
  EXPECT_EQ(QueryParam(*r.headers.Get("Location"), "state"), "st");
}

TEST_F(ProviderTest, DuplicateTokenParameterRejected) {
  http::Response r = env_.provider->Token(env_.Post(
      "/token", env_.AssertionFields(env_.oidc_key, "oidc-client") +
                    "&grant_type=authorization_code&code=a&code=b"));
  EXPECT_EQ(Str(Json(r), "error"), "invalid_request");
}

}  // namespace
}  // namespace accord::oidc
