#include "crypto/hash.h"

#include <gtest/gtest.h>

#include "crypto/internal/test_vectors.h"

namespace accord::crypto {
namespace {

using testing::HexField;
using testing::LoadVectors;

TEST(HashTest, DigestSizes) {
  EXPECT_EQ(DigestSize(HashAlgorithm::kSha256), 32u);
  EXPECT_EQ(DigestSize(HashAlgorithm::kSha384), 48u);
  EXPECT_EQ(DigestSize(HashAlgorithm::kSha512), 64u);
  EXPECT_EQ(Hash(HashAlgorithm::kSha512, Bytes{}).size(), 64u);
}

TEST(HashTest, Sha256KnownAnswer) {
  const auto v = LoadVectors("hash.json").at("sha256").as_object();
  const Bytes message = HexField(v, "message");
  const Bytes digest = HexField(v, "digest");
  const auto got = Sha256(message);
  EXPECT_EQ(Bytes(got.begin(), got.end()), digest);
  EXPECT_EQ(Hash(HashAlgorithm::kSha256, message), digest);
}

TEST(HashTest, HmacRfc4231Case2) {
  const auto v = LoadVectors("hash.json").at("hmac").as_object();
  const Bytes key = HexField(v, "key");
  const Bytes data = HexField(v, "data");
  EXPECT_EQ(Hmac(HashAlgorithm::kSha256, key, data), HexField(v, "sha256"));
  EXPECT_EQ(Hmac(HashAlgorithm::kSha384, key, data), HexField(v, "sha384"));
  EXPECT_EQ(Hmac(HashAlgorithm::kSha512, key, data), HexField(v, "sha512"));
}

TEST(HashTest, HmacAcceptsEmptyKey) {
  EXPECT_EQ(Hmac(HashAlgorithm::kSha256, BytesView(), AsBytes("x")).size(), 32u);
}

TEST(Sha256HasherTest, PiecesEqualOneShot) {
  Sha256Hasher hasher;
  hasher.Update(AsBytes("a"));
  hasher.Update(AsBytes(""));
  hasher.Update(AsBytes("bc"));
  EXPECT_EQ(hasher.Finish(), Sha256(AsBytes("abc")));
}

TEST(Sha256HasherTest, FinishResetsForReuse) {
  Sha256Hasher hasher;
  hasher.Update(AsBytes("first"));
  (void)hasher.Finish();
  hasher.Update(AsBytes("abc"));
  EXPECT_EQ(hasher.Finish(), Sha256(AsBytes("abc")));
  EXPECT_EQ(hasher.Finish(), Sha256(BytesView()));
}

}  // namespace
}  // namespace accord::crypto
