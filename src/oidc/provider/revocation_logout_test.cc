// /revoke (RFC 7009), /logout (RP-Initiated Logout) with back-channel logout queuing, PS256 ID
// tokens and the discovery fields for them.
#include <gtest/gtest.h>


#include "common/base64url.h"
#include "common/json.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "jose/jwt.h"
#include "oidc/provider/jwt_peek.h"
#include "oidc/provider/provider.h"
#include "oidc/provider/test_util.h"
#include "store/token_hash.h"

namespace accord::oidc {
namespace {

using testing::FormField;
using testing::QueryParam;
using testing::SetCookieValue;

constexpr std::string_view kRedirect = "http://localhost:3000/cb";
constexpr std::string_view kBye = "http://localhost:3000/bye";
constexpr std::string_view kBackchannel = "http://localhost:3000/backchannel";

struct Tokens {
  std::string access, refresh, id, cookie;
};

class RevocationLogoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClientConfig& oidc = env_.config.clients[1];
    ASSERT_EQ(oidc.client_id, "oidc-client");
    oidc.post_logout_redirect_uris = {std::string(kBye)};
    oidc.backchannel_logout_uri = std::string(kBackchannel);
    ClientConfig ps = oidc;
    ps.client_id = "ps-client";
    ps.id_token_alg = crypto::SignatureAlgorithm::kPs256;
    ps.backchannel_logout_uri.clear();
    ps.jwks = jose::Jwks();
    ps.jwks.Add(ps_key_.PublicOnly());
    env_.config.clients.push_back(ps);
    env_.provider.reset();
    auto km = KeyManager::Create(*env_.store, env_.kek.Clone(), env_.clock, "accord",
                                 {crypto::SignatureAlgorithm::kPs256});
    ASSERT_TRUE(km.ok());
    env_.keys = std::move(*km);
    ASSERT_TRUE(env_.keys->EnsureKeys().ok());
    auto p = Provider::Create({&env_.config, env_.store.get(), env_.keys.get(), env_.people.get(),
                               &env_.clock, &env_.kek});
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    env_.provider = std::move(*p);
  }

  const jose::Jwk& KeyOf(std::string_view client) {
    return client == "ps-client" ? ps_key_ : env_.oidc_key;
  }

  // authorize + sandbox login (reusing `cookie` as the browser session when set) + code grant.
  Tokens SignIn(std::string_view client, std::string cookie = "") {
    std::string verifier = crypto::RandomToken(32);
    std::string challenge = Base64UrlEncode(crypto::Sha256(AsBytes(verifier)));
    http::Request authorize = env_.Get(
        "/authorize?client_id=" + std::string(client) +
        "&response_type=code&scope=openid%20profile%20offline_access&redirect_uri=" + http::FormEncode(kRedirect) +
        "&state=st&nonce=nn&code_challenge=" + challenge + "&code_challenge_method=S256");
    if (!cookie.empty()) authorize.headers.Set("Cookie", "accord_session=" + cookie);
    http::Response page = env_.provider->Authorize(authorize);
    http::Response redirect = page;
    if (page.status == 200) {
      http::Request post = env_.Post("/login", "txn=" + FormField(page.body, "txn") +
                                                   "&csrf=" + FormField(page.body, "csrf") +
                                                   "&person=sandbox-gb-0001");
      post.headers.Set("Cookie", "accord_csrf=" + SetCookieValue(page, "accord_csrf"));
      redirect = env_.provider->Login(post);
      cookie = SetCookieValue(redirect, "accord_session");
    }
    std::string location(redirect.headers.Get("Location").value_or(""));
    EXPECT_TRUE(location.starts_with(kRedirect)) << redirect.status << " " << redirect.body;
    http::Response token = env_.provider->Token(env_.Post(
        "/token", env_.AssertionFields(KeyOf(client), client) +
                      "&grant_type=authorization_code&code=" + QueryParam(location, "code") +
                      "&code_verifier=" + verifier +
                      "&redirect_uri=" + http::FormEncode(kRedirect)));
    EXPECT_EQ(token.status, 200) << token.body;
    auto body = ParseJsonObject(token.body);
    Tokens t;
    if (!body.ok()) return t;
    auto str = [&](std::string_view k) {
      auto* v = body->if_contains(k);
      return v && v->is_string() ? std::string(v->get_string()) : "";
    };
    t.access = str("access_token");
    t.refresh = str("refresh_token");
    t.id = str("id_token");
    t.cookie = cookie;
    return t;
  }

