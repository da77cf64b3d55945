#include "rules/evaluator.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "common/json.h"

namespace accord::rules {
namespace {

std::string Eval(const char* rule, const char* data = "null", const EvalLimits& limits = {}) {
  auto r = Rule::Compile(*ParseJson(rule));
  if (!r.ok()) return "compile error: " + r.status().message();
  Evaluator ev(limits);
  auto d = ParseJson(data);
  auto out = ev.Apply(*r, *d);
  if (!out.ok()) return "error: " + out.status().reason();
  return boost::json::serialize(*out);
}

TEST(EvaluatorTest, AgeOnCountsBirthdayAndHandlesLeapDay) {
  EXPECT_EQ(Eval(R"({"age_on": ["2009-01-31", "2027-01-31"]})"), "18");
  EXPECT_EQ(Eval(R"({"age_on": ["2009-02-01", "2027-01-31"]})"), "17");
  EXPECT_EQ(Eval(R"({"age_on": ["2008-02-29", "2026-02-28"]})"), "17");
  EXPECT_EQ(Eval(R"({"age_on": ["2008-02-29", "2026-03-01"]})"), "18");
}

TEST(EvaluatorTest, DateOperatorsGiveNullForBadInput) {
  EXPECT_EQ(Eval(R"({"age_on": [{"var": "b"}, "2027-01-01"]})", R"({"b": "1 Jan 2000"})"), "null");
  EXPECT_EQ(Eval(R"({"age_on": ["2028-01-01", "2027-01-01"]})"), "null");
  EXPECT_EQ(Eval(R"({"date_add": ["2027-01-01", 1.5]})"), "null");
  EXPECT_EQ(Eval(R"({"days_between": ["2027-01-01", null]})"), "null");
}

TEST(EvaluatorTest, DaysBetweenAndDateAdd) {
  EXPECT_EQ(Eval(R"({"days_between": ["2027-01-01", "2027-05-03"]})"), "122");
  EXPECT_EQ(Eval(R"({"date_add": ["2027-01-31", 42]})"), "\"2027-03-14\"");
  EXPECT_EQ(Eval(R"({"date_add": ["2024-03-01", "-1"]})"), "\"2024-02-29\"");
  EXPECT_EQ(Eval(R"({"date_add": ["9999-12-31", 1]})"), "null");
}

TEST(EvaluatorTest, VarDefaultsAndNullValues) {
  EXPECT_EQ(Eval(R"({"var": ["a", 5]})", R"({"a": null})"), "null");
  EXPECT_EQ(Eval(R"({"var": ["x.y", 5]})", R"({"x": 1})"), "5");
  EXPECT_EQ(Eval(R"({"var": "a.length"})", R"({"a": [1, 2, 3]})"), "3");
  EXPECT_EQ(Eval(R"({"var": "a.01"})", R"({"a": [1, 2]})"), "null");
}

TEST(EvaluatorTest, ArithmeticCoercionEdgeCases) {
  EXPECT_EQ(Eval(R"({"*": ["2"]})"), "\"2\"");
  EXPECT_EQ(Eval(R"({"+": []})"), "0");
  EXPECT_EQ(Eval(R"({"/": [1, 0]})"), "null");
  EXPECT_EQ(Eval(R"({"min": [1, "x"]})"), "null");
  EXPECT_EQ(Eval(R"({"cat": [null, [1, [2, null]], true]})"), "\"1,2,true\"");
  EXPECT_EQ(Eval(R"({"substr": ["héllo", 1, 3]})"), "\"éll\"");
  EXPECT_EQ(Eval(R"({"in": ["", "abc"]})"), "true");
}

TEST(EvaluatorTest, LogIsSilentIdentity) {
  testing::internal::CaptureStdout();
  EXPECT_EQ(Eval(R"({"log": {"var": "secret"}})", R"({"secret": "AB123456C"})"), "\"AB123456C\"");
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
}

TEST(EvaluatorTest, StepBudgetStopsHugeIteration) {
  std::string data = "{\"xs\": [";
  for (int i = 0; i < 5000; ++i) data += (i ? ",1" : "1");
  data += "]}";
  const char* rule = R"({"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, {"var": "current"}]}, 0]})";
  EXPECT_EQ(Eval(rule, data.c_str()), "5000");
  EXPECT_EQ(Eval(rule, data.c_str(), EvalLimits{.max_steps = 1000}), "error: rule_budget");
}

TEST(EvaluatorTest, MemoryBudgetStopsStringGrowth) {
  std::string data = "{\"xs\": [";
  for (int i = 0; i < 2000; ++i) data += (i ? ",\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"" : "\"a\"");
  data += "]}";
  const char* rule = R"({"reduce": [{"var": "xs"}, {"cat": [{"var": "accumulator"}, {"var": "current"}]}, ""]})";
  EXPECT_EQ(Eval(rule, data.c_str(), EvalLimits{.max_steps = 1'000'000, .max_arena_bytes = 64 * 1024}),
            "error: rule_budget");
}

TEST(EvaluatorTest, EvaluatorIsReusable) {
  auto r = Rule::Compile(*ParseJson(R"({"cat": [{"var": "a"}, "!"]})"));
  ASSERT_TRUE(r.ok());
  Evaluator ev;
  for (int i = 0; i < 3; ++i) {
    auto d = ParseJson("{\"a\": \"x" + std::to_string(i) + "\"}");
    EXPECT_EQ(boost::json::serialize(*ev.Apply(*r, *d)), "\"x" + std::to_string(i) + "!\"");
  }
}

TEST(EvaluatorTest, ReduceScopeIsVisibleAsObject) {
  EXPECT_EQ(Eval(R"({"reduce": [[1], {"var": ""}, 0]})"), R"({"current":1,"accumulator":0})");
}

}  // namespace
}  // namespace accord::rules
