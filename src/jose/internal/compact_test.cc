#include "jose/internal/compact.h"

#include <gtest/gtest.h>

#include "common/base64url.h"

namespace accord::jose::internal {
namespace {

TEST(SplitCompactTest, ExactSegmentCount) {
  auto r = SplitCompact("a.b.c", 3, 100);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[1], "b");
  EXPECT_EQ(SplitCompact("a.b", 3, 100).status().reason(), "malformed");
  EXPECT_EQ(SplitCompact("a.b.c.d", 3, 100).status().reason(), "malformed");
  EXPECT_EQ(SplitCompact("....", 5, 100)->size(), 5u);
}

TEST(SplitCompactTest, SizeCheckedFirst) {
  EXPECT_EQ(SplitCompact("a.b.c", 3, 4).status().reason(), "too_large");
}

TEST(ParseProtectedHeaderTest, RejectsNonObjectsAndBadJson) {
  EXPECT_EQ(ParseProtectedHeader(Base64UrlEncode(std::string("[]"))).status().reason(),
            "malformed");
  EXPECT_EQ(ParseProtectedHeader(Base64UrlEncode(std::string("{"))).status().reason(),
            "malformed");
  EXPECT_EQ(ParseProtectedHeader("e30=").status().reason(), "bad_base64url");
  EXPECT_TRUE(ParseProtectedHeader("e30").ok());  // {}
}

TEST(ParseProtectedHeaderTest, RejectsOversizedHeader) {
  std::string big = "{\"x\":\"" + std::string(9000, 'a') + "\"}";
  EXPECT_EQ(ParseProtectedHeader(Base64UrlEncode(big)).status().code(), StatusCode::kOutOfRange);
}

TEST(CheckCritTest, Rules) {
  boost::json::object h{{"alg", "ES256"}, {"ext", 1}};
  EXPECT_TRUE(CheckCrit(h, {}, false).ok());
  h["crit"] = boost::json::array{"ext"};
  EXPECT_EQ(CheckCrit(h, {}, false).reason(), "unsupported_crit");
  EXPECT_TRUE(CheckCrit(h, {"ext"}, false).ok());
  h["crit"] = boost::json::array{"ext", "ext"};
  EXPECT_EQ(CheckCrit(h, {"ext"}, false).reason(), "malformed");
  h["crit"] = "ext";
  EXPECT_EQ(CheckCrit(h, {"ext"}, false).reason(), "malformed");
  h["crit"] = boost::json::array{"enc"};
  h["enc"] = "A128GCM";
  EXPECT_EQ(CheckCrit(h, {}, true).reason(), "malformed");
}

TEST(EqualsIgnoreCaseTest, AsciiOnly) {
  EXPECT_TRUE(EqualsIgnoreCase("JWT", "jwt"));
  EXPECT_FALSE(EqualsIgnoreCase("JWT", "jw"));
}

}  // namespace
}  // namespace accord::jose::internal
