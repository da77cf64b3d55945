#include "oidc/provider/client_auth.h"

#include <gtest/gtest.h>

#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

using testing::AssertionOptions;

class ClientAuthTest : public ::testing::Test {
 protected:
  Result<const ClientConfig*> Auth(const std::string& body) {
    auto form = http::ParseForm(body);
    EXPECT_TRUE(form.ok());
    ClientAuthenticator auth(env_.config, *env_.store, env_.clock);
    return auth.Authenticate(*form, {std::string(testing::kIssuer),
                                     std::string(testing::kIssuer) + "/token"});
  }
  testing::ProviderEnv env_;
};

TEST_F(ClientAuthTest, AcceptsValidAssertion) {
  auto r = Auth(env_.AssertionFields(env_.oidc_key, "oidc-client"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->client_id, "oidc-client");
}

TEST_F(ClientAuthTest, AcceptsTokenEndpointAudience) {
  AssertionOptions o;
  o.aud = std::string(testing::kIssuer) + "/token";
  EXPECT_TRUE(Auth(env_.AssertionFields(env_.oidc_key, "oidc-client", o)).ok());
}

TEST_F(ClientAuthTest, ReplayedJtiRejected) {
  AssertionOptions o;
  o.jti = "same";
  ASSERT_TRUE(Auth(env_.AssertionFields(env_.oidc_key, "oidc-client", o)).ok());
  auto r = Auth(env_.AssertionFields(env_.oidc_key, "oidc-client", o));
  EXPECT_EQ(r.status().reason(), "invalid_client");
  EXPECT_NE(r.status().message().find("replayed"), std::string::npos);
}

TEST_F(ClientAuthTest, WrongKeyRejected) {
  auto r = Auth(env_.AssertionFields(env_.fapi_key, "oidc-client"));
  EXPECT_EQ(r.status().reason(), "invalid_client");
}

TEST_F(ClientAuthTest, WrongAudienceRejected) {
  AssertionOptions o;
  o.aud = "https://elsewhere.example";
  EXPECT_EQ(Auth(env_.AssertionFields(env_.oidc_key, "oidc-client", o)).status().reason(),
            "invalid_client");
}

TEST_F(ClientAuthTest, SubMustEqualClientId) {
  AssertionOptions o;
  o.sub = "someone-else";
  EXPECT_EQ(Auth(env_.AssertionFields(env_.oidc_key, "oidc-client", o)).status().reason(),
            "invalid_client");
}

TEST_F(ClientAuthTest, ExpiredAssertionRejected) {
  AssertionOptions o;
  o.exp_offset = -120;
  EXPECT_EQ(Auth(env_.AssertionFields(env_.oidc_key, "oidc-client", o)).status().reason(),
            "invalid_client");
}

TEST_F(ClientAuthTest, ExpTooFarAheadRejected) {
  AssertionOptions o;
  o.exp_offset = kMaxAssertionLifetime + 60;
  EXPECT_EQ(Auth(env_.AssertionFields(env_.oidc_key, "oidc-client", o)).status().reason(),
            "invalid_client");
}

TEST_F(ClientAuthTest, UnknownClientRejected) {
  EXPECT_EQ(Auth(env_.AssertionFields(env_.oidc_key, "nobody")).status().reason(),
            "invalid_client");
}

TEST_F(ClientAuthTest, MissingAssertionTypeRejected) {
  std::string body = "client_assertion=" +
                     testing::ClientAssertion(env_.oidc_key, "oidc-client", env_.clock);
  EXPECT_EQ(Auth(body).status().reason(), "invalid_client");
}

TEST_F(ClientAuthTest, ClientSecretRejected) {
  EXPECT_EQ(Auth(env_.AssertionFields(env_.oidc_key, "oidc-client") + "&client_secret=x")
                .status()
                .reason(),
            "invalid_client");
}

TEST_F(ClientAuthTest, MismatchedClientIdParameterRejected) {
  EXPECT_EQ(Auth(env_.AssertionFields(env_.oidc_key, "oidc-client") + "&client_id=fapi-client")
                .status()
                .reason(),
            "invalid_client");
}

}  // namespace
}  // namespace accord::oidc
