#include "crypto/internal/public_key_cache.h"

#include <gtest/gtest.h>

#include "crypto/keys.h"

namespace accord::crypto::internal {
namespace {

PublicComponents FreshP256() {
  return PrivateKey::GenerateEc(Curve::kP256).value().public_key().Components();
}

TEST(PublicKeyCacheTest, SameComponentsShareOneValidatedKey) {
  const PublicComponents c = FreshP256();
  const PublicKey a = PublicKey::FromComponents(c).value();
  const PublicKey b = PublicKey::FromComponents(c).value();
  EXPECT_EQ(a.evp(), b.evp());
  EXPECT_TRUE(a.Equals(b));
  EXPECT_EQ(b.Components().x, c.x);
  EXPECT_EQ(b.Components().y, c.y);
}

TEST(PublicKeyCacheTest, DifferentComponentsGetDifferentKeys) {
  const PublicKey a = PublicKey::FromComponents(FreshP256()).value();
  const PublicKey b = PublicKey::FromComponents(FreshP256()).value();
  EXPECT_NE(a.evp(), b.evp());
  EXPECT_FALSE(a.Equals(b));
}

TEST(PublicKeyCacheTest, InvalidKeyIsRejectedEveryTimeAndNeverCached) {
  PublicComponents bad = FreshP256();
  bad.y.back() ^= 1;  // no longer on the curve
  const std::string key = PublicKeyCacheKey(bad);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(PublicKey::FromComponents(bad).status().reason(), "invalid_key");
  }
  EXPECT_EQ(FindCachedPublicKey(key), nullptr);
}

TEST(PublicKeyCacheTest, KeyDependsOnTypeCurveAndEveryComponent) {
  PublicComponents c = FreshP256();
  const std::string base = PublicKeyCacheKey(c);
  PublicComponents other_curve = c;
  other_curve.curve = Curve::kP384;
  PublicComponents moved = c;  // same bytes split differently between x and y
  moved.y.insert(moved.y.begin(), moved.x.back());
  moved.x.pop_back();
  EXPECT_NE(PublicKeyCacheKey(other_curve), base);
  EXPECT_NE(PublicKeyCacheKey(moved), base);
}

TEST(PublicKeyCacheTest, OversizedComponentsAreNotCached) {
  PublicComponents c{KeyType::kRsa, Curve::kNone, {}, {}, Bytes(kMaxCachedComponentBytes + 1, 1),
                     {1, 0, 1}};
  EXPECT_TRUE(PublicKeyCacheKey(c).empty());
}

TEST(PublicKeyCacheTest, StaysWithinItsBound) {
  for (size_t i = 0; i < kPublicKeyCacheEntries + 16; ++i) {
    ASSERT_TRUE(PublicKey::FromComponents(FreshP256()).ok());
  }
  EXPECT_LE(CachedPublicKeyCount(), kPublicKeyCacheEntries);
}

}  // namespace
}  // namespace accord::crypto::internal
