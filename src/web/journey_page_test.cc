#include "web/journey_page.h"

#include <gtest/gtest.h>

namespace accord::web {
namespace {

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

JourneyPage Planned() {
  JourneyPage page;
  page.event_id = "uk-to-sg-work";
  page.event_name = "Moving from the UK to Singapore for work";
  page.description = "Steps <both> countries";
  page.form_action = "/journeys/uk-to-sg-work";
  page.event_date = {JourneyQuestion::Kind::kDate,
                     "event-date",
                     "When do you start?",
                     "",
                     "2027-01-04",
                     "4",
                     "1",
                     "2027",
                     "",
                     false};
  JourneyQuestion salary{JourneyQuestion::Kind::kNumber,
                         "fact-monthly_salary_sgd",
                         "Monthly salary",
                         "",
                         "",
                         "",
                         "",
                         "",
                         "",
                         true};
  JourneyQuestion married{
      JourneyQuestion::Kind::kYesNo, "fact-married", "Married", "", "no", "", "", "", "", false};
  page.questions = {salary, married};
  page.identity_facts = {{"Nationality", "GB"}};
  page.planned = true;
  JourneyServiceView ep{"Employment Pass",
                        "MOM",
                        "SG",
                        "https://www.mom.gov.sg/ep",
                        "A work pass",
                        "S$105",
                        Eligibility::kNeedsInformation,
                        "Needs monthly_salary_sgd",
                        "4 January 2027",
                        {"Monthly salary"}};
  JourneyServiceView p85{
      "Tell HMRC (P85)",          "HMRC", "GB", "", "", "Free", Eligibility::kEligible,
      "Eligible: leaving the UK", "",     {}};
  JourneyServiceView vote{
      "Register to vote",          "EC", "GB", "", "", "", Eligibility::kNotEligible,
      "Not eligible: nationality", "",   {}};
  page.steps = {{1, "Get a work pass", false, true, {ep}},
                {2, "Tell the UK", true, false, {p85, vote}}};
  page.eligible = 1;
  page.not_eligible = 1;
  page.needs_information = 1;
  return page;
}

TEST(JourneyPageTest, NumbersStepsAndMarksEachServiceWithReason) {
  std::string html = RenderJourney(Planned());
  EXPECT_TRUE(Contains(
      html, "<h1 class=\"govuk-heading-l\">Moving from the UK to Singapore for work</h1>"));
  EXPECT_TRUE(Contains(html, "Steps &lt;both&gt; countries"));
  EXPECT_TRUE(Contains(html, "<span class=\"govuk-caption-m\">Step 1</span>Get a work pass</h2>"));
  EXPECT_TRUE(
      Contains(html, "<span class=\"govuk-caption-m\">Step 2 (optional)</span>Tell the UK"));
  EXPECT_TRUE(Contains(html, "govuk-tag--yellow\">Needs information<"));
  EXPECT_TRUE(Contains(html, "govuk-tag--green\">Eligible<"));
  EXPECT_TRUE(Contains(html, "govuk-tag--red\">Not eligible<"));
  EXPECT_TRUE(Contains(html, "Not eligible: nationality"));
  EXPECT_TRUE(Contains(html, "<li>Monthly salary</li>"));
  EXPECT_TRUE(Contains(html, "MOM (Singapore)"));
  EXPECT_TRUE(Contains(html, "href=\"https://www.mom.gov.sg/ep\""));
  EXPECT_TRUE(Contains(
      html, "1 service you are eligible for, 1 not eligible, 1 that need more information."));
  EXPECT_TRUE(Contains(html, "href=\"#questions\""));
}

TEST(JourneyPageTest, AsksForMissingFactsFirstInAPostFormThatNeedsNoScript) {
  std::string html = RenderJourney(Planned());
  EXPECT_TRUE(
      Contains(html, "<form method=\"post\" action=\"/journeys/uk-to-sg-work\" novalidate>"));
  EXPECT_TRUE(Contains(html, "name=\"event-date-day\" type=\"text\" value=\"4\""));
  size_t needed = html.find("Needed to work out your steps");
  size_t salary = html.find("name=\"fact-monthly_salary_sgd\"");
  size_t other = html.find("Your other answers");
  size_t married = html.find("name=\"fact-married\" type=\"radio\" value=\"no\" checked");
  ASSERT_NE(needed, std::string::npos);
  ASSERT_NE(married, std::string::npos);
  EXPECT_LT(needed, salary);
  EXPECT_LT(salary, other);
  EXPECT_LT(other, married);
  EXPECT_TRUE(Contains(html, "<dt class=\"govuk-summary-list__key\">Nationality</dt>"));
  EXPECT_TRUE(Contains(html, ">Update my steps</button>"));
}

TEST(JourneyPageTest, BeforePlanningShowsOnlyTheForm) {
  JourneyPage page = Planned();
  page.planned = false;
  std::string html = RenderJourney(page);
  EXPECT_FALSE(Contains(html, "Step 1"));
  EXPECT_TRUE(Contains(html, "Tell us about your situation"));
  EXPECT_TRUE(Contains(html, ">Show my steps</button>"));
}

TEST(JourneyPageTest, ErrorsGetASummaryAndAnErrorTitle) {
  JourneyPage page = Planned();
  page.errors = {{"event-date-day", "Enter a real date"}};
  page.event_date.error = "Enter a real date";
  std::string html = RenderJourney(page);
  EXPECT_TRUE(Contains(html, "<title>Error: Moving"));
  EXPECT_TRUE(Contains(html, "<a href=\"#event-date-day\">Enter a real date</a>"));
  EXPECT_TRUE(Contains(html, "id=\"event-date-error\""));
}

TEST(JourneyPageTest, SaysWhichFactsCameFromTheIdentityAndWhichFromAnswers) {
  JourneyPage page = Planned();
  page.identity_source = "Verified by <One Login> to level substantial.";
  page.answer_facts = {{"Married", "No"}};
  std::string html = RenderJourney(page);
  size_t identity = html.find(">From your verified identity</h3>");
  size_t answers = html.find(">From your answers</h3>");
  ASSERT_NE(identity, std::string::npos);
  ASSERT_NE(answers, std::string::npos);
  EXPECT_LT(identity, answers);
  EXPECT_TRUE(Contains(html, "Verified by &lt;One Login&gt; to level substantial."));
  EXPECT_LT(answers, html.find("<dt class=\"govuk-summary-list__key\">Married</dt>"));
}

TEST(JourneyPageTest, AnswersAreListedOnlyOnceAPlanUsedThem) {
  JourneyPage page = Planned();
  page.planned = false;
  page.identity_facts.clear();
  page.answer_facts = {{"Married", "No"}};
  EXPECT_FALSE(Contains(RenderJourney(page), "From your answers"));
}

TEST(JourneyPageTest, CarriesTheCsrfTokenAndCaptionWhenGiven) {
  JourneyPage page = Planned();
  EXPECT_FALSE(Contains(RenderJourney(page), "name=\"csrf\""));
  page.csrf_token = "tok\"en";
  page.caption = "Ministry of Manpower";
  std::string html = RenderJourney(page);
  EXPECT_TRUE(Contains(html, "name=\"csrf\" value=\"tok&quot;en\""));
  EXPECT_TRUE(Contains(html, "<span class=\"govuk-caption-l\">Ministry of Manpower</span>"));
}

}  // namespace
}  // namespace accord::web