  http::Response Revoke(std::string_view client, std::string_view token, std::string extra = "",
                        testing::AssertionOptions options = {}) {
    return env_.provider->Revoke(
        env_.Post("/revoke", env_.AssertionFields(KeyOf(client), client, std::move(options)) +
                                 "&token=" + http::FormEncode(token) + extra));
  }
  http::Response Refresh(std::string_view client, std::string_view refresh) {
    return env_.provider->Token(env_.Post(
        "/token", env_.AssertionFields(KeyOf(client), client) +
                      "&grant_type=refresh_token&refresh_token=" + http::FormEncode(refresh)));
  }
  http::Response Userinfo(std::string_view access) {
    http::Request r = env_.Get("/userinfo");
    r.headers.Set("Authorization", "Bearer " + std::string(access));
    return env_.provider->Userinfo(r);
  }
  http::Response Logout(std::string query, std::string cookie = "") {
    http::Request r = env_.Get("/logout?" + query);
    if (!cookie.empty()) r.headers.Set("Cookie", "accord_session=" + cookie);
    return env_.provider->Logout(r);
  }
  std::string Claim(const std::string& jwt, std::string_view name) {
    auto payload = PeekUnverifiedSegment(jwt, 1);
    if (!payload.ok()) return "";
    auto* v = payload->if_contains(name);
    return v && v->is_string() ? std::string(v->get_string()) : "";
  }
  std::vector<store::LogoutDelivery> Queued() {
    auto due = env_.store->ClaimDueLogouts(env_.clock.NowSeconds(), 100, 30);
    EXPECT_TRUE(due.ok());
    return due.ok() ? *due : std::vector<store::LogoutDelivery>{};
  }

  testing::ProviderEnv env_;
  jose::Jwk ps_key_ = testing::NewEcKey("ps-1");
};

TEST_F(RevocationLogoutTest, DiscoveryAdvertisesRevocationLogoutAndBothAlgorithms) {
  auto d = *ParseJsonObject(env_.provider->discovery_json());
  EXPECT_EQ(d.at("revocation_endpoint"), "https://op.example/revoke");
  EXPECT_EQ(d.at("revocation_endpoint_auth_methods_supported"),
            boost::json::value(boost::json::array{"private_key_jwt"}));
  EXPECT_EQ(d.at("end_session_endpoint"), "https://op.example/logout");
  EXPECT_EQ(d.at("backchannel_logout_supported"), true);
  EXPECT_EQ(d.at("backchannel_logout_session_supported"), true);
  EXPECT_EQ(d.at("id_token_signing_alg_values_supported"),
            boost::json::value(boost::json::array{"ES256", "PS256"}));
}

TEST_F(RevocationLogoutTest, Ps256ClientGetsAPs256IdToken) {
  Tokens t = SignIn("ps-client");
  auto header = PeekUnverifiedSegment(t.id, 0);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->at("alg"), "PS256");
  jose::JwsVerifyOptions options;
  options.allowed_algs = {crypto::SignatureAlgorithm::kPs256};
  auto jws = jose::JwsVerifier::Create(env_.keys->Current()->public_jwks, options);
  ASSERT_TRUE(jws.ok());
  EXPECT_TRUE(jws->Verify(t.id).ok());
  // The ES256 client in the same provider still gets ES256.
  EXPECT_EQ(PeekUnverifiedSegment(SignIn("oidc-client").id, 0)->at("alg"), "ES256");
}

