#include "trust/attribute_source.h"

#include <gtest/gtest.h>

#include "trust/test_util.h"

namespace accord::trust {
namespace {

using testing::Obj;

AttributeSource Make(std::string_view pointer, std::string join = {},
                     std::vector<std::pair<std::string, std::string>> where = {}) {
  auto s = AttributeSource::Make(pointer, std::move(join), std::move(where));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

TEST(AttributeSourceTest, ReadsNestedMemberAndIndex) {
  auto claims = Obj(R"({"a":{"b":[{"value":"x"},{"value":"y"}]}})");
  EXPECT_EQ(*Make("/a/b/1/value").Read(claims), boost::json::value("y"));
  EXPECT_FALSE(Make("/a/b/2/value").Read(claims).has_value());
  EXPECT_FALSE(Make("/a/c").Read(claims).has_value());
  EXPECT_FALSE(Make("/a/b/01/value").Read(claims).has_value());  // no leading zeros
  EXPECT_FALSE(Make("/a/b/x").Read(claims).has_value());
}

TEST(AttributeSourceTest, UnescapesTildeAndSlash) {
  auto claims = Obj(R"({"https://vocab/v1/passport":[{"n":"1"}],"a~b":"2"})");
  EXPECT_EQ(*Make("/https:~1~1vocab~1v1~1passport/0/n").Read(claims), boost::json::value("1"));
  EXPECT_EQ(*Make("/a~0b").Read(claims), boost::json::value("2"));
}

TEST(AttributeSourceTest, JoinsMatchingItems) {
  auto claims = Obj(R"({"parts":[{"value":"Ada","type":"GivenName"},{"value":"T","type":"FamilyName"},
                                 {"value":"Grace","type":"GivenName"},{"type":"GivenName"},"junk"]})");
  EXPECT_EQ(*Make("/parts", "value", {{"type", "GivenName"}}).Read(claims),
            boost::json::value("Ada Grace"));
  EXPECT_EQ(*Make("/parts", "value").Read(claims), boost::json::value("Ada T Grace"));
  EXPECT_FALSE(Make("/parts", "value", {{"type", "MiddleName"}}).Read(claims).has_value());
}

TEST(AttributeSourceTest, JoinNeedsAnArray) {
  auto claims = Obj(R"({"parts":"Ada"})");
  EXPECT_FALSE(Make("/parts", "value").Read(claims).has_value());
}

TEST(AttributeSourceTest, SkipsNullEmptyAndOversizedValues) {
  auto claims = Obj(R"({"n":null,"e":""})");
  claims["big"] = std::string(kMaxAttributeValueBytes + 1, 'x');
  EXPECT_FALSE(Make("/n").Read(claims).has_value());
  EXPECT_FALSE(Make("/e").Read(claims).has_value());
  EXPECT_FALSE(Make("/big").Read(claims).has_value());
}

TEST(AttributeSourceTest, RejectsBadPointers) {
  EXPECT_FALSE(AttributeSource::Make("", "", {}).ok());
  EXPECT_FALSE(AttributeSource::Make("a/b", "", {}).ok());
  EXPECT_FALSE(AttributeSource::Make("/a~2", "", {}).ok());
  EXPECT_FALSE(AttributeSource::Make("/a~", "", {}).ok());
  std::string deep;
  for (int i = 0; i < 17; ++i) deep += "/a";
  EXPECT_FALSE(AttributeSource::Make(deep, "", {}).ok());
  EXPECT_FALSE(AttributeSource::Make("/" + std::string(kMaxPointerLength, 'a'), "", {}).ok());
  EXPECT_FALSE(AttributeSource::Make("/a", "", {{"type", "x"}}).ok());  // where needs join
}

}  // namespace
}  // namespace accord::trust
