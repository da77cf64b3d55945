#include "oidc/provider/national_profile.h"

#include <gtest/gtest.h>

#include <regex>

#include "common/base64url.h"
#include "crypto/random.h"
#include "jose/jwe.h"
#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

constexpr std::string_view kMeiLing = "5c7e1a0e-8f2b-4d7a-9b61-0a5f3c2e9d01";
constexpr std::string_view kSiti = "e3a4b5c6-7d8e-4f90-8a1b-2c3d4e5f6a03";

std::unique_ptr<SandboxAuthenticator> SgPeople() {
  auto people = SandboxAuthenticator::FromFile(std::string(ACCORD_SOURCE_DIR) +
                                               "/data/people/sandbox-sg.json");
  EXPECT_TRUE(people.ok()) << people.status().ToString();
  return std::move(*people);
}

jose::Jwk EncKey(std::string kid) {
  jose::Jwk key = testing::NewEcKey(std::move(kid));
  key.set_use("enc");
  return key;
}

TEST(NationalProfileTest, OneLoginSubjectHasTheFdcPrefix) {
  EXPECT_EQ(OneLoginSubject("abc_-"), "urn:fdc:gov.uk:2022:abc_-");
}

TEST(NationalProfileTest, SingpassSubjectIsAVersion8Uuid) {
  std::string pairwise = Base64UrlEncode(crypto::RandomBytes(32));
  std::string uuid = SingpassSubject(pairwise);
  EXPECT_TRUE(std::regex_match(uuid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << uuid;
  EXPECT_EQ(SingpassSubject(pairwise), uuid);  // stable
  EXPECT_NE(SingpassSubject(Base64UrlEncode(crypto::RandomBytes(32))), uuid);
}

TEST(NationalProfileTest, SingpassSubjectRejectsShortOrBadInput) {
  EXPECT_EQ(SingpassSubject("not base64url!"), "");
  EXPECT_EQ(SingpassSubject(Base64UrlEncode(crypto::RandomBytes(8))), "");
}

TEST(NationalProfileTest, NricChecksum) {
  EXPECT_TRUE(ValidNricChecksum("S9400228A"));
  EXPECT_TRUE(ValidNricChecksum("T0100805B"));
  EXPECT_TRUE(ValidNricChecksum("G9005170P"));
  EXPECT_FALSE(ValidNricChecksum("S9400228B"));  // wrong check letter
  EXPECT_FALSE(ValidNricChecksum("X9400228A"));  // unknown prefix
  EXPECT_FALSE(ValidNricChecksum("S940022A"));   // too short
}

TEST(NationalProfileTest, ClientEncryptionKeyNeedsOneEncKey) {
  ClientConfig client;
  client.jwks.Add(testing::NewEcKey("sig-1").PublicOnly());
  auto none = ClientEncryptionKey(client);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().reason(), "no_encryption_key");
  client.jwks.Add(EncKey("enc-1").PublicOnly());
  auto one = ClientEncryptionKey(client);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->kid(), "enc-1");
  client.jwks.Add(EncKey("enc-2").PublicOnly());
  EXPECT_FALSE(ClientEncryptionKey(client).ok());
}

TEST(NationalProfileTest, NestedJwtDecryptsWithTheClientKeyOnly) {
  jose::Jwk key = EncKey("enc-1");
  auto jwe = EncryptNestedJwt(key.PublicOnly(), "a.b.c");
  ASSERT_TRUE(jwe.ok());
  jose::JweDecryptOptions options;
  options.allowed_algs = {jose::JweAlg::kEcdhEsA256Kw};
  options.allowed_encs = {jose::JweEnc::kA256CbcHs512};
  auto right = jose::JweDecrypter::Create(key, options);
  ASSERT_TRUE(right.ok());
  auto opened = right->Decrypt(*jwe);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->plaintext_string(), "a.b.c");
  EXPECT_EQ(opened->cty(), "JWT");
  EXPECT_EQ(opened->header().at("kid").as_string(), "enc-1");
  jose::Jwk other = EncKey("enc-1");  // same kid, another key
  auto wrong = jose::JweDecrypter::Create(other, options);
  ASSERT_TRUE(wrong.ok());
  auto failed = wrong->Decrypt(*jwe);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().reason(), "decrypt_failed");
}

class SingpassSourceTest : public ::testing::Test {
 protected:
  SingpassSourceTest() : people_(SgPeople()), source_(*people_) { client_.client_id = "sg-rp"; }
  ClaimsContext Context(std::string_view subject, std::string_view scope,
                        std::string_view acr_values = "") {
    return ClaimsContext{client_, nullptr, subject, scope, "", acr_values};
  }
  std::unique_ptr<SandboxAuthenticator> people_;
  SingpassClaimsSource source_;
  ClientConfig client_;
};

TEST_F(SingpassSourceTest, IdTokenHasSubTypeAcrAmr) {
  boost::json::object claims{{"acr", "urn:accord:acr:sandbox"}};
  ASSERT_TRUE(source_.AddIdTokenClaims(Context(kMeiLing, "openid"), claims).ok());
  EXPECT_EQ(claims.at("sub_type").as_string(), "user");
  EXPECT_EQ(claims.at("acr").as_string(), "urn:singpass:authentication:loa:2");
  EXPECT_EQ(claims.at("amr").as_array().size(), 2u);
  EXPECT_FALSE(claims.contains("sub_attributes"));  // no data scope
}

TEST_F(SingpassSourceTest, SubAttributesFollowTheScopes) {
  boost::json::object claims;
  ASSERT_TRUE(source_.AddIdTokenClaims(Context(kMeiLing, "openid user.identity name"), claims).ok());
  const auto& attrs = claims.at("sub_attributes").as_object();
  EXPECT_EQ(attrs.at("identity_number").as_string(), "S9400228A");
  EXPECT_EQ(attrs.at("identity_coi").as_string(), "SG");
  EXPECT_EQ(attrs.at("account_type").as_string(), "standard");
  EXPECT_EQ(attrs.at("name").as_string(), "SAMPLETON MEI LING");
  EXPECT_FALSE(attrs.contains("email"));
}

TEST_F(SingpassSourceTest, AcrValuesAboveThePersonsLevelAreUnmet) {
  boost::json::object claims;
  Status s = source_.AddIdTokenClaims(
      Context(kSiti, "openid", "urn:singpass:authentication:loa:2"), claims);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.reason(), "unmet_authentication_requirements");
  boost::json::object ok;
  EXPECT_TRUE(source_.AddIdTokenClaims(
      Context(kMeiLing, "openid", "urn:singpass:authentication:loa:2"), ok).ok());
}

TEST_F(SingpassSourceTest, UserinfoPersonInfoPerScope) {
  boost::json::object claims;
  ASSERT_TRUE(source_.AddUserinfoClaims(Context(kMeiLing, "openid email mobileno"), claims).ok());
  const auto& info = claims.at("person_info").as_object();
  EXPECT_EQ(info.at("email").as_object().at("value").as_string(), "meiling.sampleton@example.com");
  EXPECT_EQ(info.at("mobileno").as_object().at("nbr").as_object().at("value").as_string(), "80000101");
  EXPECT_FALSE(info.contains("uinfin"));
  EXPECT_FALSE(info.contains("name"));
}

TEST_F(SingpassSourceTest, UnknownSubjectIsAnError) {
  boost::json::object claims;
  EXPECT_EQ(source_.AddUserinfoClaims(Context("nobody", "openid"), claims).reason(),
            "unknown_subject");
}

}  // namespace
}  // namespace accord::oidc