TEST_F(RevocationLogoutTest, RevokedRefreshTokenRevokesItsFamily) {
  Tokens t = SignIn("oidc-client");
  http::Response r = Revoke("oidc-client", t.refresh, "&token_type_hint=refresh_token");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("Cache-Control"), "no-store");
  http::Response refreshed = Refresh("oidc-client", t.refresh);
  EXPECT_EQ(refreshed.status, 400);
  EXPECT_NE(refreshed.body.find("invalid_grant"), std::string::npos);
}

TEST_F(RevocationLogoutTest, RevokedAccessTokenIsRefusedAtUserinfo) {
  Tokens t = SignIn("oidc-client");
  ASSERT_EQ(Userinfo(t.access).status, 200);
  // The hint is only a hint: the token's shape decides.
  EXPECT_EQ(Revoke("oidc-client", t.access, "&token_type_hint=refresh_token").status, 200);
  http::Response r = Userinfo(t.access);
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("invalid_token"), std::string::npos);
  EXPECT_EQ(Revoke("oidc-client", t.access).status, 200);    // twice is fine
  EXPECT_EQ(Refresh("oidc-client", t.refresh).status, 200);  // the refresh token lives on
}

TEST_F(RevocationLogoutTest, UnknownOrExpiredTokensAreAcknowledged) {
  EXPECT_EQ(Revoke("oidc-client", "no-such-refresh-token").status, 200);
  EXPECT_EQ(Revoke("oidc-client", "a.b.c").status, 200);
  Tokens t = SignIn("oidc-client");
  env_.clock.AdvanceSeconds(env_.config.access_token_lifetime + 120);
  EXPECT_EQ(Revoke("oidc-client", t.access).status, 200);
}

TEST_F(RevocationLogoutTest, AnotherClientsTokensAreNotRevoked) {
  Tokens t = SignIn("oidc-client");
  http::Response r = Revoke("ps-client", t.refresh);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("invalid_request"), std::string::npos);
  EXPECT_EQ(Revoke("ps-client", t.access).status, 400);
  EXPECT_EQ(Refresh("oidc-client", t.refresh).status, 200);
  EXPECT_EQ(Userinfo(t.access).status, 200);
}

TEST_F(RevocationLogoutTest, UnknownTokenTypeHintIsUnsupported) {
  http::Response r = Revoke("oidc-client", "x", "&token_type_hint=id_token");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("unsupported_token_type"), std::string::npos);
}

TEST_F(RevocationLogoutTest, RevocationNeedsClientAuthentication) {
  http::Response r = env_.provider->Revoke(env_.Post("/revoke", "client_id=oidc-client&token=x"));
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("invalid_client"), std::string::npos);
  testing::AssertionOptions wrong_aud;
  wrong_aud.aud = "https://elsewhere.example";
  EXPECT_EQ(Revoke("oidc-client", "x", "", wrong_aud).status, 401);
  EXPECT_EQ(Revoke("oidc-client", "", "").status, 400);  // token missing
}

TEST_F(RevocationLogoutTest, RevocationEndpointIsAValidAssertionAudience) {
  testing::AssertionOptions aud;
  aud.aud = "https://op.example/revoke";
  EXPECT_EQ(Revoke("oidc-client", "x", "", aud).status, 200);
}

