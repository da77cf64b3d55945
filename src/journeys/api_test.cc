#include "journeys/api.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "journeys/test_util.h"

namespace accord::journeys {
namespace {

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

class JourneyApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto c = Catalogue::Load(testing::DataDir());
    ASSERT_TRUE(c.ok()) << c.status().message();
    catalogue_ = new Catalogue(std::move(*c));
  }
  static void TearDownTestSuite() { delete catalogue_; }

  void SetUp() override { ASSERT_TRUE(AddJourneyRoutes(router_, *catalogue_, Options()).ok()); }
  virtual JourneyApiOptions Options() { return {}; }

  http::Response Call(std::string method, std::string path, std::string body = "",
                      std::string content_type = "") {
    http::Request r;
    r.method = method;
    r.target = path;
    r.path = path;
    r.body = std::move(body);
    if (!content_type.empty()) r.headers.Add("Content-Type", content_type);
    auto match = router_.Find(method, path);
    if (match.kind != http::Router::MatchKind::kFound) return http::ErrorResponse(404);
    return match.route->handler(r);
  }
  http::Response Plan(std::string event, std::string body) {
    return Call("POST", "/journeys/" + event + "/plan", std::move(body), "application/json");
  }
  static std::string ErrorCode(const http::Response& r) {
    return std::string(boost::json::parse(r.body).at("error").as_string());
  }
  static std::string Message(const http::Response& r) {
    return std::string(boost::json::parse(r.body).at("message").as_string());
  }

  static Catalogue* catalogue_;
  http::Router router_;
};
Catalogue* JourneyApiTest::catalogue_ = nullptr;

constexpr std::string_view kWorkFacts =
    R"({"date": "2027-01-04", "facts": {"birthdate": "1990-05-17", "nationality": "GB",
        "residence_country": "SG", "has_job_offer": true, "monthly_salary_sgd": 7000,
        "works_in_financial_services": false, "compass_points": 45, "married": true}})";

