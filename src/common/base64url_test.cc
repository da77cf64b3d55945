#include "common/base64url.h"

#include <gtest/gtest.h>

namespace accord {
namespace {

TEST(Base64UrlTest, Rfc4648Vectors) {
  // RFC 4648 section 10, without padding and with the URL-safe alphabet.
  EXPECT_EQ(Base64UrlEncode(std::string_view("")), "");
  EXPECT_EQ(Base64UrlEncode(std::string_view("f")), "Zg");
  EXPECT_EQ(Base64UrlEncode(std::string_view("fo")), "Zm8");
  EXPECT_EQ(Base64UrlEncode(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(Base64UrlEncode(std::string_view("foob")), "Zm9vYg");
  EXPECT_EQ(Base64UrlEncode(std::string_view("fooba")), "Zm9vYmE");
  EXPECT_EQ(Base64UrlEncode(std::string_view("foobar")), "Zm9vYmFy");
}

TEST(Base64UrlTest, UrlSafeAlphabet) {
  Bytes b = {0xfb, 0xff, 0xfe};
  EXPECT_EQ(Base64UrlEncode(b), "-__-");
  EXPECT_EQ(*Base64UrlDecode("-__-"), b);
}

TEST(Base64UrlTest, RoundTripsAllLengths) {
  Bytes data;
  for (int i = 0; i < 70; ++i) {
    EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(data)), data);
    data.push_back(static_cast<uint8_t>(i * 37));
  }
}

TEST(Base64UrlTest, RejectsPadding) { EXPECT_FALSE(Base64UrlDecode("Zg==").ok()); }
TEST(Base64UrlTest, RejectsStandardAlphabet) { EXPECT_FALSE(Base64UrlDecode("+/+/").ok()); }
TEST(Base64UrlTest, RejectsWhitespace) { EXPECT_FALSE(Base64UrlDecode("Zm9v Yg").ok()); }
TEST(Base64UrlTest, RejectsImpossibleLength) { EXPECT_FALSE(Base64UrlDecode("Zm9vY").ok()); }
TEST(Base64UrlTest, RejectsNonCanonicalTrailingBits) {
  EXPECT_TRUE(Base64UrlDecode("Zg").ok());
  EXPECT_FALSE(Base64UrlDecode("Zh").ok());
  EXPECT_TRUE(Base64UrlDecode("Zm8").ok());
  EXPECT_FALSE(Base64UrlDecode("Zm9").ok());
}
TEST(Base64UrlTest, ErrorReason) {
  EXPECT_EQ(Base64UrlDecode("a=").status().reason(), "bad_base64url");
}

TEST(Base64Test, StandardWithPadding) {
  EXPECT_EQ(Base64Encode(AsBytes("foob")), "Zm9vYg==");
  EXPECT_EQ(ToString(*Base64Decode("Zm9vYg==")), "foob");
  EXPECT_EQ(ToString(*Base64Decode("Zm9vYmE=")), "fooba");
  EXPECT_FALSE(Base64Decode("Zm9vYg=").ok());
  EXPECT_FALSE(Base64Decode("Zm9v-_==").ok());
}

TEST(HexTest, RoundTrip) {
  Bytes b;
  ASSERT_TRUE(HexDecode("00ff10Ab", &b));
  EXPECT_EQ(HexEncode(b), "00ff10ab");
  EXPECT_FALSE(HexDecode("0", &b));
  EXPECT_FALSE(HexDecode("zz", &b));
}

}  // namespace
}  // namespace accord