TEST_F(RevocationLogoutTest, LogoutWithHintEndsTheSessionAndQueuesABackChannelLogout) {
  Tokens t = SignIn("oidc-client");
  const std::string sid = Claim(t.id, "sid");
  ASSERT_FALSE(sid.empty());
  http::Response r =
      Logout("id_token_hint=" + t.id + "&post_logout_redirect_uri=" + http::FormEncode(kBye) +
                 "&state=bye-state",
             t.cookie);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.headers.Get("Location"), std::string(kBye) + "?state=bye-state");
  bool cleared = false;
  for (auto c : r.headers.GetAll("Set-Cookie")) cleared |= c.starts_with("accord_session=;");
  EXPECT_TRUE(cleared);
  EXPECT_EQ(env_.store->GetSessionBySid(sid, env_.clock.NowSeconds()).status().reason(),
            "not_found");
  EXPECT_EQ(Refresh("oidc-client", t.refresh).status, 400);  // the session's families are revoked
  auto queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].client_id, "oidc-client");
  EXPECT_EQ(queued[0].endpoint, kBackchannel);
  // The logout token verifies with the published keys and names the session and subject.
  jose::JwsVerifyOptions options;
  options.allowed_algs = {crypto::SignatureAlgorithm::kEs256};
  auto jws = jose::JwsVerifier::Create(env_.keys->Current()->public_jwks, options);
  auto validator = jose::JwtValidator::Builder()
                       .ExpectIssuer(std::string(testing::kIssuer))
                       .ExpectAudience("oidc-client")
                       .ExpectTypeHeader("logout+jwt")
                       .RequireJwtId()
                       .SetClock(env_.clock)
                       .Build();
  ASSERT_TRUE(jws.ok() && validator.ok());
  auto lt =
      jose::JwtVerifier(std::move(*jws), std::move(*validator)).Verify(queued[0].logout_token);
  ASSERT_TRUE(lt.ok()) << lt.status().ToString();
  EXPECT_EQ(lt->GetString("sid"), sid);
  EXPECT_EQ(lt->subject(), Claim(t.id, "sub"));
  ASSERT_NE(lt->GetObject("events"), nullptr);
  EXPECT_TRUE(lt->GetObject("events")->contains(kBackchannelLogoutEvent));
}

TEST_F(RevocationLogoutTest, BackChannelLogoutGoesOnlyToClientsWithAnEndpoint) {
  Tokens a = SignIn("oidc-client");
  Tokens b = SignIn("ps-client", a.cookie);  // same browser session, no backchannel_logout_uri
  ASSERT_EQ(Claim(a.id, "sid"), Claim(b.id, "sid"));
  EXPECT_EQ(Logout("id_token_hint=" + b.id, b.cookie).status, 200);
  auto queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].client_id, "oidc-client");
  EXPECT_EQ(Refresh("ps-client", b.refresh).status, 400);
  EXPECT_EQ(Refresh("oidc-client", a.refresh).status, 400);
}

// The session reaches a client once it holds a code (the row is written with the code), as
// oidc-provider records a session's authorizations: logging out reaches it before its exchange.
TEST_F(RevocationLogoutTest, AClientHoldingAnUnexchangedCodeIsLoggedOutToo) {
  Tokens b = SignIn("ps-client");  // no backchannel_logout_uri
  const std::string challenge =
      Base64UrlEncode(crypto::Sha256(AsBytes(crypto::RandomToken(32))));
  http::Request authorize = env_.Get(
      "/authorize?client_id=oidc-client&response_type=code&scope=openid&redirect_uri=" +
      http::FormEncode(kRedirect) + "&state=st&nonce=nn&code_challenge=" + challenge +
      "&code_challenge_method=S256");
  authorize.headers.Set("Cookie", "accord_session=" + b.cookie);
  http::Response redirect = env_.provider->Authorize(authorize);
  const std::string location(redirect.headers.Get("Location").value_or(""));
  ASSERT_TRUE(location.starts_with(kRedirect)) << redirect.status << " " << redirect.body;
  ASSERT_FALSE(QueryParam(location, "code").empty());
  EXPECT_EQ(Logout("id_token_hint=" + b.id, b.cookie).status, 200);
  auto queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].client_id, "oidc-client");
  EXPECT_EQ(Claim(queued[0].logout_token, "sid"), Claim(b.id, "sid"));
}

