#include "store/token_hash.h"

#include <gtest/gtest.h>

namespace accord::store {
namespace {

TEST(TokenHashTest, IsSha256OfTheToken) {
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(HexEncode(HashToken("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashToken("").size(), kTokenHashSize);
}

}  // namespace
}  // namespace accord::store
