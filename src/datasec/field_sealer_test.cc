#include "datasec/field_sealer.h"

#include <gtest/gtest.h>

#include "crypto/random.h"

namespace accord::datasec {
namespace {

constexpr FieldContext kCtx{"sessions", "sid-1", "identity_json"};

class FieldSealerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(ring_.Add("k1", crypto::RandomSecret(32)).ok()); }
  KeyRing ring_;
  FieldSealer sealer_{&ring_};
};

TEST_F(FieldSealerTest, SealOpenRoundTrip) {
  std::string plain = R"({"given_name":"Ada","birthdate":"1987-04-12"})";
  auto env = sealer_.Seal(kCtx, plain);
  ASSERT_TRUE(env.ok());
  EXPECT_TRUE(FieldSealer::IsSealed(*env));
  EXPECT_EQ(env->find("Ada"), std::string::npos);
  EXPECT_EQ(*FieldSealer::KekIdOf(*env), "k1");
  auto opened = sealer_.Open(kCtx, *env);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, plain);
}

TEST_F(FieldSealerTest, EachSealUsesFreshKeyAndIv) {
  auto a = sealer_.Seal(kCtx, "same");
  auto b = sealer_.Seal(kCtx, "same");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST_F(FieldSealerTest, EmptyValueRoundTrips) {
  auto env = sealer_.Seal(kCtx, "");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(*sealer_.Open(kCtx, *env), "");
}

TEST_F(FieldSealerTest, OtherRecordIdDoesNotOpen) {
  auto env = sealer_.Seal(kCtx, "secret");
  ASSERT_TRUE(env.ok());
  FieldContext other{"sessions", "sid-2", "identity_json"};
  EXPECT_EQ(sealer_.Open(other, *env).status().reason(), "bad_tag");
}

TEST_F(FieldSealerTest, OtherFieldOrTypeDoesNotOpen) {
  auto env = sealer_.Seal(kCtx, "secret");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(sealer_.Open({"sessions", "sid-1", "acr"}, *env).status().reason(), "bad_tag");
  EXPECT_EQ(sealer_.Open({"consents", "sid-1", "identity_json"}, *env).status().reason(), "bad_tag");
}

TEST_F(FieldSealerTest, AssociatedDataIsUnambiguous) {
  EXPECT_NE(FieldSealer::AssociatedData({"a", "bc", "d"}), FieldSealer::AssociatedData({"ab", "c", "d"}));
}

TEST_F(FieldSealerTest, TamperedCiphertextFails) {
  auto env = sealer_.Seal(kCtx, "secret value");
  ASSERT_TRUE(env.ok());
  std::string t = *env;
  char& c = t[t.size() - 5];
  c = c == 'A' ? 'B' : 'A';
  auto r = sealer_.Open(kCtx, t);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "bad_tag");
}

TEST_F(FieldSealerTest, PlaintextIsNotSealed) {
  EXPECT_EQ(sealer_.Open(kCtx, "{\"a\":1}").status().reason(), "not_sealed");
}

TEST_F(FieldSealerTest, MalformedEnvelopesAreDataLoss) {
  for (std::string bad : {"acf1.", "acf1.k1.x.y", "acf1.k1.AAAA.AAAA.AAAA.AAAA", "acf1.bad id.A.A.A",
                          "acf1.k1.AAAA.AAAA.AAAA"}) {
    auto r = sealer_.Open(kCtx, bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss) << bad;
  }
}

TEST_F(FieldSealerTest, UnknownKekIsNotFound) {
  KeyRing other;
  ASSERT_TRUE(other.Add("k9", crypto::RandomSecret(32)).ok());
  FieldSealer other_sealer(&other);
  auto env = other_sealer.Seal(kCtx, "x");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(sealer_.Open(kCtx, *env).status().reason(), "unknown_kek");
}

TEST_F(FieldSealerTest, RewrapMovesToCurrentKekAndKeepsCiphertext) {
  auto env = sealer_.Seal(kCtx, "value");
  ASSERT_TRUE(env.ok());
  ASSERT_TRUE(ring_.Add("k2", crypto::RandomSecret(32)).ok());
  ASSERT_TRUE(ring_.SetCurrent("k2").ok());
  auto re = sealer_.Rewrap(*env);
  ASSERT_TRUE(re.ok());
  EXPECT_EQ(*FieldSealer::KekIdOf(*re), "k2");
  // Same IV and ciphertext: only the wrapped key changed.
  EXPECT_EQ(env->substr(env->rfind('.', env->rfind('.') - 1)), re->substr(re->rfind('.', re->rfind('.') - 1)));
  ASSERT_TRUE(ring_.Remove("k1").ok());
  EXPECT_EQ(*sealer_.Open(kCtx, *re), "value");
  EXPECT_EQ(sealer_.Open(kCtx, *env).status().reason(), "unknown_kek");
  // Rewrapping an envelope already under the current KEK returns it unchanged.
  EXPECT_EQ(*sealer_.Rewrap(*re), *re);
}

TEST_F(FieldSealerTest, WorksWithKmsProvider) {
  InProcessKms kms;
  ASSERT_TRUE(kms.CreateKey("kms-a").ok());
  KmsKekProvider provider(&kms, "kms-a");
  FieldSealer sealer(&provider);
  auto env = sealer.Seal(kCtx, "via kms");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(*sealer.Open(kCtx, *env), "via kms");
}

}  // namespace
}  // namespace accord::datasec