TEST_F(RevocationLogoutTest, ExpiredHintIsAcceptedForLogout) {
  Tokens t = SignIn("oidc-client");
  env_.clock.AdvanceSeconds(kIdTokenLifetime + 600);   // the ID token expired; the session lives
  http::Response r = Logout("id_token_hint=" + t.id);  // no cookie: the hint's sid names it
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("signed out"), std::string::npos);
  EXPECT_EQ(
      env_.store->GetSessionBySid(Claim(t.id, "sid"), env_.clock.NowSeconds()).status().reason(),
      "not_found");
}

TEST_F(RevocationLogoutTest, UnregisteredPostLogoutRedirectIsNotFollowed) {
  Tokens t = SignIn("oidc-client");
  http::Response r = Logout("id_token_hint=" + t.id + "&post_logout_redirect_uri=" +
                            http::FormEncode("https://evil.example/") + "&state=s");
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.headers.Get("Location").has_value());
  EXPECT_EQ(r.headers.Get("Content-Type"), "text/html; charset=utf-8");
}

TEST_F(RevocationLogoutTest, ForgedHintIsRefusedAndEndsNothing) {
  Tokens t = SignIn("oidc-client");
  boost::json::object claims{{"iss", std::string(testing::kIssuer)},
                             {"sub", Claim(t.id, "sub")},
                             {"aud", "oidc-client"},
                             {"sid", Claim(t.id, "sid")}};
  auto forged =
      jose::JwtSigner::Create(testing::NewEcKey("attacker"), crypto::SignatureAlgorithm::kEs256)
          ->Sign(claims);
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(Logout("id_token_hint=" + *forged, t.cookie).status, 400);
  EXPECT_TRUE(env_.store->GetSessionBySid(Claim(t.id, "sid"), env_.clock.NowSeconds()).ok());
}

TEST_F(RevocationLogoutTest, HintAndClientIdMustAgree) {
  Tokens t = SignIn("oidc-client");
  EXPECT_EQ(Logout("id_token_hint=" + t.id + "&client_id=ps-client").status, 400);
  EXPECT_TRUE(env_.store->GetSessionBySid(Claim(t.id, "sid"), env_.clock.NowSeconds()).ok());
}

TEST_F(RevocationLogoutTest, AccessTokenIsNotAnIdTokenHint) {
  Tokens t = SignIn("oidc-client");
  EXPECT_EQ(Logout("id_token_hint=" + t.access).status, 400);
}

TEST_F(RevocationLogoutTest, LogoutWithoutHintNeedsConfirmation) {
  Tokens t = SignIn("oidc-client");
  const std::string sid = Claim(t.id, "sid");
  http::Response page = Logout(
      "client_id=oidc-client&post_logout_redirect_uri=" + http::FormEncode(kBye) + "&state=s2",
      t.cookie);
  ASSERT_EQ(page.status, 200);
  std::string confirm = FormField(page.body, "confirm");
  ASSERT_FALSE(confirm.empty());
  EXPECT_EQ(SetCookieValue(page, "accord_logout"), confirm);
  EXPECT_TRUE(env_.store->GetSessionBySid(sid, env_.clock.NowSeconds()).ok());  // nothing yet
  auto post = [&](std::string confirm_field) {
    http::Request r = env_.Post("/logout", "confirm=" + confirm_field +
                                               "&client_id=oidc-client&post_logout_redirect_uri=" +
                                               http::FormEncode(kBye) + "&state=s2");
    r.headers.Set("Cookie", "accord_session=" + t.cookie + "; accord_logout=" + confirm);
    return env_.provider->Logout(r);
  };
  EXPECT_EQ(post("forged").status, 200);  // a new confirmation page, nothing ended
  EXPECT_TRUE(env_.store->GetSessionBySid(sid, env_.clock.NowSeconds()).ok());
  http::Response done = post(confirm);
  EXPECT_EQ(done.status, 303);
  EXPECT_EQ(done.headers.Get("Location"), std::string(kBye) + "?state=s2");
  EXPECT_EQ(env_.store->GetSessionBySid(sid, env_.clock.NowSeconds()).status().reason(),
            "not_found");
}

