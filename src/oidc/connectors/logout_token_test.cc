// Back-channel logout token validation (logout_token.h; OIDC Back-Channel Logout 1.0 section
// 2.6): one test per check, against the in-process TestUpstream's JWKS.
#include "oidc/connectors/logout_token.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <ctime>

#include "oidc/connectors/connector.h"
#include "oidc/connectors/test_upstream.h"

namespace accord::oidc::connectors {
namespace {

namespace json = boost::json;
using testing::ClaimsEdit;
using testing::TestUpstream;

jose::Jwk EcKey(std::string kid) {
  auto key = crypto::PrivateKey::GenerateEc(crypto::Curve::kP256);
  jose::Jwk jwk = jose::Jwk::FromPrivateKey(std::move(key).value());
  jwk.set_kid(std::move(kid));
  return jwk;
}

class LogoutTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    upstream_ = std::make_unique<TestUpstream>(clock_, signing_, encryption_, "rp-client",
                                               "http://127.0.0.1:9/callback");
    ASSERT_TRUE(upstream_->Start());
    UpstreamConfig c(signing_);
    c.id = "up";
    c.kind = UpstreamKind::kGeneric;
    c.issuer = upstream_->issuer();
    c.client_id = "rp-client";
    c.redirect_uri = "http://127.0.0.1:9/callback";
    c.scope = "openid";
    c.encryption_key = encryption_;
    c.timeout_ms = 2000;
    auto http = http::HttpClient::Create();
    ASSERT_TRUE(http.ok());
    auto connector = MakeConnector(std::move(c), ConnectorDeps{std::move(http).value(), &clock_});
    ASSERT_TRUE(connector.ok()) << connector.status().ToString();
    connector_ = std::move(connector).value();
  }

  std::string Reason(const ClaimsEdit& edit) {
    return connector_->VerifyLogoutToken(upstream_->MakeLogoutToken(edit)).status().reason();
  }

  FixedClock clock_{static_cast<int64_t>(std::time(nullptr))};
  jose::Jwk signing_ = EcKey("rp-sig");
  std::optional<jose::Jwk> encryption_ = EcKey("rp-enc");
  std::unique_ptr<TestUpstream> upstream_;
  std::unique_ptr<Connector> connector_;
};

TEST_F(LogoutTokenTest, ValidTokenGivesSubjectSidAndJti) {
  auto logout = connector_->VerifyLogoutToken(upstream_->MakeLogoutToken());
  ASSERT_TRUE(logout.ok()) << logout.status().ToString();
  EXPECT_EQ(logout->upstream_id, "up");
  EXPECT_EQ(logout->subject, "user-1");
  EXPECT_EQ(logout->sid, "sid-1");
  EXPECT_FALSE(logout->jti.empty());
  EXPECT_EQ(logout->expires_at, clock_.NowSeconds() + 120);
}

TEST_F(LogoutTokenTest, EncryptedTokenIsOpenedWithTheClientKey) {
  auto logout = connector_->VerifyLogoutToken(upstream_->MakeLogoutToken({}, false, true));
  ASSERT_TRUE(logout.ok()) << logout.status().ToString();
  EXPECT_EQ(logout->subject, "user-1");
}

TEST_F(LogoutTokenTest, SidAloneOrSubAloneIsEnough) {
  auto sid_only = connector_->VerifyLogoutToken(
      upstream_->MakeLogoutToken([](json::object& c) { c.erase("sub"); }));
  ASSERT_TRUE(sid_only.ok()) << sid_only.status().ToString();
  EXPECT_EQ(sid_only->subject, "");
  auto sub_only = connector_->VerifyLogoutToken(
      upstream_->MakeLogoutToken([](json::object& c) { c.erase("sid"); }));
  ASSERT_TRUE(sub_only.ok()) << sub_only.status().ToString();
  EXPECT_EQ(sub_only->sid, "");
}

