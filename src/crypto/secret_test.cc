#include "crypto/secret.h"

#include <gtest/gtest.h>

#include <set>

#include "crypto/constant_time.h"
#include "crypto/random.h"

namespace accord::crypto {
namespace {

TEST(SecretBytesTest, AdoptTakesTheBufferAndEmptiesTheSource) {
  Bytes source = {1, 2, 3, 4};
  const uint8_t* buffer = source.data();
  SecretBytes secret = SecretBytes::Adopt(std::move(source));
  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): the contract under test
  EXPECT_EQ(secret.data(), buffer);  // no copy of the secret was made
  EXPECT_EQ(Bytes(secret.view().begin(), secret.view().end()), (Bytes{1, 2, 3, 4}));
}

TEST(SecretBytesTest, MoveConstructionLeavesTheSourceEmptyWithoutCopying) {
  SecretBytes a(Bytes{9, 8, 7});
  const uint8_t* buffer = a.data();
  SecretBytes b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(b.data(), buffer);
  EXPECT_EQ(b.size(), 3u);
}

TEST(SecretBytesTest, MoveAssignmentReplacesAndEmptiesTheSource) {
  SecretBytes a(Bytes{1, 1});
  SecretBytes b(Bytes{2, 2, 2});
  b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(Bytes(b.view().begin(), b.view().end()), (Bytes{1, 1}));
}

TEST(SecretBytesTest, TruncateShrinksAndNeverGrows) {
  SecretBytes s(Bytes{1, 2, 3, 4, 5});
  s.Truncate(2);
  EXPECT_EQ(Bytes(s.view().begin(), s.view().end()), (Bytes{1, 2}));
  s.Truncate(10);
  EXPECT_EQ(s.size(), 2u);
}

TEST(SecretBytesTest, CloneIsAnIndependentCopy) {
  SecretBytes a(Bytes{5, 6});
  SecretBytes b = a.Clone();
  b.data()[0] = 0;
  EXPECT_EQ(a.data()[0], 5);
  EXPECT_NE(a.data(), b.data());
}

TEST(ConstantTimeEqualsTest, EqualContentsCompareEqual) {
  EXPECT_TRUE(ConstantTimeEquals(Bytes{1, 2, 3}, Bytes{1, 2, 3}));
  EXPECT_TRUE(ConstantTimeEquals(std::string_view("abc"), std::string_view("abc")));
  EXPECT_TRUE(ConstantTimeEquals(BytesView(), BytesView()));
}

TEST(ConstantTimeEqualsTest, DifferentContentsCompareUnequal) {
  EXPECT_FALSE(ConstantTimeEquals(Bytes{1, 2, 3}, Bytes{1, 2, 4}));
}

TEST(ConstantTimeEqualsTest, LengthMismatchIsUnequal) {
  EXPECT_FALSE(ConstantTimeEquals(Bytes{1, 2, 3}, Bytes{1, 2}));
  EXPECT_FALSE(ConstantTimeEquals(std::string_view("ab"), std::string_view("abc")));
}

TEST(RandomTest, ProducesRequestedSizes) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(33).size(), 33u);
  EXPECT_EQ(RandomSecret(16).size(), 16u);
}

TEST(RandomTest, SuccessiveOutputsDiffer) {
  std::set<Bytes> seen;
  for (int i = 0; i < 16; ++i) seen.insert(RandomBytes(16));
  EXPECT_EQ(seen.size(), 16u);
}

TEST(RandomTest, TokenIsBase64UrlOfRequestedEntropy) {
  const std::string token = RandomToken();
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(token.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_NE(RandomToken(), token);
}

}  // namespace
}  // namespace accord::crypto
