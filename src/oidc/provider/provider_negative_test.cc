// Negative protocol cases that depend on the server's clock (issue #6): the in-process half of the
// negative suite in tests/e2e/provider_negative (docs/provider.md, "Negative protocol suite").
// Each test drives the Provider's handlers with a FixedClock, moves time past one limit and
// asserts the same HTTP status and RFC error code a client would see over the wire; a
// just-before-the-limit twin shows the limit is where the docs say it is.
#include <gtest/gtest.h>


#include "common/base64url.h"
#include "common/json.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "jose/jwt.h"
#include "oidc/provider/provider.h"
#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

using testing::DpopOptions;
using testing::FormField;
using testing::kOidcRedirect;
using testing::Pkce;
using testing::QueryParam;
using testing::SetCookieValue;
constexpr std::string_view kFapiRedirect = "https://rp.example/cb";

std::string ErrorCode(const http::Response& r) {
  auto body = ParseJsonObject(r.body);
  if (!body.ok()) return "";
  const boost::json::value* e = body->if_contains("error");
  return e != nullptr && e->is_string() ? std::string(e->get_string()) : "";
}

std::string Field(const http::Response& r, std::string_view name) {
  auto body = ParseJsonObject(r.body);
  if (!body.ok()) return "";
  const boost::json::value* v = body->if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
}

// A browser-facing error before the redirect_uri is trusted: an HTML page, never a redirect.
void ExpectErrorPage(const http::Response& r, int status) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_FALSE(r.headers.Get("Location").has_value());
  EXPECT_TRUE(r.headers.Get("Content-Type").value_or("").starts_with("text/html"));
}

class ProviderNegativeTest : public ::testing::Test {
 protected:
  std::string Auth(const jose::Jwk& key, std::string_view client_id) {
    return env_.AssertionFields(key, client_id);
  }
  std::string OidcAuthorizeTarget(const Pkce& pkce) {
    return "/authorize?client_id=oidc-client&response_type=code&scope=openid%20profile%20offline_access"
           "&redirect_uri=" + http::FormEncode(kOidcRedirect) +
           "&state=st&nonce=nn&code_challenge=" + pkce.challenge + "&code_challenge_method=S256";
  }
  http::Response SubmitLogin(const http::Response& page) {
    EXPECT_EQ(page.status, 200) << page.body;
    http::Request post = env_.Post("/login", "txn=" + FormField(page.body, "txn") + "&csrf=" +
                                                 FormField(page.body, "csrf") +
                                                 "&person=sandbox-gb-0001");
    post.headers.Set("Cookie", "accord_csrf=" + SetCookieValue(page, "accord_csrf"));
    return env_.provider->Login(post);
  }
  std::string CodeFrom(const http::Response& redirect) {
    EXPECT_EQ(redirect.status, 303) << redirect.body;
    return QueryParam(redirect.headers.Get("Location").value_or(""), "code");
  }
  std::string OidcCode(const Pkce& pkce) { return env_.OidcCode(pkce); }
  http::Response OidcToken(const std::string& code, const Pkce& pkce) {
    return env_.provider->Token(env_.Post(
        "/token", Auth(env_.oidc_key, "oidc-client") + "&grant_type=authorization_code&code=" +
                      code + "&code_verifier=" + pkce.verifier +
                      "&redirect_uri=" + http::FormEncode(kOidcRedirect)));
  }
  http::Response OidcRefresh(const std::string& refresh_token) {
    return env_.provider->Token(env_.Post(
        "/token", Auth(env_.oidc_key, "oidc-client") +
                      "&grant_type=refresh_token&refresh_token=" + refresh_token));
  }
  // A server nonce obtained the way a client does (a nonce-less proof gets use_dpop_nonce).
  std::string Nonce() {
    DpopOptions o;
    o.htu = std::string(testing::kIssuer) + "/token";
    http::Request probe = env_.Post("/token", Auth(env_.fapi_key, "fapi-client") +
                                                  "&grant_type=client_credentials");
    probe.headers.Set("DPoP", testing::DpopProofJwt(env_.dpop_key, env_.clock, o));
    http::Response r = env_.provider->Token(probe);
    EXPECT_EQ(ErrorCode(r), "use_dpop_nonce") << r.body;
    return std::string(r.headers.Get("DPoP-Nonce").value_or(""));
  }
  std::string Proof(std::string_view path, const std::string& nonce) {
    DpopOptions o;
    o.htu = std::string(testing::kIssuer) + std::string(path);
    o.nonce = nonce;
    return testing::DpopProofJwt(env_.dpop_key, env_.clock, o);
  }
  // fapi2 PAR bound to env_.dpop_key; returns the request_uri.
  std::string FapiPar(const Pkce& pkce) {
    http::Request par = env_.Post(
        "/par", Auth(env_.fapi_key, "fapi-client") +
                    "&response_type=code&scope=openid&state=s1&nonce=n1&redirect_uri=" +
                    http::FormEncode(kFapiRedirect) + "&code_challenge=" + pkce.challenge +
                    "&code_challenge_method=S256");
    par.headers.Set("DPoP", Proof("/par", Nonce()));
    http::Response r = env_.provider->Par(par);
    EXPECT_EQ(r.status, 201) << r.body;
    return Field(r, "request_uri");
  }
  http::Response AuthorizeWithRequestUri(const std::string& request_uri) {
    return env_.provider->Authorize(env_.Get("/authorize?client_id=fapi-client&request_uri=" +
                                             http::FormEncode(request_uri)));
  }
  http::Response FapiToken(const std::string& code, const Pkce& pkce) {
    http::Request req = env_.Post(
        "/token", Auth(env_.fapi_key, "fapi-client") + "&grant_type=authorization_code&code=" +
                      code + "&code_verifier=" + pkce.verifier +
                      "&redirect_uri=" + http::FormEncode(kFapiRedirect));
    req.headers.Set("DPoP", Proof("/token", Nonce()));
    return env_.provider->Token(req);
  }
  http::Response ClientCredentials(const std::string& assertion_fields,
                                   std::optional<std::string> proof = std::nullopt) {
    http::Request req = env_.Post("/token", assertion_fields + "&grant_type=client_credentials");
    if (proof) req.headers.Set("DPoP", *proof);
    return env_.provider->Token(req);
  }

