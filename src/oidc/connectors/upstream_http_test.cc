#include "oidc/connectors/upstream_http.h"

#include <gtest/gtest.h>

#include "oidc/connectors/discovery.h"
#include "oidc/connectors/request_signing.h"

namespace accord::oidc::connectors {
namespace {

int64_t Lifetime(std::string_view cache_control) {
  http::Response r;
  if (!cache_control.empty()) r.headers.Add("Cache-Control", cache_control);
  return CacheLifetimeSeconds(r, 300, 86400);
}

TEST(CacheLifetimeTest, DefaultWithoutHeader) { EXPECT_EQ(Lifetime(""), 300); }
TEST(CacheLifetimeTest, MaxAge) { EXPECT_EQ(Lifetime("public, max-age=60"), 60); }
TEST(CacheLifetimeTest, SMaxAgeWins) { EXPECT_EQ(Lifetime("max-age=60, s-maxage=30"), 30); }
TEST(CacheLifetimeTest, NoStoreIsZero) { EXPECT_EQ(Lifetime("no-store"), 0); }
TEST(CacheLifetimeTest, NoCacheIsZero) { EXPECT_EQ(Lifetime("max-age=60, no-cache"), 0); }
TEST(CacheLifetimeTest, ClampedToMax) { EXPECT_EQ(Lifetime("max-age=99999999999999999999"), 86400); }
TEST(CacheLifetimeTest, GarbageIgnored) { EXPECT_EQ(Lifetime("max-age=abc"), 300); }

TEST(SanitizeErrorCodeTest, KeepsOnlySafeCharacters) {
  EXPECT_EQ(SanitizeErrorCode("access_denied"), "access_denied");
  EXPECT_EQ(SanitizeErrorCode("<b>x</b>"), "bxb");
  EXPECT_EQ(SanitizeErrorCode(""), "unknown");
  EXPECT_EQ(SanitizeErrorCode(std::string(500, 'a')).size(), 64u);
}

TEST(EncodeFormTest, EncodesAndAppends) {
  http::Params p;
  p.Add("scope", "openid name");
  p.Add("x", "a&b=c");
  EXPECT_EQ(AppendQuery("https://a/authorize", p), "https://a/authorize?scope=openid+name&x=a%26b%3Dc");
  EXPECT_EQ(AppendQuery("https://a/authorize?k=1", p),
            "https://a/authorize?k=1&scope=openid+name&x=a%26b%3Dc");
}

TEST(PkceTest, Rfc7636AppendixB) {
  EXPECT_EQ(PkceS256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(DiscoveryTest, RejectsIssuerMismatch) {
  auto m = ParseMetadata(R"({"issuer":"https://evil","authorization_endpoint":"https://a/x",
      "token_endpoint":"https://a/t","jwks_uri":"https://a/j"})", "https://good");
  EXPECT_EQ(m.status().reason(), "upstream_error");
}

TEST(DiscoveryTest, RejectsPlainHttpEndpointOffLoopback) {
  auto m = ParseMetadata(R"({"issuer":"https://good","authorization_endpoint":"http://a/x",
      "token_endpoint":"https://a/t","jwks_uri":"https://a/j"})", "https://good");
  EXPECT_EQ(m.status().reason(), "upstream_error");
}

TEST(DiscoveryTest, ParsesFlags) {
  auto m = ParseMetadata(R"({"issuer":"https://good","authorization_endpoint":"https://a/x",
      "token_endpoint":"https://a/t","jwks_uri":"https://a/j",
      "pushed_authorization_request_endpoint":"https://a/par",
      "require_pushed_authorization_requests":true,
      "authorization_response_iss_parameter_supported":true})", "https://good");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_TRUE(m->require_pushed_authorization_requests);
  EXPECT_TRUE(m->authorization_response_iss_parameter_supported);
}

}  // namespace
}  // namespace accord::oidc::connectors
