#include "rules/conformance.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/json.h"

namespace accord::rules {
namespace {

std::string SuitePath() {
  std::string shared = std::string(ACCORD_SHARED_DIR) + "/conformance/jsonlogic/tests.json";
  if (std::filesystem::exists(shared)) return shared;
  return std::string(ACCORD_SOURCE_DIR) + "/../shared/conformance/jsonlogic/tests.json";
}

TEST(ConformanceTest, OfficialJsonLogicSuitePassesEveryCase) {
  std::ifstream in(SuitePath());
  ASSERT_TRUE(in) << "missing " << SuitePath();
  std::stringstream ss;
  ss << in.rdbuf();
  auto suite = ParseJson(ss.str(), JsonLimits{.max_bytes = 1 << 20, .max_depth = 64});
  ASSERT_TRUE(suite.ok()) << suite.status().ToString();
  auto result = RunSuite(*suite);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  for (const auto& f : result->failures) {
    ADD_FAILURE() << "case " << f.index << " (" << f.section << "): " << f.rule << " with "
                  << f.data << ": expected " << f.expected << ", got " << f.actual;
  }
  EXPECT_EQ(result->passed, 277u);
  EXPECT_EQ(result->failed, 0u);
}

TEST(ConformanceTest, FailingCaseIsReportedWithSection) {
  auto suite = ParseJson(R"(["# s", [{"+":[1,1]}, null, 3], [{"+":[1,1]}, null, 2]])");
  ASSERT_TRUE(suite.ok());
  auto result = RunSuite(*suite);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->passed, 1u);
  ASSERT_EQ(result->failed, 1u);
  EXPECT_EQ(result->failures[0].index, 1u);
  EXPECT_EQ(result->failures[0].section, "# s");
  EXPECT_EQ(result->failures[0].actual, "2");
}

TEST(ConformanceTest, RuleErrorCountsAsFailure) {
  auto suite = ParseJson(R"([[{"<<":[1,1]}, null, true]])");
  ASSERT_TRUE(suite.ok());
  auto result = RunSuite(*suite);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->failed, 1u);
  EXPECT_NE(result->failures[0].actual.find("unknown operator \"<<\""), std::string::npos);
}

TEST(ConformanceTest, MalformedSuiteIsAnError) {
  auto suite = ParseJson(R"([[1, 2]])");
  ASSERT_TRUE(suite.ok());
  EXPECT_FALSE(RunSuite(*suite).ok());
  EXPECT_FALSE(RunSuite(boost::json::value(3)).ok());
}

TEST(ConformanceTest, NumbersCompareByValue) {
  EXPECT_TRUE(JsonEquivalent(boost::json::value(1), boost::json::value(1.0)));
  EXPECT_FALSE(JsonEquivalent(boost::json::value(1), boost::json::value("1")));
}

}  // namespace
}  // namespace accord::rules