  testing::ProviderEnv env_;
};

// ---- authorization code lifetime (60 s) ----

TEST_F(ProviderNegativeTest, CodeRedeemableJustBeforeSixtySeconds) {
  Pkce pkce;
  std::string code = OidcCode(pkce);
  env_.clock.AdvanceSeconds(kAuthCodeLifetime - 1);
  http::Response r = OidcToken(code, pkce);
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(ProviderNegativeTest, ExpiredCodeIsInvalidGrant) {
  Pkce pkce;
  std::string code = OidcCode(pkce);
  env_.clock.AdvanceSeconds(kAuthCodeLifetime + 1);
  http::Response r = OidcToken(code, pkce);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "invalid_grant");
}

TEST_F(ProviderNegativeTest, ExpiredDpopBoundCodeIsInvalidGrant) {
  Pkce pkce;
  std::string code = CodeFrom(SubmitLogin(AuthorizeWithRequestUri(FapiPar(pkce))));
  env_.clock.AdvanceSeconds(kAuthCodeLifetime + 1);
  http::Response r = FapiToken(code, pkce);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "invalid_grant");
}

// ---- request_uri lifetime (60 s) ----

TEST_F(ProviderNegativeTest, RequestUriUsableJustBeforeExpiry) {
  Pkce pkce;
  std::string uri = FapiPar(pkce);
  env_.clock.AdvanceSeconds(kParLifetime - 1);
  EXPECT_EQ(AuthorizeWithRequestUri(uri).status, 200);
}

TEST_F(ProviderNegativeTest, ExpiredRequestUriShowsPageNeverRedirects) {
  Pkce pkce;
  std::string uri = FapiPar(pkce);
  env_.clock.AdvanceSeconds(kParLifetime + 1);
  ExpectErrorPage(AuthorizeWithRequestUri(uri), 400);
}

// ---- login transaction lifetime ----