TEST_F(LogoutTokenTest, NeitherSubNorSidIsRefused) {
  EXPECT_EQ(Reason([](json::object& c) { c.erase("sub"); c.erase("sid"); }), "bad_logout_token");
}

TEST_F(LogoutTokenTest, NonceIsRefused) {
  EXPECT_EQ(Reason([](json::object& c) { c["nonce"] = "n"; }), "bad_logout_token");
}

TEST_F(LogoutTokenTest, MissingEventsIsRefused) {
  EXPECT_EQ(Reason([](json::object& c) { c.erase("events"); }), "bad_logout_token");
}

TEST_F(LogoutTokenTest, OtherEventIsRefused) {
  EXPECT_EQ(Reason([](json::object& c) {
              c["events"] = json::object{{"http://schemas.openid.net/event/other", json::object{}}};
            }),
            "bad_logout_token");
}

TEST_F(LogoutTokenTest, EventValueMustBeAnObject) {
  EXPECT_EQ(Reason([](json::object& c) {
              c["events"] = json::object{{std::string(kBackchannelLogoutEventUri), "yes"}};
            }),
            "bad_logout_token");
}

TEST_F(LogoutTokenTest, MissingJtiIsRefused) {
  EXPECT_EQ(Reason([](json::object& c) { c.erase("jti"); }), "bad_logout_token");
}

TEST_F(LogoutTokenTest, WrongIssuerIsRefused) {
  EXPECT_EQ(Reason([](json::object& c) { c["iss"] = "https://other.example"; }),
            "bad_logout_token");
}

TEST_F(LogoutTokenTest, WrongAudienceIsRefused) {
  EXPECT_EQ(Reason([](json::object& c) { c["aud"] = "someone-else"; }), "bad_logout_token");
}

TEST_F(LogoutTokenTest, OldIatIsRefused) {
  int64_t old = clock_.NowSeconds() - kMaxLogoutTokenAgeSeconds - 120;
  EXPECT_EQ(Reason([old](json::object& c) { c["iat"] = old; }), "bad_logout_token");
}

TEST_F(LogoutTokenTest, FutureIatIsRefused) {
  int64_t later = clock_.NowSeconds() + 3600;
  EXPECT_EQ(Reason([later](json::object& c) { c["iat"] = later; }), "bad_logout_token");
}

TEST_F(LogoutTokenTest, ExpiredTokenIsRefused) {
  int64_t past = clock_.NowSeconds() - 300;
  EXPECT_EQ(Reason([past](json::object& c) { c["exp"] = past; }), "bad_logout_token");
}

TEST_F(LogoutTokenTest, UnknownKeyIsRefusedAfterOneJwksRefetch) {
  ASSERT_TRUE(connector_->VerifyLogoutToken(upstream_->MakeLogoutToken()).ok());
  int before = upstream_->jwks_fetches();
  auto r = connector_->VerifyLogoutToken(upstream_->MakeLogoutToken({}, true));
  EXPECT_EQ(r.status().reason(), "bad_logout_token");
  EXPECT_EQ(upstream_->jwks_fetches(), before + 1);
}

TEST_F(LogoutTokenTest, TamperedSignatureIsRefused) {
  std::string token = upstream_->MakeLogoutToken();
  token[token.size() - 5] = token[token.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(connector_->VerifyLogoutToken(token).status().reason(), "bad_logout_token");
}

TEST_F(LogoutTokenTest, GarbageAndEmptyAreRefused) {
  EXPECT_EQ(connector_->VerifyLogoutToken("").status().reason(), "bad_logout_token");
  EXPECT_EQ(connector_->VerifyLogoutToken("a.b").status().reason(), "bad_logout_token");
  EXPECT_EQ(connector_->VerifyLogoutToken(std::string(70000, 'a')).status().reason(),
            "bad_logout_token");
}

}  // namespace
}  // namespace accord::oidc::connectors
