// Connector behaviour against the in-process TestUpstream: the three profiles end to end, then one
// test per failure mode (docs/connectors.md, "Errors").
#include "oidc/connectors/connector.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <ctime>

#include "oidc/connectors/test_upstream.h"

namespace accord::oidc::connectors {
namespace {

namespace json = boost::json;
using testing::SilentListener;
using testing::TestUpstream;

jose::Jwk EcKey(std::string kid) {
  auto key = crypto::PrivateKey::GenerateEc(crypto::Curve::kP256);
  jose::Jwk jwk = jose::Jwk::FromPrivateKey(std::move(key).value());
  jwk.set_kid(std::move(kid));
  return jwk;
}

const jose::Jwk& RsaKey() {
  static const jose::Jwk* key = [] {
    auto k = crypto::PrivateKey::GenerateRsa(2048);
    auto* jwk = new jose::Jwk(jose::Jwk::FromPrivateKey(std::move(k).value()));
    jwk->set_kid("rp-rsa");
    return jwk;
  }();
  return *key;
}

class ConnectorTest : public ::testing::Test {
 protected:
  void SetUpKind(UpstreamKind kind) {
    kind_ = kind;
    signing_ = kind == UpstreamKind::kOneLogin ? RsaKey() : EcKey("rp-sig");
    if (kind == UpstreamKind::kSingpass) encryption_ = EcKey("rp-enc");
    upstream_ = std::make_unique<TestUpstream>(clock_, *signing_, encryption_, "rp-client",
                                               "http://127.0.0.1:9/callback");
    upstream_->knobs().kind = kind;
    upstream_->knobs().encrypt_id_token = kind == UpstreamKind::kSingpass;
    upstream_->knobs().require_dpop_nonce = kind == UpstreamKind::kSingpass;
    upstream_->knobs().include_core_identity = kind == UpstreamKind::kOneLogin;
    ASSERT_TRUE(upstream_->Start());
  }

  UpstreamConfig Config() {
    UpstreamConfig c(*signing_);
    c.id = "up";
    c.kind = kind_;
    c.issuer = upstream_->issuer();
    c.client_id = "rp-client";
    c.redirect_uri = "http://127.0.0.1:9/callback";
    c.scope = "openid";
    c.timeout_ms = 2000;
    if (kind_ == UpstreamKind::kOneLogin) {
      c.country = "GBR";
      c.vtr = "[\"Cl.Cm.P2\"]";
      c.userinfo_claims = {"https://vocab.account.gov.uk/v1/coreIdentityJWT"};
      c.did_document_url = upstream_->did_url();
      c.core_identity_issuer = upstream_->core_identity_issuer();
    }
    if (kind_ == UpstreamKind::kSingpass) {
      c.country = "SGP";
      c.scope = "openid user.identity name";
      c.encryption_key = encryption_;
      c.use_par = c.use_dpop = true;
    }
    return c;
  }

  std::unique_ptr<Connector> Make(UpstreamConfig c) {
    auto http = http::HttpClient::Create();
    EXPECT_TRUE(http.ok());
    auto connector = MakeConnector(std::move(c), ConnectorDeps{std::move(http).value(), &clock_});
    EXPECT_TRUE(connector.ok()) << connector.status().ToString();
    return connector.ok() ? std::move(connector).value() : nullptr;
  }
  std::unique_ptr<Connector> Make() { return Make(Config()); }

  // Start, authorize at the upstream, Finish.
  Result<UpstreamIdentity> Login(Connector& c) {
    auto start = c.Start();
    if (!start.ok()) return start.status();
    return c.Finish(upstream_->Authorize(start->redirect_url), start->pending);
  }

  static std::string Reason(const Result<UpstreamIdentity>& r) { return r.status().reason(); }

