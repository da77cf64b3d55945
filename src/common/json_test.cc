#include "common/json.h"

#include <gtest/gtest.h>

#include <string>

namespace accord {
namespace {

TEST(JsonTest, ParsesObject) {
  auto r = ParseJsonObject(R"({"a":1,"b":[true,null,"x"],"c":{"d":2.5}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->at("a").as_int64(), 1);
  EXPECT_EQ(r->at("b").as_array().size(), 3u);
  EXPECT_EQ(r->at("c").as_object().at("d").as_double(), 2.5);
}

TEST(JsonTest, RejectsDuplicateKeys) {
  auto r = ParseJson(R"({"alg":"ES256","alg":"none"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "duplicate_key");
}

TEST(JsonTest, RejectsDuplicateKeysSpelledWithEscapes) {
  auto r = ParseJson(R"({"alg":"ES256","\u0061lg":"none"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "duplicate_key");
}

TEST(JsonTest, RejectsDuplicateKeysInNestedObjects) {
  EXPECT_FALSE(ParseJson(R"({"a":{"x":1,"x":2}})").ok());
  EXPECT_TRUE(ParseJson(R"({"a":{"x":1},"b":{"x":2}})").ok());
}

TEST(JsonTest, AllowsDuplicatesOnlyWhenAskedLoudly) {
  JsonLimits limits;
  limits.allow_duplicate_keys = true;
  EXPECT_TRUE(ParseJson(R"({"a":1,"a":2})", limits).ok());
}

TEST(JsonTest, BoundsDepth) {
  JsonLimits limits;
  limits.max_depth = 4;
  EXPECT_TRUE(ParseJson("[[[[1]]]]", limits).ok());
  auto r = ParseJson("[[[[[1]]]]]", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "too_deep");
  std::string deep(100000, '[');
  EXPECT_FALSE(ParseJson(deep).ok());
}

TEST(JsonTest, BoundsSize) {
  JsonLimits limits;
  limits.max_bytes = 10;
  auto r = ParseJson(R"({"a":"0123456789"})", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "too_large");
}

TEST(JsonTest, RejectsMalformed) {
  for (const char* bad : {"", "{", "{\"a\":}", "[1,]", "{} {}", "nul", "\"\xff\"", "// c\n{}"}) {
    auto r = ParseJson(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
}

TEST(JsonTest, ObjectRequired) { EXPECT_FALSE(ParseJsonObject("[1]").ok()); }

}  // namespace
}  // namespace accord