TEST_F(JourneyApiTest, ListsEveryLifeEventWithItsLinks) {
  http::Response r = Call("GET", "/journeys");
  ASSERT_EQ(r.status, 200);
  auto events = boost::json::parse(r.body).at("events").as_array();
  EXPECT_EQ(events.size(), catalogue_->events().size());
  bool found = false;
  for (const auto& e : events) {
    if (e.at("id") == "uk-to-sg-work") {
      found = true;
      EXPECT_EQ(e.at("page"), "/journeys/uk-to-sg-work");
      EXPECT_EQ(e.at("plan"), "/journeys/uk-to-sg-work/plan");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(JourneyApiTest, PlansAJourneyAsPlanJson) {
  http::Response r = Plan("uk-to-sg-work", std::string(kWorkFacts));
  ASSERT_EQ(r.status, 200) << r.body;
  auto plan = boost::json::parse(r.body).as_object();
  EXPECT_EQ(plan.at("event_date"), "2027-01-04");
  auto first = plan.at("steps").as_array()[0].at("services").as_array()[0];
  EXPECT_EQ(first.at("id"), "sg-employment-pass");
  EXPECT_EQ(first.at("status"), "eligible");
}

TEST_F(JourneyApiTest, BadJsonIsA400WithAClearMessage) {
  http::Response r = Plan("uk-to-sg-work", "{\"date\": ");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "invalid_json");
  EXPECT_EQ(Plan("uk-to-sg-work", "[1]").status, 400);
}

TEST_F(JourneyApiTest, UnknownEventIsA404) {
  http::Response r = Plan("moving-to-mars", std::string(kWorkFacts));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "unknown_event");
  EXPECT_TRUE(Contains(Message(r), "moving-to-mars"));
  EXPECT_EQ(Plan("..%2F", std::string(kWorkFacts)).status, 404);
}

TEST_F(JourneyApiTest, TooBigBodyIsA413) {
  std::string big = R"({"date": "2027-01-04", "facts": {"sg_pass_type": ")" +
                    std::string(70 * 1024, 'x') + "\"}}";
  http::Response r = Plan("uk-to-sg-work", big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(ErrorCode(r), "too_large");
}

TEST_F(JourneyApiTest, RequiresJsonContentType) {
  http::Response r = Call("POST", "/journeys/uk-to-sg-work/plan", std::string(kWorkFacts),
                          "application/x-www-form-urlencoded");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(ErrorCode(r), "unsupported_media_type");
  EXPECT_EQ(Call("POST", "/journeys/uk-to-sg-work/plan", std::string(kWorkFacts),
                 "application/json; charset=utf-8")
                .status,
            200);
  EXPECT_EQ(
      Call("POST", "/journeys/uk-to-sg-work/plan", std::string(kWorkFacts), "application/jsonp")
          .status,
      415);
}

TEST_F(JourneyApiTest, MissingOrInvalidDateIsNamed) {
  http::Response r = Plan("uk-to-sg-work", R"({"facts": {}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "invalid_request");
  EXPECT_TRUE(Contains(Message(r), "date"));
  EXPECT_TRUE(Contains(Message(Plan("uk-to-sg-work", R"({"date": "2027-02-30"})")), "real date"));
}

TEST_F(JourneyApiTest, UnknownMemberOrFactIsNamed) {
  EXPECT_TRUE(Contains(Message(Plan("uk-to-sg-work", R"({"date": "2027-01-04", "fact": {}})")),
                       "\"fact\""));
  http::Response r = Plan("uk-to-sg-work", R"({"date": "2027-01-04", "facts": {"salary": 1}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(Message(r), "facts.salary: not in the attribute vocabulary"));
}

TEST_F(JourneyApiTest, WrongFactTypesAreNamed) {
  EXPECT_TRUE(Contains(
      Message(Plan("uk-to-sg-work", R"({"date": "2027-01-04", "facts": {"married": "yes"}})")),
      "facts.married: expected true or false"));
  EXPECT_TRUE(Contains(
      Message(Plan("uk-to-sg-work", R"({"date": "2027-01-04", "facts": {"nationality": "gbr"}})")),
      "facts.nationality"));
  EXPECT_TRUE(
      Contains(Message(Plan("uk-to-sg-work",
                            R"({"date": "2027-01-04", "facts": {"birthdate": "17/05/1990"}})")),
               "facts.birthdate: expected a date"));
  EXPECT_TRUE(
      Contains(Message(Plan("uk-to-sg-work",
                            R"({"date": "2027-01-04", "facts": {"event_date": "2027-01-04"}})")),
               "facts.event_date"));
  EXPECT_EQ(Plan("uk-to-sg-work", R"({"date": "2027-01-04", "facts": {"married": null}})").status,
            200);
}

TEST_F(JourneyApiTest, PageOffersAFormForTheDateAndEveryFact) {
  http::Response r = Call("GET", "/journeys/uk-to-sg-work");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_TRUE(Contains(r.body, "<form method=\"post\" action=\"/journeys/uk-to-sg-work\""));
  EXPECT_TRUE(Contains(r.body, "name=\"event-date-day\""));
  EXPECT_TRUE(Contains(r.body, "name=\"fact-monthly_salary_sgd\""));
  EXPECT_TRUE(Contains(r.body, "name=\"fact-has_job_offer\" type=\"radio\" value=\"yes\""));
  EXPECT_FALSE(Contains(r.body, "Step 1"));
  EXPECT_EQ(Call("GET", "/journeys/nope").status, 404);
  EXPECT_EQ(Call("GET", "/journeys/uk-to-sg-work/plan").status, 404);
}

TEST_F(JourneyApiTest, SubmittedFormShowsThePlanAndKeepsTheAnswers) {
  http::Response r =
      Call("POST", "/journeys/uk-to-sg-work",
           "event-date-day=4&event-date-month=1&event-date-year=2027"
           "&fact-nationality=gb&fact-has_job_offer=yes&fact-monthly_salary_sgd=7%2C000"
           "&fact-works_in_financial_services=no&fact-birthdate-day=17"
           "&fact-compass_points=45&fact-residence_country=SG&fact-married=yes"
           "&fact-birthdate-month=5&fact-birthdate-year=1990",
           "application/x-www-form-urlencoded");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Contains(r.body, "<span class=\"govuk-caption-m\">Step 1</span>"));
  EXPECT_TRUE(Contains(r.body, "govuk-tag--green\">Eligible<"));
  EXPECT_TRUE(Contains(r.body, "name=\"fact-nationality\" type=\"text\" value=\"GB\""));
  EXPECT_TRUE(Contains(r.body, "name=\"fact-has_job_offer\" type=\"radio\" value=\"yes\" checked"));
  EXPECT_TRUE(Contains(r.body, "Needed to work out your steps"));
  EXPECT_TRUE(Contains(r.body, ">Update my steps</button>"));
}

TEST_F(JourneyApiTest, FormErrorsAreSummarisedWithA400) {
  http::Response r = Call("POST", "/journeys/uk-to-sg-work",
                          "event-date-day=31&event-date-month=2&event-date-year=2027"
                          "&fact-monthly_salary_sgd=lots&fact-nationality=Britain",
                          "application/x-www-form-urlencoded");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(
      Contains(r.body, "<a href=\"#event-date-day\">Enter a real date for the date you start"));
  EXPECT_TRUE(Contains(r.body, "<a href=\"#fact-monthly_salary_sgd\">Enter a number for"));
  EXPECT_TRUE(Contains(r.body, "<a href=\"#fact-nationality\">Enter a two-letter country code"));
  EXPECT_TRUE(Contains(r.body, "value=\"lots\""));
  EXPECT_FALSE(Contains(r.body, "Step 1</span>"));
}

TEST_F(JourneyApiTest, FormWithoutADateAsksForIt) {
  http::Response r = Call("POST", "/journeys/uk-to-sg-work", "fact-married=yes",
                          "application/x-www-form-urlencoded");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "<a href=\"#event-date-day\">Enter the date you start work"));
}