  FixedClock clock_{static_cast<int64_t>(std::time(nullptr))};
  UpstreamKind kind_ = UpstreamKind::kGeneric;
  std::optional<jose::Jwk> signing_;
  std::optional<jose::Jwk> encryption_;
  std::unique_ptr<TestUpstream> upstream_;
};

TEST_F(ConnectorTest, OneLoginPlainRequestCarriesVtrClaimsAndPkce) {
  SetUpKind(UpstreamKind::kOneLogin);
  auto c = Make();
  auto start = c->Start();
  ASSERT_TRUE(start.ok()) << start.status().ToString();
  EXPECT_EQ(start->redirect_url.rfind(upstream_->issuer() + "/authorize?", 0), 0u);
  upstream_->Authorize(start->redirect_url);
  auto q = upstream_->last_authorization();
  EXPECT_EQ(q["vtr"], "[\"Cl.Cm.P2\"]");
  EXPECT_EQ(q["claims"],
            "{\"userinfo\":{\"https://vocab.account.gov.uk/v1/coreIdentityJWT\":null}}");
  EXPECT_EQ(q["code_challenge_method"], "S256");
  EXPECT_EQ(q["state"], start->pending.state);
  EXPECT_GE(start->pending.state.size(), 43u);
  EXPECT_GE(start->pending.code_verifier.size(), 43u);
  EXPECT_TRUE(start->pending.dpop_private_jwk.empty());
}

TEST_F(ConnectorTest, OneLoginLoginVerifiesCoreIdentityAndExtractsNames) {
  SetUpKind(UpstreamKind::kOneLogin);
  auto c = Make();
  auto id = Login(*c);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->subject, "user-1");
  EXPECT_EQ(id->vot, "P2");
  EXPECT_EQ(id->sid, "sid-1");
  EXPECT_EQ(id->claims.at("given_name").as_string(), "Kenneth Paul");
  EXPECT_EQ(id->claims.at("family_name").as_string(), "Decerqueira");
  EXPECT_EQ(id->claims.at("birthdate").as_string(), "1965-07-08");
  EXPECT_TRUE(id->claims.at("core_identity").is_object());
  EXPECT_FALSE(id->claims.contains("https://vocab.account.gov.uk/v1/coreIdentityJWT"));
  EXPECT_EQ(id->claims.at("email").as_string(), "person@example.test");
  EXPECT_FALSE(id->claims.contains("nonce"));
}

TEST_F(ConnectorTest, SingpassUsesParDpopNonceRetryAndEncryptedIdToken) {
  SetUpKind(UpstreamKind::kSingpass);
  auto c = Make();
  auto start = c->Start();
  ASSERT_TRUE(start.ok()) << start.status().ToString();
  EXPECT_NE(start->redirect_url.find("request_uri="), std::string::npos);
  EXPECT_NE(start->redirect_url.find("client_id=rp-client"), std::string::npos);
  EXPECT_EQ(upstream_->par_calls(), 2);  // first without nonce, retried once with it
  EXPECT_EQ(upstream_->par_nonce_rejections(), 1);
  EXPECT_FALSE(start->pending.dpop_private_jwk.empty());
  auto id = c->Finish(upstream_->Authorize(start->redirect_url), start->pending);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->acr, "urn:singpass:authentication:loa:2");
  EXPECT_EQ(id->amr, (std::vector<std::string>{"pwd", "sms"}));
  EXPECT_EQ(id->claims.at("sub_attributes").as_object().at("identity_number").as_string(), "S1234567D");
}

TEST_F(ConnectorTest, EachStartIsFresh) {
  SetUpKind(UpstreamKind::kSingpass);
  auto c = Make();
  auto a = c->Start();
  auto b = c->Start();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->pending.state, b->pending.state);
  EXPECT_NE(a->pending.nonce, b->pending.nonce);
  EXPECT_NE(a->pending.code_verifier, b->pending.code_verifier);
  EXPECT_NE(a->pending.dpop_private_jwk, b->pending.dpop_private_jwk);
}

