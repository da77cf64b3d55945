#include "oidc/provider/authorization_request.h"

#include <gtest/gtest.h>

namespace accord::oidc {
namespace {

ClientConfig Client() {
  ClientConfig c;
  c.client_id = "c";
  c.redirect_uris = {"https://rp.example/cb"};
  c.scopes = {"openid", "profile"};
  return c;
}

http::Params Valid() {
  http::Params p;
  p.Add("response_type", "code");
  p.Add("scope", "openid profile");
  p.Add("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  p.Add("code_challenge_method", "S256");
  p.Add("state", "s");
  return p;
}

TEST(AuthorizationRequestTest, ValidRequestRoundTripsThroughJson) {
  auto r = ValidateAuthorizationRequest(Valid(), Client(), "https://rp.example/cb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto back = AuthorizationRequestFromJson(ToJson(*r));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->scope, "openid profile");
  EXPECT_EQ(back->max_age, -1);
}

TEST(AuthorizationRequestTest, ScopeOutsideClientRejected) {
  http::Params p = Valid();
  http::Params q;
  for (const auto& [k, v] : p) q.Add(k, k == "scope" ? "openid offline_access" : v);
  EXPECT_EQ(ValidateAuthorizationRequest(q, Client(), "x").status().reason(), "invalid_scope");
}

TEST(AuthorizationRequestTest, MissingPkceRejected) {
  http::Params q;
  for (const auto& [k, v] : Valid()) {
    if (k != "code_challenge") q.Add(k, v);
  }
  EXPECT_EQ(ValidateAuthorizationRequest(q, Client(), "x").status().reason(), "invalid_request");
}

TEST(AuthorizationRequestTest, RepeatedParameterRejected) {
  http::Params q = Valid();
  q.Add("state", "again");
  EXPECT_EQ(ValidateAuthorizationRequest(q, Client(), "x").status().reason(), "invalid_request");
}

TEST(AuthorizationRequestTest, RedirectUriMustMatchExactly) {
  http::Params q;
  q.Add("redirect_uri", "https://rp.example/cb/");
  EXPECT_FALSE(CheckRequestRedirectUri(q, Client()).ok());
  http::Params ok;
  ok.Add("redirect_uri", "https://rp.example/cb");
  EXPECT_TRUE(CheckRequestRedirectUri(ok, Client()).ok());
}

TEST(AuthorizationRequestTest, NegativeMaxAgeRejected) {
  http::Params q = Valid();
  q.Add("max_age", "-1");
  EXPECT_EQ(ValidateAuthorizationRequest(q, Client(), "x").status().reason(), "invalid_request");
}

}  // namespace
}  // namespace accord::oidc
