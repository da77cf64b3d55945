#include "rules/rule.h"

#include <gtest/gtest.h>

#include "common/json.h"

namespace accord::rules {
namespace {

Result<Rule> CompileText(const char* text, const CompileLimits& limits = {}) {
  auto j = ParseJson(text, JsonLimits{.max_bytes = 1 << 20, .max_depth = 200});
  EXPECT_TRUE(j.ok());
  return Rule::Compile(*j, "f.json", "$.eligibility", limits);
}

TEST(RuleTest, UnknownOperatorNamesSourceAndPath) {
  auto r = CompileText(R"({"and": [true, {"<<": [1, 2]}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "f.json: $.eligibility.and[1]: unknown operator \"<<\"");
  EXPECT_EQ(r.status().reason(), "unknown_operator");
}

TEST(RuleTest, WrongArityIsAnError) {
  auto r = CompileText(R"({"?:": [true, 1]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "f.json: $.eligibility['?:']: operator \"?:\" takes 3 argument(s), got 2");
  EXPECT_FALSE(CompileText(R"({"substr": ["a"]})").ok());
  EXPECT_FALSE(CompileText(R"({"map": [[1]]})").ok());
}

TEST(RuleTest, BadDateLiteralIsAnError) {
  auto r = CompileText(R"({"age_on": [{"var": "birthdate"}, "2026-02-30"]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "f.json: $.eligibility.age_on[1]: invalid date literal (expected YYYY-MM-DD)");
}

TEST(RuleTest, DepthAndSizeAreBounded) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += R"({"!": )";
  deep += "true";
  for (int i = 0; i < 100; ++i) deep += "}";
  auto r = CompileText(deep.c_str());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "rule_too_deep");
  auto big = CompileText(R"([1, 2, 3, 4, 5])", CompileLimits{.max_nodes = 3});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().reason(), "rule_too_large");
}

TEST(RuleTest, VariablesAreTopScopeRequiredPaths) {
  auto r = CompileText(R"({"and": [{"var": "a.b"}, {"var": ["c", 1]}, {"var": "a.b"},
      {"all": [{"var": "items"}, {"var": "qty"}]}, {"var": ""}]})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->variables(), (std::vector<std::string>{"a.b", "items"}));
}

TEST(RuleTest, MultiKeyObjectIsALiteral) {
  auto r = CompileText(R"({"a": 1, "b": 2})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->node_count(), 1u);
}

TEST(RuleTest, DefaultRuleIsNull) {
  Rule r;
  EXPECT_EQ(r.node_count(), 1u);
  EXPECT_TRUE(r.variables().empty());
}

}  // namespace
}  // namespace accord::rules
