#include "oidc/provider/core_identity.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "crypto/random.h"
#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

constexpr std::string_view kDid = "did:web:127.0.0.1%3A8081";

class CoreIdentityTest : public ::testing::Test {
 protected:
  CoreIdentityTest() : kek_(crypto::RandomSecret(32)) {
    store::StoreConfig sc;
    sc.sqlite_path = dir_.File("accord.db");
    store_ = std::move(*store::OpenStore(sc));
  }
  ~CoreIdentityTest() override { store_.reset(); }
  Person Ada() {
    Person p;
    p.id = "sandbox-uk-0001";
    p.given_name = "Ada Mary";
    p.family_name = "Testwright";
    p.birthdate = "1987-04-12";
    p.identity_level = "P2";
    return p;
  }
  jose::VerifiedJwt Verify(const CoreIdentityKey& key, const std::string& jwt) {
    jose::Jwks keys;
    for (const jose::Jwk& k : key.published_keys()) {
      jose::Jwk copy = k;
      copy.set_kid(std::string(kDid) + "#" + k.kid());  // as an RP does from did.json
      keys.Add(copy);
    }
    jose::JwsVerifyOptions options;
    options.allowed_algs = {crypto::SignatureAlgorithm::kEs256};
    auto jws = jose::JwsVerifier::Create(keys, options);
    EXPECT_TRUE(jws.ok());
    auto validator = jose::JwtValidator::Builder()
                         .ExpectIssuer("https://identity.sandbox/")
                         .ExpectAudience("rp-1")
                         .ExpectTypeHeader("JWT")
                         .SetClock(clock_)
                         .Build();
    auto verified = jose::JwtVerifier(std::move(*jws), std::move(*validator)).Verify(jwt);
    EXPECT_TRUE(verified.ok()) << verified.status().ToString();
    return std::move(*verified);
  }
  CoreIdentityParams Params() {
    CoreIdentityParams p;
    p.issuer = "https://identity.sandbox/";
    p.client_id = "rp-1";
    p.subject = "urn:fdc:gov.uk:2022:abc";
    p.vtm = "http://127.0.0.1:8081/trustmark";
    p.now = clock_.NowSeconds();
    return p;
  }

  ::accord::testing::TempDir dir_{"accord-oidc-"};
  crypto::SecretBytes kek_;
  std::unique_ptr<store::Store> store_;
  FixedClock clock_{testing::kNow};
};

TEST_F(CoreIdentityTest, KeyCreatedAtFirstStartUnderItsOwnOwner) {
  auto key = CoreIdentityKey::LoadOrCreate(*store_, kek_.view(), "sandbox-uk-identity", kDid, clock_);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ((*store_->ListSigningKeys("sandbox-uk-identity")).size(), 1u);
  EXPECT_TRUE((*store_->ListSigningKeys("accord")).empty());
  EXPECT_EQ((*key)->header_kid(), std::string(kDid) + "#" + (*key)->published_keys()[0].kid());
}

TEST_F(CoreIdentityTest, SecondStartReusesTheStoredKey) {
  auto first = CoreIdentityKey::LoadOrCreate(*store_, kek_.view(), "sandbox-uk-identity", kDid, clock_);
  auto second = CoreIdentityKey::LoadOrCreate(*store_, kek_.view(), "sandbox-uk-identity", kDid, clock_);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ((*first)->header_kid(), (*second)->header_kid());
  EXPECT_EQ((*store_->ListSigningKeys("sandbox-uk-identity")).size(), 1u);
}

TEST_F(CoreIdentityTest, WrongKekDoesNotOpenTheKey) {
  ASSERT_TRUE(CoreIdentityKey::LoadOrCreate(*store_, kek_.view(), "o-identity", kDid, clock_).ok());
  crypto::SecretBytes other = crypto::RandomSecret(32);
  auto key = CoreIdentityKey::LoadOrCreate(*store_, other.view(), "o-identity", kDid, clock_);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().reason(), "bad_kek");
}

TEST_F(CoreIdentityTest, SignedJwtCarriesDidKidAndVerifiesWithThePublishedKey) {
  auto key = CoreIdentityKey::LoadOrCreate(*store_, kek_.view(), "sandbox-uk-identity", kDid, clock_);
  ASSERT_TRUE(key.ok());
  auto jwt = (*key)->Sign(CoreIdentityClaims(Ada(), Params()));
  ASSERT_TRUE(jwt.ok());
  jose::VerifiedJwt v = Verify(**key, *jwt);
  EXPECT_EQ(v.key_id(), (*key)->header_kid());
  EXPECT_EQ(v.GetString("vot"), "P2");
  EXPECT_EQ(v.subject(), "urn:fdc:gov.uk:2022:abc");
}

TEST_F(CoreIdentityTest, ClaimsHoldNamePartsBirthDateAndTimes) {
  boost::json::object c = CoreIdentityClaims(Ada(), Params());
  EXPECT_EQ(c.at("iss").as_string(), "https://identity.sandbox/");
  EXPECT_EQ(c.at("aud").as_string(), "rp-1");
  EXPECT_EQ(c.at("nbf").as_int64(), testing::kNow);
  EXPECT_EQ(c.at("exp").as_int64(), testing::kNow + kCoreIdentityLifetime);
  EXPECT_EQ(c.at("vtm").as_string(), "http://127.0.0.1:8081/trustmark");
  const auto& vc = c.at("vc").as_object();
  EXPECT_EQ(vc.at("type").as_array()[1].as_string(), "VerifiableIdentityCredential");
  const auto& subject = vc.at("credentialSubject").as_object();
  const auto& parts = subject.at("name").as_array()[0].as_object().at("nameParts").as_array();
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].as_object().at("value").as_string(), "Ada");
  EXPECT_EQ(parts[0].as_object().at("type").as_string(), "GivenName");
  EXPECT_EQ(parts[1].as_object().at("value").as_string(), "Mary");
  EXPECT_EQ(parts[2].as_object().at("value").as_string(), "Testwright");
  EXPECT_EQ(parts[2].as_object().at("type").as_string(), "FamilyName");
  EXPECT_EQ(subject.at("birthDate").as_array()[0].as_object().at("value").as_string(), "1987-04-12");
}

}  // namespace
}  // namespace accord::oidc
