#include "journeys/fixtures.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "journeys/test_util.h"

namespace accord::journeys {
namespace {

CatalogueFile Read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return CatalogueFile{p.string(), ss.str()};
}

TEST(FixturesTest, EveryCatalogueServiceHasPassingFixtures) {
  auto c = Catalogue::Load(testing::DataDir());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  Planner planner(*c);
  std::set<std::string> covered;
  size_t cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::DataDir() / "tests")) {
    auto r = RunFixtureFile(*c, Read(entry.path()), planner);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    for (const auto& f : r->failures) ADD_FAILURE() << f;
    EXPECT_GE(r->passed + r->failures.size(), 3u) << entry.path();
    cases += r->passed;
    covered.insert(r->service_id);
  }
  for (const auto& s : c->services()) EXPECT_TRUE(covered.count(s.id)) << "no fixtures for " << s.id;
  EXPECT_GE(cases, 75u);
}

TEST(FixturesTest, WrongExpectationIsReported) {
  auto c = Catalogue::Build(testing::Vocabulary(),
                            {testing::ServiceFile("x", R"({">=": [{"var": "monthly_salary_sgd"}, 10]})")}, {});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  Planner planner(*c);
  CatalogueFile f{"t.json", R"({"service": "x", "cases": [
      {"name": "right", "date": "2027-01-01", "input": {"monthly_salary_sgd": 10}, "output": {"status": "eligible"}},
      {"name": "wrong", "date": "2027-01-01", "input": {"monthly_salary_sgd": 9}, "output": {"status": "eligible"}}]})"};
  auto r = RunFixtureFile(*c, f, planner);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->passed, 1u);
  ASSERT_EQ(r->failures.size(), 1u);
  EXPECT_NE(r->failures[0].find("t.json: $.cases[1] (wrong): expected eligible, got not_eligible"), std::string::npos);
}

TEST(FixturesTest, MalformedFixtureNamesPath) {
  auto c = Catalogue::Build(testing::Vocabulary(), {testing::ServiceFile("x", "true")}, {});
  ASSERT_TRUE(c.ok());
  Planner planner(*c);
  auto r = RunFixtureFile(*c, CatalogueFile{"t.json", R"({"service": "x", "cases": [{"name": "n", "date": "2027-02-30", "input": {}, "output": {"status": "eligible"}}]})"}, planner);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "t.json: $.cases[0].date: expected YYYY-MM-DD");
}

}  // namespace
}  // namespace accord::journeys