TEST_F(RevocationLogoutTest, LogoutWithoutASessionSaysSo) {
  http::Response r = Logout("");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("not signed in"), std::string::npos);
}

TEST_F(RevocationLogoutTest, RefreshResponseCarriesNoIdToken) {
  Tokens t = SignIn("oidc-client");
  http::Response r = Refresh("oidc-client", t.refresh);
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(ParseJsonObject(r.body)->contains("id_token"));
}

TEST_F(RevocationLogoutTest, UserinfoSubIsTheClientsPairwiseSubject) {
  // Two clients in different sectors see different subjects for the same person, and
  // userinfo answers each with its own.
  env_.config.clients.back().sector_identifier = "other-sector.example";
  Tokens a = SignIn("oidc-client");
  Tokens b = SignIn("ps-client");
  EXPECT_NE(Claim(a.id, "sub"), Claim(b.id, "sub"));
  EXPECT_EQ(ParseJsonObject(Userinfo(a.access).body)->at("sub"),
            boost::json::value(Claim(a.id, "sub")));
  EXPECT_EQ(ParseJsonObject(Userinfo(b.access).body)->at("sub"),
            boost::json::value(Claim(b.id, "sub")));
}

TEST_F(RevocationLogoutTest, TokenOutcomesAreCountedPerClientAndErrorCode) {
  http::Registry registry;
  env_.provider.reset();
  ProviderDeps deps{&env_.config,      env_.store.get(), env_.keys.get(),
                    env_.people.get(), &env_.clock,      &env_.kek};
  deps.metrics = &registry;
  auto p = Provider::Create(deps);
  ASSERT_TRUE(p.ok());
  env_.provider = std::move(*p);
  http::Router router;
  ASSERT_TRUE(env_.provider->AddRoutes(router).ok());
  auto call = [&](std::string path, std::string body) {
    http::Request r = env_.Post(path, std::move(body));
    return router.Find("POST", r.path).route->handler(r);
  };
  Tokens t = SignIn("oidc-client");  // direct handler call: not counted
  EXPECT_EQ(call("/token", env_.AssertionFields(env_.oidc_key, "oidc-client") +
                               "&grant_type=refresh_token&refresh_token=" + t.refresh)
                .status,
            200);
  // Its answer lost: the retry with the same token is answered, and counted as a retry.
  EXPECT_EQ(call("/token", env_.AssertionFields(env_.oidc_key, "oidc-client") +
                               "&grant_type=refresh_token&refresh_token=" + t.refresh)
                .status,
            200);
  EXPECT_EQ(call("/token", env_.AssertionFields(env_.oidc_key, "oidc-client") +
                               "&grant_type=refresh_token&refresh_token=unknown-token")
                .status,
            400);  // invalid_grant
  EXPECT_EQ(call("/revoke", "client_id=not-registered&token=x").status, 401);
  std::string text = registry.RenderPrometheus();
  EXPECT_NE(text.find("accord_oidc_tokens_issued_total{endpoint=\"token\",client=\"oidc-client\","
                      "grant=\"refresh_token\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("accord_oidc_refresh_retries_total{client=\"oidc-client\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("accord_oidc_errors_total{endpoint=\"token\",client=\"oidc-client\","
                      "error=\"invalid_grant\"} 1"),
            std::string::npos)
      << text;
  // Unregistered client ids never become label values.
  EXPECT_NE(text.find("accord_oidc_errors_total{endpoint=\"revoke\",client=\"unknown\","
                      "error=\"invalid_client\"} 1"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace accord::oidc
