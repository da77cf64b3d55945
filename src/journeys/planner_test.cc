#include "journeys/planner.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "journeys/test_util.h"

namespace accord::journeys {
namespace {

using testing::ServiceFile;

class PlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CatalogueFile event{"data/events/e.json", R"({"id": "e", "name": "Event", "description": "d",
        "event_date_label": "the day", "steps": [
          {"title": "First", "logic": "or", "services": ["pass-a", "pass-b"]},
          {"title": "Second", "logic": "and", "optional": true, "services": ["needs-a"]},
          {"title": "Third", "logic": "and", "services": ["adult"]}]})"};
    auto c = Catalogue::Build(
        testing::Vocabulary(),
        {ServiceFile("pass-a", R"({">=": [{"var": "monthly_salary_sgd"}, 5600]})", "[]",
                     R"({"days": 42, "text": "within 42 days"})"),
         ServiceFile("pass-b", R"({"==": [{"var": "nationality"}, "SG"]})"),
         ServiceFile("needs-a", "true", R"(["pass-a"])", R"({"days": -30, "text": "a month before"})"),
         ServiceFile("adult", R"({">=": [{"age_on": [{"var": "birthdate"}, {"var": "event_date"}]}, 18]})")},
        {event});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalogue_ = std::move(c).value();
  }

  Plan MustPlan(const std::string& facts, const std::string& date = "2027-01-31") {
    Planner planner(*catalogue_);
    auto f = ParseJsonObject(facts);
    EXPECT_TRUE(f.ok());
    auto p = planner.PlanJourney("e", *rules::ParseDate(date), *f);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return std::move(p).value();
  }

  std::optional<Catalogue> catalogue_;
};

TEST_F(PlannerTest, StepsKeepOrderNumbersAndGrouping) {
  Plan p = MustPlan("{}");
  ASSERT_EQ(p.steps.size(), 3u);
  EXPECT_EQ(p.steps[0].step->number, 1);
  EXPECT_EQ(p.steps[0].step->logic, "or");
  ASSERT_EQ(p.steps[0].services.size(), 2u);
  EXPECT_EQ(p.steps[0].services[0].service->id, "pass-a");
  EXPECT_EQ(p.steps[0].services[1].service->id, "pass-b");
  EXPECT_TRUE(p.steps[1].step->optional);
  EXPECT_EQ(p.steps[2].step->number, 3);
}

TEST_F(PlannerTest, DeadlinesAreAbsoluteDatesFromEventDate) {
  Plan p = MustPlan(R"({"monthly_salary_sgd": 6000})", "2027-01-31");
  ASSERT_TRUE(p.steps[0].services[0].deadline.has_value());
  EXPECT_EQ(rules::FormatDate(*p.steps[0].services[0].deadline), "2027-03-14");
  EXPECT_EQ(rules::FormatDate(*p.steps[1].services[0].deadline), "2027-01-01");
  EXPECT_FALSE(p.steps[0].services[1].deadline.has_value());
}

TEST_F(PlannerTest, MissingFactsAskedOncePerAttribute) {
  Plan p = MustPlan("{}");
  EXPECT_EQ(p.steps[0].services[0].outcome, Outcome::kNeedsInformation);
  EXPECT_EQ(p.steps[0].services[0].missing, std::vector<std::string>{"monthly_salary_sgd"});
  EXPECT_EQ(p.missing, (std::vector<std::string>{"monthly_salary_sgd", "nationality", "birthdate"}));
  EXPECT_EQ(p.needs_information, 4);
}

TEST_F(PlannerTest, PrerequisiteNotEligibleMakesDependentNotEligible) {
  Plan p = MustPlan(R"({"monthly_salary_sgd": 5599, "nationality": "GB", "birthdate": "2000-01-01"})");
  EXPECT_EQ(p.steps[0].services[0].outcome, Outcome::kNotEligible);
  EXPECT_EQ(p.steps[0].services[0].reason, "Not eligible: requires monthly_salary_sgd >= 5600");
  EXPECT_EQ(p.steps[1].services[0].outcome, Outcome::kNotEligible);
  EXPECT_NE(p.steps[1].services[0].reason.find("depends on Service pass-a"), std::string::npos);
}