TEST_F(JourneyApiTest, UnreadableFormIsA400Page) {
  EXPECT_EQ(
      Call("POST", "/journeys/uk-to-sg-work", "a=%zz", "application/x-www-form-urlencoded").status,
      400);
  EXPECT_EQ(Call("POST", "/journeys/uk-to-sg-work", "a=1&a=2", "application/x-www-form-urlencoded")
                .status,
            400);
}

class JourneyApiIdentityTest : public JourneyApiTest {
 protected:
  JourneyApiOptions Options() override {
    JourneyApiOptions o;
    o.identity_facts = [](const http::Request&) {
      return boost::json::object{{"nationality", "GB"}, {"birthdate", "1990-05-17"}};
    };
    return o;
  }
};

TEST_F(JourneyApiIdentityTest, IdentityFactsAreShownUsedAndNotAskedAgain) {
  http::Response r = Call("POST", "/journeys/uk-to-sg-work",
                          "event-date-day=4&event-date-month=1&event-date-year=2027"
                          "&fact-nationality=SG",
                          "application/x-www-form-urlencoded");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Contains(r.body, "From your verified identity"));
  EXPECT_TRUE(Contains(r.body, "17 May 1990"));
  EXPECT_FALSE(Contains(r.body, "name=\"fact-nationality\""));
  EXPECT_FALSE(Contains(r.body, "name=\"fact-birthdate-day\""));
}

TEST(LongDateTest, FormatsTheGovukWay) {
  EXPECT_EQ(LongDate(*rules::ParseDate("2027-01-04")), "4 January 2027");
  EXPECT_EQ(LongDate(*rules::ParseDate("2026-12-31")), "31 December 2026");
}

}  // namespace
}  // namespace accord::journeys
