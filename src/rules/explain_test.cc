#include "rules/explain.h"

#include <gtest/gtest.h>

#include "common/json.h"

namespace accord::rules {
namespace {

constexpr const char* kRule = R"({"and": [{"!=": [{"var": "nationality"}, "SG"]},
    {">=": [{"var": "monthly_salary_sgd"}, 5600]},
    {"or": [{">=": [{"var": "compass_points"}, 40]}, {">=": [{"var": "monthly_salary_sgd"}, 22500]}]}]})";

Explanation ExplainFacts(const char* facts) {
  auto r = Rule::Compile(*ParseJson(kRule), "ep.json", "$.eligibility");
  EXPECT_TRUE(r.ok());
  auto data = ParseJson(facts);
  Evaluator ev;
  auto e = Explain(*r, *data, MissingMask(*r, *data), ev);
  EXPECT_TRUE(e.ok());
  return *e;
}

TEST(ExplainTest, FalseAndIsExplainedByFirstFalseCondition) {
  Explanation e = ExplainFacts(R"({"nationality": "GB", "monthly_salary_sgd": 5599, "compass_points": 50})");
  EXPECT_FALSE(e.truthy);
  EXPECT_TRUE(e.decided);
  EXPECT_EQ(e.condition, "monthly_salary_sgd >= 5600");
  EXPECT_EQ(e.json_path, "$.eligibility.and[1]");
}

TEST(ExplainTest, DecidedFalsePreferredOverMissing) {
  Explanation e = ExplainFacts(R"({"nationality": "SG"})");
  EXPECT_FALSE(e.truthy);
  EXPECT_TRUE(e.decided);
  EXPECT_EQ(e.condition, "nationality != \"SG\"");
}

TEST(ExplainTest, MissingDataLeavesItUndecidedWithPendingVariables) {
  auto r = Rule::Compile(*ParseJson(kRule));
  auto data = ParseJson(R"({"nationality": "GB", "monthly_salary_sgd": 6000})");
  Evaluator ev;
  auto e = Explain(*r, *data, MissingMask(*r, *data), ev);
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->decided);
  EXPECT_EQ(MaskNames(*r, e->pending), std::vector<std::string>{"compass_points"});
}

TEST(ExplainTest, TrueOrExplainedByDecidedTrueBranch) {
  Explanation e = ExplainFacts(R"({"nationality": "GB", "monthly_salary_sgd": 22500})");
  EXPECT_TRUE(e.truthy);
  EXPECT_TRUE(e.decided);
}

TEST(ExplainTest, EmptyStringCountsAsMissing) {
  auto r = Rule::Compile(*ParseJson(R"({"var": "a"})"));
  EXPECT_EQ(MissingMask(*r, *ParseJson(R"({"a": ""})")), 1u);
  EXPECT_EQ(MissingMask(*r, *ParseJson(R"({"a": false})")), 0u);
}

}  // namespace
}  // namespace accord::rules
