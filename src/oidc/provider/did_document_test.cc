#include "oidc/provider/did_document.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

TEST(DidDocumentTest, DidWebEncodesThePort) {
  EXPECT_EQ(*DidWebForUrl("http://127.0.0.1:8081"), "did:web:127.0.0.1%3A8081");
  EXPECT_EQ(*DidWebForUrl("https://identity.example.gov.uk"), "did:web:identity.example.gov.uk");
}

TEST(DidDocumentTest, DidWebNeedsAHost) { EXPECT_FALSE(DidWebForUrl("not a url").ok()); }

TEST(DidDocumentTest, CheckDidWebAcceptsHostAndPort) {
  EXPECT_TRUE(CheckDidWeb("did:web:127.0.0.1%3A8081").ok());
  EXPECT_FALSE(CheckDidWeb("did:key:z6Mk").ok());
  EXPECT_FALSE(CheckDidWeb("did:web:").ok());
  EXPECT_FALSE(CheckDidWeb("did:web:host/path").ok());
}

TEST(DidDocumentTest, AssertionMethodCarriesThePublicKeyOnly) {
  jose::Jwk key = testing::NewEcKey("key-1");
  auto doc = RenderDidDocument("did:web:id.example", {key});
  ASSERT_TRUE(doc.ok());
  auto o = ParseJsonObject(*doc);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->at("id").as_string(), "did:web:id.example");
  const auto& methods = o->at("assertionMethod").as_array();
  ASSERT_EQ(methods.size(), 1u);
  const auto& m = methods[0].as_object();
  EXPECT_EQ(m.at("id").as_string(), "did:web:id.example#key-1");
  EXPECT_EQ(m.at("type").as_string(), "JsonWebKey");
  EXPECT_EQ(m.at("controller").as_string(), "did:web:id.example");
  const auto& jwk = m.at("publicKeyJwk").as_object();
  EXPECT_EQ(jwk.at("crv").as_string(), "P-256");
  EXPECT_FALSE(jwk.contains("d"));
}

TEST(DidDocumentTest, KeyWithoutKidRejected) {
  jose::Jwk key = testing::NewEcKey("");
  EXPECT_FALSE(RenderDidDocument("did:web:id.example", {key}).ok());
}

}  // namespace
}  // namespace accord::oidc
