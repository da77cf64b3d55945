#include "jose/token_hash.h"

#include <gtest/gtest.h>

#include "jose/test_util.h"

namespace accord::jose {
namespace {

using crypto::SignatureAlgorithm;

TEST(TokenHashTest, OidcCoreExamples) {
  auto v = testing::LoadVector("oidc_token_hash.json");
  EXPECT_EQ(ComputeTokenHash(SignatureAlgorithm::kRs256, testing::Str(v["access_token"])),
            testing::Str(v["at_hash"]));
  EXPECT_EQ(ComputeTokenHash(SignatureAlgorithm::kRs256, testing::Str(v["code"])),
            testing::Str(v["c_hash"]));
}

TEST(TokenHashTest, HashFollowsTheSignatureAlgorithm) {
  EXPECT_EQ(ComputeTokenHash(SignatureAlgorithm::kEs256, "x").size(), 22u);  // 16 bytes
  EXPECT_EQ(ComputeTokenHash(SignatureAlgorithm::kPs384, "x").size(), 32u);  // 24 bytes
  EXPECT_EQ(ComputeTokenHash(SignatureAlgorithm::kEs512, "x").size(), 43u);  // 32 bytes
  EXPECT_EQ(TokenHashAlgorithm(SignatureAlgorithm::kEdDsa), crypto::HashAlgorithm::kSha512);
}

TEST(TokenHashTest, MatchesComparesInConstantTime) {
  std::string h = ComputeTokenHash(SignatureAlgorithm::kEs256, "token");
  EXPECT_TRUE(TokenHashMatches(SignatureAlgorithm::kEs256, "token", h));
  EXPECT_FALSE(TokenHashMatches(SignatureAlgorithm::kEs256, "token2", h));
  EXPECT_FALSE(TokenHashMatches(SignatureAlgorithm::kEs384, "token", h));
}

}  // namespace
}  // namespace accord::jose