TEST_F(ConnectorTest, GenericPlainCodeFlow) {
  SetUpKind(UpstreamKind::kGeneric);
  auto id = Login(*Make());
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->subject, "user-1");
  EXPECT_EQ(upstream_->par_calls(), 0);
}

TEST_F(ConnectorTest, CallbackErrorIsUpstreamError) {
  SetUpKind(UpstreamKind::kGeneric);
  auto c = Make();
  auto start = c->Start();
  http::Params cb;
  cb.Add("error", "access_denied<script>");
  cb.Add("state", start->pending.state);
  auto id = c->Finish(cb, start->pending);
  EXPECT_EQ(Reason(id), "upstream_error");
  EXPECT_NE(id.status().message().find("access_deniedscript"), std::string::npos);
}

TEST_F(ConnectorTest, WrongIssInCallbackIsMixup) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().callback_iss = "https://attacker.example";
  EXPECT_EQ(Reason(Login(*Make())), "mixup");
}

TEST_F(ConnectorTest, MissingIssWhenAdvertisedIsMixup) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().send_iss = false;
  EXPECT_EQ(Reason(Login(*Make())), "mixup");
}

TEST_F(ConnectorTest, MissingIssAllowedWhenNotAdvertised) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().send_iss = false;
  upstream_->knobs().iss_parameter_supported = false;
  EXPECT_TRUE(Login(*Make()).ok());
}

TEST_F(ConnectorTest, UnknownStateIsStateMismatch) {
  SetUpKind(UpstreamKind::kGeneric);
  auto c = Make();
  auto a = c->Start();
  auto b = c->Start();
  EXPECT_EQ(Reason(c->Finish(upstream_->Authorize(a->redirect_url), b->pending)),
            "state_mismatch");
}

TEST_F(ConnectorTest, ReplayedStateIsStateMismatch) {
  SetUpKind(UpstreamKind::kGeneric);
  auto c = Make();
  auto start = c->Start();
  http::Params cb = upstream_->Authorize(start->redirect_url);
  ASSERT_TRUE(c->Finish(cb, start->pending).ok());
  EXPECT_EQ(Reason(c->Finish(cb, start->pending)), "state_mismatch");
}

TEST_F(ConnectorTest, ExpiredLoginIsStateMismatch) {
  SetUpKind(UpstreamKind::kGeneric);
  auto c = Make();
  auto start = c->Start();
  http::Params cb = upstream_->Authorize(start->redirect_url);
  clock_.AdvanceSeconds(kDefaultLoginLifetimeSeconds + 1);
  EXPECT_EQ(Reason(c->Finish(cb, start->pending)), "state_mismatch");
}

TEST_F(ConnectorTest, NonceMismatch) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().id_token_edit = [](json::object& c) { c["nonce"] = "other"; };
  EXPECT_EQ(Reason(Login(*Make())), "nonce_mismatch");
}

TEST_F(ConnectorTest, TamperedIdTokenIsRejected) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().tamper_id_token = true;
  EXPECT_EQ(Reason(Login(*Make())), "bad_id_token");
}

TEST_F(ConnectorTest, ExpiredIdTokenIsRejected) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().id_token_edit = [this](json::object& c) {
    c["iat"] = clock_.NowSeconds() - 400;
    c["exp"] = clock_.NowSeconds() - 200;
  };
  EXPECT_EQ(Reason(Login(*Make())), "bad_id_token");
}

TEST_F(ConnectorTest, IdTokenFromAnotherIssuerIsRejected) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().id_token_edit = [](json::object& c) { c["iss"] = "https://other.example"; };
  EXPECT_EQ(Reason(Login(*Make())), "bad_id_token");
}

TEST_F(ConnectorTest, IdTokenForAnotherAudienceIsRejected) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().id_token_edit = [](json::object& c) { c["aud"] = "someone-else"; };
  EXPECT_EQ(Reason(Login(*Make())), "bad_id_token");
}