TEST_F(PlannerTest, PrerequisiteNeedingInformationPropagatesItsMissing) {
  Plan p = MustPlan(R"({"nationality": "SG", "birthdate": "2000-01-01"})");
  EXPECT_EQ(p.steps[1].services[0].outcome, Outcome::kNeedsInformation);
  EXPECT_EQ(p.steps[1].services[0].missing, std::vector<std::string>{"monthly_salary_sgd"});
}

TEST_F(PlannerTest, AgeUsesEventDateBirthdayCounts) {
  Plan on = MustPlan(R"({"birthdate": "2009-01-31"})", "2027-01-31");
  EXPECT_EQ(on.steps[2].services[0].outcome, Outcome::kEligible);
  Plan before = MustPlan(R"({"birthdate": "2009-02-01"})", "2027-01-31");
  EXPECT_EQ(before.steps[2].services[0].outcome, Outcome::kNotEligible);
}

TEST_F(PlannerTest, JsonHasDocumentedShape) {
  Plan p = MustPlan(R"({"monthly_salary_sgd": 6000, "nationality": "GB", "birthdate": "1990-01-01"})");
  boost::json::object j = PlanToJson(p);
  EXPECT_EQ(j.at("event_date").as_string(), "2027-01-31");
  EXPECT_EQ(j.at("event").at("id").as_string(), "e");
  const auto& s0 = j.at("steps").as_array()[0].as_object();
  EXPECT_EQ(s0.at("number").as_int64(), 1);
  EXPECT_EQ(s0.at("logic").as_string(), "or");
  const auto& a = s0.at("services").as_array()[0].as_object();
  EXPECT_EQ(a.at("status").as_string(), "eligible");
  EXPECT_EQ(a.at("deadline").as_string(), "2027-03-14");
  EXPECT_EQ(a.at("decided_by").as_string(), "$.eligibility");
  const auto& b = s0.at("services").as_array()[1].as_object();
  EXPECT_EQ(b.at("status").as_string(), "not_eligible");
  EXPECT_TRUE(b.at("deadline").is_null());
  EXPECT_EQ(j.at("counts").at("eligible").as_int64(), 3);
  EXPECT_NE(PlanToText(p).find("1. First - choose one"), std::string::npos);
}

TEST_F(PlannerTest, UnknownEventIsNotFound) {
  Planner planner(*catalogue_);
  auto p = planner.PlanJourney("nope", rules::Date{}, {});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
}

TEST(PlannerRepositoryTest, UkToSingaporeForWork) {
  auto c = Catalogue::Load(testing::DataDir());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  Planner planner(*c);
  auto facts = ParseJsonObject(R"({"birthdate": "1990-05-17", "nationality": "GB",
      "residence_country": "SG", "has_job_offer": true, "monthly_salary_sgd": 7000,
      "works_in_financial_services": false, "compass_points": 45, "married": true})");
  auto p = planner.PlanJourney("uk-to-sg-work", *rules::ParseDate("2027-01-04"), *facts);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->steps[0].services[0].service->id, "sg-employment-pass");
  EXPECT_EQ(p->steps[0].services[0].outcome, Outcome::kEligible);
  EXPECT_EQ(p->steps[1].services[0].outcome, Outcome::kEligible);  // Dependant's Pass
  EXPECT_EQ(p->steps[3].services[0].outcome, Outcome::kEligible);  // Singpass (after the EP)
  EXPECT_EQ(p->steps[2].services[0].outcome, Outcome::kNeedsInformation);  // P85 questions
}

}  // namespace
}  // namespace accord::journeys
