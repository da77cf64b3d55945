// The provider's token and revocation endpoints when the store fails (ProviderEnv's FaultyStore
// makes one operation fail, as a disk error or an unreachable PostgreSQL would): each answers
// 503 temporarily_unavailable with no token and no internal detail, and loses nothing already
// accepted: once the store is back, the same code, refresh token or client assertion works.
#include <gtest/gtest.h>

#include "common/json.h"
#include "oidc/provider/provider.h"
#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

using testing::kOidcRedirect;
using testing::Pkce;

std::string Field(const http::Response& r, std::string_view name) {
  auto body = ParseJsonObject(r.body);
  if (!body.ok()) return "";
  const boost::json::value* v = body->if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
}

class StoreFailureTest : public ::testing::Test {
 protected:
  std::string Auth() { return env_.AssertionFields(env_.oidc_key, "oidc-client"); }
  http::Response Token(const std::string& fields) {
    return env_.provider->Token(env_.Post("/token", fields));
  }
  std::string CodeFields(const std::string& code, const Pkce& pkce) {
    return "&grant_type=authorization_code&code=" + code + "&code_verifier=" + pkce.verifier +
           "&redirect_uri=" + http::FormEncode(kOidcRedirect);
  }
  // The answer while `operation` fails: a 503 that hands nothing out.
  void ExpectUnavailable(const http::Response& r, std::string_view operation) {
    EXPECT_EQ(env_.faults->injected(operation), 1) << operation << " was not reached";
    EXPECT_EQ(r.status, 503) << operation << ": " << r.body;
    EXPECT_EQ(Field(r, "error"), "temporarily_unavailable") << operation;
    EXPECT_EQ(r.body.find("injected"), std::string::npos) << "internal detail: " << r.body;
    EXPECT_EQ(Field(r, "error_description"), "try again later");
    EXPECT_EQ(r.body.find("_token\""), std::string::npos) << "a token was handed out: " << r.body;
    EXPECT_EQ(r.headers.Get("Cache-Control").value_or(""), "no-store");
  }

  testing::ProviderEnv env_;
};

TEST_F(StoreFailureTest, CodeExchangeIsUnavailableAndTheCodeStaysUsable) {
  Pkce pkce;
  const std::string code = env_.OidcCode(pkce);
  env_.faults->FailOn("RedeemAuthCodeLater");
  env_.faults->FailOn("RedeemAuthCode");
  http::Response r = Token(Auth() + CodeFields(code, pkce));
  const int reached = env_.faults->injected("RedeemAuthCodeLater") +
                      env_.faults->injected("RedeemAuthCode");
  env_.faults->HealAll();
  EXPECT_EQ(reached, 1);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(Field(r, "error"), "temporarily_unavailable");
  EXPECT_EQ(Field(r, "error_description"), "try again later");
  EXPECT_EQ(r.body.find("_token\""), std::string::npos) << r.body;
  http::Response retry = Token(Auth() + CodeFields(code, pkce));
  EXPECT_EQ(retry.status, 200) << retry.body;
  EXPECT_FALSE(Field(retry, "id_token").empty());
}

TEST_F(StoreFailureTest, RefreshIsUnavailableAndTheRefreshTokenStaysUsable) {
  Pkce pkce;
  http::Response tokens = Token(Auth() + CodeFields(env_.OidcCode(pkce), pkce));
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  const std::string refresh = Field(tokens, "refresh_token");
  ASSERT_FALSE(refresh.empty());
  env_.faults->FailOn("RedeemRefreshToken");
  http::Response r = Token(Auth() + "&grant_type=refresh_token&refresh_token=" + refresh);
  ExpectUnavailable(r, "RedeemRefreshToken");
  env_.faults->HealAll();
  http::Response retry = Token(Auth() + "&grant_type=refresh_token&refresh_token=" + refresh);
  EXPECT_EQ(retry.status, 200) << retry.body;
  EXPECT_FALSE(Field(retry, "refresh_token").empty());
}

TEST_F(StoreFailureTest, ClientCredentialsIsUnavailableAndTheAssertionStaysUsable) {
  const std::string fields = Auth() + "&grant_type=client_credentials";
  const char* operation = env_.store->WritesDecidedLater() ? "RecordAllLater" : "RecordAll";
  env_.faults->FailOn(operation);
  http::Response r = Token(fields);
  ExpectUnavailable(r, operation);
  env_.faults->HealAll();
  http::Response retry = Token(fields);  // the same jti: it was never kept
  EXPECT_EQ(retry.status, 200) << retry.body;
  http::Response replay = Token(fields);  // and now it is
  EXPECT_EQ(replay.status, 401) << replay.body;
  EXPECT_EQ(Field(replay, "error"), "invalid_client");
}

TEST_F(StoreFailureTest, RevocationIsUnavailableAndTheRetryRevokes) {
  Pkce pkce;
  http::Response tokens = Token(Auth() + CodeFields(env_.OidcCode(pkce), pkce));
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  const std::string refresh = Field(tokens, "refresh_token");
  // Each request carries a fresh client assertion (a jti is single use, RFC 7523 3).
  const auto revoke = [&] {
    return env_.provider->Revoke(env_.Post(
        "/revoke", Auth() + "&token=" + refresh + "&token_type_hint=refresh_token"));
  };
  env_.faults->FailOn("RevokeRefreshTokenOfClient");
  http::Response r = revoke();
  ExpectUnavailable(r, "RevokeRefreshTokenOfClient");
  env_.faults->HealAll();
  EXPECT_EQ(revoke().status, 200);
  http::Response after = Token(Auth() + "&grant_type=refresh_token&refresh_token=" + refresh);
  EXPECT_EQ(after.status, 400) << after.body;
  EXPECT_EQ(Field(after, "error"), "invalid_grant");
}

}  // namespace
}  // namespace accord::oidc