TEST_F(ConnectorTest, WrongAtHashIsRejected) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().id_token_edit = [](json::object& c) { c["at_hash"] = "AAAAAAAAAAAAAAAAAAAAAA"; };
  EXPECT_EQ(Reason(Login(*Make())), "bad_id_token");
}

TEST_F(ConnectorTest, SingpassRejectsUnencryptedIdToken) {
  SetUpKind(UpstreamKind::kSingpass);
  upstream_->knobs().encrypt_id_token = false;
  EXPECT_EQ(Reason(Login(*Make())), "bad_id_token");
}

TEST_F(ConnectorTest, CoreIdentityWithWrongSubIsRejected) {
  SetUpKind(UpstreamKind::kOneLogin);
  upstream_->knobs().core_identity_edit = [](json::object& c) { c["sub"] = "someone-else"; };
  EXPECT_EQ(Reason(Login(*Make())), "bad_core_identity");
}

TEST_F(ConnectorTest, CoreIdentityWithUnknownKidIsRejectedAfterOneRefetch) {
  SetUpKind(UpstreamKind::kOneLogin);
  upstream_->knobs().core_identity_kid = upstream_->did() + "#no-such-key";
  EXPECT_EQ(Reason(Login(*Make())), "bad_core_identity");
  EXPECT_EQ(upstream_->did_fetches(), 2);
}

TEST_F(ConnectorTest, CoreIdentityKidForAnotherDidIsRejected) {
  SetUpKind(UpstreamKind::kOneLogin);
  upstream_->knobs().core_identity_kid = "did:web:evil.example#key-1";
  EXPECT_EQ(Reason(Login(*Make())), "bad_core_identity");
}

TEST_F(ConnectorTest, CoreIdentityWithBadSignatureIsRejected) {
  SetUpKind(UpstreamKind::kOneLogin);
  upstream_->knobs().tamper_core_identity = true;
  EXPECT_EQ(Reason(Login(*Make())), "bad_core_identity");
}

TEST_F(ConnectorTest, CoreIdentityFromAnotherIssuerIsRejected) {
  SetUpKind(UpstreamKind::kOneLogin);
  upstream_->knobs().core_identity_edit = [](json::object& c) { c["iss"] = "https://x.example/"; };
  EXPECT_EQ(Reason(Login(*Make())), "bad_core_identity");
}

TEST_F(ConnectorTest, CoreIdentityWithoutIdentityLevelIsRejected) {
  SetUpKind(UpstreamKind::kOneLogin);
  upstream_->knobs().core_identity_edit = [](json::object& c) { c["vot"] = "P0"; };
  EXPECT_EQ(Reason(Login(*Make())), "bad_core_identity");
}

TEST_F(ConnectorTest, DidKeyRotationIsPickedUpByOneRefetch) {
  SetUpKind(UpstreamKind::kOneLogin);
  auto c = Make();
  ASSERT_TRUE(Login(*c).ok());
  upstream_->RotateDidKey();
  auto id = Login(*c);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(upstream_->did_fetches(), 2);
}

TEST_F(ConnectorTest, JwksUnknownKidIsRefetchedOnce) {
  SetUpKind(UpstreamKind::kGeneric);
  auto c = Make();
  ASSERT_TRUE(Login(*c).ok());
  EXPECT_EQ(upstream_->jwks_fetches(), 1);
  ASSERT_TRUE(Login(*c).ok());
  EXPECT_EQ(upstream_->jwks_fetches(), 1);  // cached per max-age
  upstream_->RotateSigningKey();
  auto id = Login(*c);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(upstream_->jwks_fetches(), 2);
}

TEST_F(ConnectorTest, IdTokenWithKidMissingAfterRefetchIsRejected) {
  SetUpKind(UpstreamKind::kGeneric);
  auto c = Make();
  ASSERT_TRUE(Login(*c).ok());
  upstream_->knobs().unpublished_signing_key = true;
  EXPECT_EQ(Reason(Login(*c)), "bad_id_token");
  EXPECT_EQ(upstream_->jwks_fetches(), 2);  // exactly one refetch
}