TEST_F(ProviderNegativeTest, ExpiredLoginTransactionShowsPageNeverRedirects) {
  Pkce pkce;
  http::Response page = env_.provider->Authorize(env_.Get(OidcAuthorizeTarget(pkce)));
  env_.clock.AdvanceSeconds(kLoginTransactionLifetime + 1);
  ExpectErrorPage(SubmitLogin(page), 400);
}

// ---- client assertions against the server's clock ----

TEST_F(ProviderNegativeTest, ClientAssertionExpiredByServerClockIsInvalidClient) {
  std::string fields = Auth(env_.oidc_key, "oidc-client");  // exp = now + 60
  env_.clock.AdvanceSeconds(60 + jose::kDefaultClockSkewSeconds + 1);
  http::Response r = ClientCredentials(fields);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(ErrorCode(r), "invalid_client");
}

TEST_F(ProviderNegativeTest, ClientAssertionReplayRejectedUntilItExpires) {
  std::string fields = Auth(env_.oidc_key, "oidc-client");
  ASSERT_EQ(ClientCredentials(fields).status, 200);
  env_.clock.AdvanceSeconds(60 + jose::kDefaultClockSkewSeconds - 1);  // still within exp + skew
  http::Response r = ClientCredentials(fields);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(ErrorCode(r), "invalid_client");
}

// ---- DPoP against the server's clock ----

TEST_F(ProviderNegativeTest, DpopProofTooOldByServerClockIsInvalidDpopProof) {
  std::string proof = Proof("/token", Nonce());
  env_.clock.AdvanceSeconds(kDpopMaxAgeSeconds + jose::kDefaultClockSkewSeconds + 1);
  http::Response r = ClientCredentials(Auth(env_.fapi_key, "fapi-client"), proof);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "invalid_dpop_proof");
}

TEST_F(ProviderNegativeTest, DpopProofReplayRejectedWithinItsWindow) {
  std::string proof = Proof("/token", Nonce());
  ASSERT_EQ(ClientCredentials(Auth(env_.fapi_key, "fapi-client"), proof).status, 200);
  env_.clock.AdvanceSeconds(kDpopMaxAgeSeconds);
  http::Response r = ClientCredentials(Auth(env_.fapi_key, "fapi-client"), proof);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "invalid_dpop_proof");
}

TEST_F(ProviderNegativeTest, ExpiredDpopNonceIsUseDpopNonceWithAFreshOne) {
  std::string nonce = Nonce();
  env_.clock.AdvanceSeconds(kDpopNonceLifetime + 1);
  http::Response r = ClientCredentials(Auth(env_.fapi_key, "fapi-client"), Proof("/token", nonce));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "use_dpop_nonce");
  std::string fresh(r.headers.Get("DPoP-Nonce").value_or(""));
  EXPECT_FALSE(fresh.empty());
  EXPECT_NE(fresh, nonce);
  EXPECT_EQ(ClientCredentials(Auth(env_.fapi_key, "fapi-client"), Proof("/token", fresh)).status, 200);
}

// ---- token lifetimes ----

TEST_F(ProviderNegativeTest, ExpiredAccessTokenIsInvalidTokenAtUserinfo) {
  Pkce pkce;
  http::Response tokens = OidcToken(OidcCode(pkce), pkce);
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  env_.clock.AdvanceSeconds(env_.config.access_token_lifetime + jose::kDefaultClockSkewSeconds + 1);
  http::Request req = env_.Get("/userinfo");
  req.headers.Set("Authorization", "Bearer " + Field(tokens, "access_token"));
  http::Response r = env_.provider->Userinfo(req);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(ErrorCode(r), "invalid_token");
  EXPECT_NE(r.headers.Get("WWW-Authenticate").value_or("").find("invalid_token"),
            std::string::npos);
}

TEST_F(ProviderNegativeTest, RefreshTokenPastFamilyLifetimeIsInvalidGrant) {
  Pkce pkce;
  http::Response tokens = OidcToken(OidcCode(pkce), pkce);
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  env_.clock.AdvanceSeconds(env_.config.refresh_token_lifetime + 1);
  http::Response r = OidcRefresh(Field(tokens, "refresh_token"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "invalid_grant");
}

}  // namespace
}  // namespace accord::oidc