TEST_F(ConnectorTest, UserinfoRetriesOnceWithNewDpopNonce) {
  SetUpKind(UpstreamKind::kSingpass);
  upstream_->knobs().rotate_dpop_nonce_after_token = true;
  auto id = Login(*Make());
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(upstream_->userinfo_nonce_rejections(), 1);
}

TEST_F(ConnectorTest, UpstreamThatNeverAnswersIsUnavailableWithinTimeout) {
  SetUpKind(UpstreamKind::kGeneric);
  SilentListener silent;
  UpstreamConfig config = Config();
  config.issuer = "http://127.0.0.1:" + std::to_string(silent.port());
  config.timeout_ms = 300;
  auto c = Make(std::move(config));
  auto begin = std::chrono::steady_clock::now();
  auto start = c->Start();
  auto elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_EQ(start.status().reason(), "upstream_unavailable");
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

TEST_F(ConnectorTest, TokenEndpoint5xxIsUnavailable) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().token_status = 503;
  EXPECT_EQ(Reason(Login(*Make())), "upstream_unavailable");
}

TEST_F(ConnectorTest, TokenEndpointOAuthErrorIsUpstreamError) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().token_status = 400;
  upstream_->knobs().token_error = "invalid_grant";
  auto id = Login(*Make());
  EXPECT_EQ(Reason(id), "upstream_error");
  EXPECT_NE(id.status().message().find("invalid_grant"), std::string::npos);
}

TEST_F(ConnectorTest, OversizedTokenResponseIsUnavailable) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().token_padding_bytes = 300 * 1024;
  EXPECT_EQ(Reason(Login(*Make())), "upstream_unavailable");
}

TEST_F(ConnectorTest, DiscoveryDownWithoutCacheIsUnavailable) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().discovery_status = 500;
  EXPECT_EQ(Make()->Start().status().reason(), "upstream_unavailable");
}

TEST_F(ConnectorTest, StaleDiscoveryServesWhileUpstreamIsDown) {
  SetUpKind(UpstreamKind::kGeneric);
  auto c = Make();
  ASSERT_TRUE(c->Start().ok());
  clock_.AdvanceSeconds(301);
  upstream_->knobs().discovery_status = 503;
  EXPECT_TRUE(c->Start().ok());
  EXPECT_EQ(upstream_->discovery_fetches(), 2);
}

TEST_F(ConnectorTest, DiscoveryIsCachedPerMaxAge) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().discovery_cache_control = "public, max-age=10";
  auto c = Make();
  ASSERT_TRUE(c->Start().ok());
  ASSERT_TRUE(c->Start().ok());
  EXPECT_EQ(upstream_->discovery_fetches(), 1);
  clock_.AdvanceSeconds(10);
  ASSERT_TRUE(c->Start().ok());
  EXPECT_EQ(upstream_->discovery_fetches(), 2);
}

TEST_F(ConnectorTest, UserinfoWithAnotherSubIsRejected) {
  SetUpKind(UpstreamKind::kGeneric);
  upstream_->knobs().userinfo_extra = json::object{{"sub", "someone-else"}};
  EXPECT_EQ(Reason(Login(*Make())), "bad_userinfo");
}

TEST_F(ConnectorTest, MakeConnectorRejectsSingpassWithoutEncryptionKey) {
  SetUpKind(UpstreamKind::kSingpass);
  UpstreamConfig c = Config();
  c.encryption_key.reset();
  auto http = http::HttpClient::Create();
  auto made = MakeConnector(std::move(c), ConnectorDeps{std::move(http).value(), &clock_});
  EXPECT_EQ(made.status().reason(), "bad_config");
}

}  // namespace
}  // namespace accord::oidc::connectors
