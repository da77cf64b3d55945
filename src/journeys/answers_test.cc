#include "journeys/answers.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "journeys/test_util.h"

namespace accord::journeys {
namespace {

class AnswersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto c = Catalogue::Load(testing::DataDir());
    ASSERT_TRUE(c.ok()) << c.status().message();
    catalogue_ = new Catalogue(std::move(*c));
  }
  static void TearDownTestSuite() { delete catalogue_; }

  static const LifeEvent& Work() { return *catalogue_->FindEvent("uk-to-sg-work"); }

  // A form with the event date 4 January 2027 and `extra` fields.
  static http::Params Form(std::initializer_list<std::pair<std::string, std::string>> extra) {
    http::Params form;
    form.Add("event-date-day", "4");
    form.Add("event-date-month", "1");
    form.Add("event-date-year", "2027");
    for (const auto& [k, v] : extra) form.Add(k, v);
    return form;
  }
  static AnswersForm Read(const http::Params& form, const boost::json::object& identity = {},
                          const AnswerLimits& limits = {}) {
    return ReadAnswersForm(Work(), *catalogue_, &form, identity, limits);
  }
  static std::vector<std::string> ErrorIds(const AnswersForm& read) {
    std::vector<std::string> ids;
    for (const auto& e : read.errors) ids.push_back(e.field_id);
    return ids;
  }

  static Catalogue* catalogue_;
};
Catalogue* AnswersTest::catalogue_ = nullptr;

TEST_F(AnswersTest, ReadsEachTypeIntoTypedFacts) {
  AnswersForm read = Read(Form({{"fact-has_job_offer", "yes"},
                                {"fact-married", "no"},
                                {"fact-monthly_salary_sgd", " 7,000 "},
                                {"fact-residence_country", "sg"},
                                {"fact-days_in_singapore_in_year", "200.5"}}));
  ASSERT_TRUE(read.errors.empty()) << read.errors[0].message;
  ASSERT_TRUE(read.answers.event_date.has_value());
  EXPECT_EQ(rules::FormatDate(*read.answers.event_date), "2027-01-04");
  const boost::json::object& f = read.answers.facts;
  EXPECT_EQ(f.at("has_job_offer"), true);
  EXPECT_EQ(f.at("married"), false);
  EXPECT_EQ(f.at("monthly_salary_sgd"), 7000);
  EXPECT_EQ(f.at("residence_country"), "SG");
  EXPECT_EQ(f.at("days_in_singapore_in_year"), 200.5);
  EXPECT_EQ(f.size(), 5u);
}

TEST_F(AnswersTest, EmptyFieldsAreUnansweredNotErrors) {
  AnswersForm read = Read(Form({{"fact-married", ""}, {"fact-monthly_salary_sgd", "  "}}));
  EXPECT_TRUE(read.errors.empty());
  EXPECT_TRUE(read.answers.facts.empty());
}

TEST_F(AnswersTest, BadValuesAreErrorsLinkedToTheirFieldAndGiveNoFact) {
  AnswersForm read = Read(Form({{"fact-has_job_offer", "maybe"},
                                {"fact-monthly_salary_sgd", "lots"},
                                {"fact-residence_country", "SGP"},
                                {"fact-married", "yes"}}));
  EXPECT_EQ(ErrorIds(read), (std::vector<std::string>{"fact-has_job_offer",
                                                      "fact-monthly_salary_sgd",
                                                      "fact-residence_country"}));
  EXPECT_EQ(read.answers.facts.size(), 1u);  // only the valid answer
  EXPECT_EQ(read.answers.facts.at("married"), true);
  // The raw text is kept for the person to correct.
  auto q = std::find_if(read.questions.begin(), read.questions.end(),
                        [](const auto& q) { return q.name == "fact-monthly_salary_sgd"; });
  ASSERT_NE(q, read.questions.end());
  EXPECT_EQ(q->value, "lots");
  EXPECT_FALSE(q->error.empty());
}

TEST_F(AnswersTest, NumbersBeyondTheBoundAreRefused) {
  AnswersForm read = Read(Form({{"fact-monthly_salary_sgd", "1e13"}}));
  ASSERT_EQ(read.errors.size(), 1u);
  EXPECT_NE(read.errors[0].message.find("smaller number"), std::string::npos);
  EXPECT_TRUE(read.answers.facts.empty());
  EXPECT_EQ(Read(Form({{"fact-monthly_salary_sgd", "inf"}})).errors.size(), 1u);
  EXPECT_EQ(Read(Form({{"fact-monthly_salary_sgd", "nan"}})).errors.size(), 1u);
}

TEST_F(AnswersTest, TextLongerThanTheBoundIsRefusedAndKeptOnlyInPart) {
  const LifeEvent& study = *catalogue_->FindEvent("sg-to-uk-study");
  auto read_text = [&](std::string text) {
    http::Params form = Form({});
    form.Add("fact-english_cefr_level", std::move(text));
    return ReadAnswersForm(study, *catalogue_, &form, {});
  };
  AnswersForm ok = read_text(std::string(200, 'B'));
  EXPECT_TRUE(ok.errors.empty());
  EXPECT_EQ(ok.answers.facts.at("english_cefr_level").as_string().size(), 200u);

  AnswersForm over = read_text(std::string(201, 'B'));
  ASSERT_EQ(over.errors.size(), 1u);
  EXPECT_EQ(over.errors[0].field_id, "fact-english_cefr_level");
  EXPECT_FALSE(over.answers.facts.contains("english_cefr_level"));

  AnswersForm huge = read_text(std::string(50000, 'B'));
  ASSERT_EQ(huge.errors.size(), 1u);
  for (const auto& q : huge.questions) EXPECT_LE(q.value.size(), 800u);  // re-display bound
}

TEST_F(AnswersTest, ImpossibleOrMissingEventDateIsAnError) {
  http::Params no_date;
  no_date.Add("fact-married", "yes");
  AnswersForm read = Read(no_date);
  ASSERT_EQ(read.errors.size(), 1u);
  EXPECT_EQ(read.errors[0].field_id, "event-date-day");
  EXPECT_FALSE(read.answers.event_date.has_value());

  http::Params bad;
  bad.Add("event-date-day", "30");
  bad.Add("event-date-month", "2");
  bad.Add("event-date-year", "2027");
  read = Read(bad);
  ASSERT_EQ(read.errors.size(), 1u);
  EXPECT_NE(read.errors[0].message.find("real date"), std::string::npos);
}

TEST_F(AnswersTest, IdentityFactsAreNotAskedAndCannotBeOverriddenByTheForm) {
  boost::json::object identity{{"birthdate", "1987-04-12"}};
  AnswersForm read = Read(Form({{"fact-birthdate-day", "1"},
                                {"fact-birthdate-month", "1"},
                                {"fact-birthdate-year", "2020"}}),
                          identity);
  EXPECT_TRUE(read.errors.empty());
  EXPECT_FALSE(read.answers.facts.contains("birthdate"));
  for (const auto& q : read.questions) EXPECT_NE(q.name, "fact-birthdate");
  for (const Attribute* a : read.attributes) EXPECT_NE(a->name, "birthdate");
}

TEST_F(AnswersTest, UnknownFieldsAreIgnored) {
  AnswersForm read = Read(Form({{"csrf", "token"}, {"fact-not_a_fact", "yes"}}));
  EXPECT_TRUE(read.errors.empty());
  EXPECT_TRUE(read.answers.facts.empty());
}

TEST_F(AnswersTest, AnswersRoundTripThroughTheForm) {
  Answers answers;
  answers.event_date = rules::ParseDate("2027-01-04");
  answers.facts = {{"has_job_offer", true},
                   {"monthly_salary_sgd", 6200.5},
                   {"compass_points", 40},
                   {"residence_country", "SG"}};
  http::Params form = AnswersToForm(answers, *catalogue_);
  AnswersForm read = Read(form);
  ASSERT_TRUE(read.errors.empty()) << read.errors[0].message;
  EXPECT_EQ(read.answers.facts, answers.facts);
  EXPECT_EQ(rules::FormatDate(*read.answers.event_date), "2027-01-04");
}

TEST_F(AnswersTest, BlankPageHasQuestionsButNoErrors) {
  AnswersForm read = ReadAnswersForm(Work(), *catalogue_, nullptr, {});
  EXPECT_TRUE(read.errors.empty());
  EXPECT_FALSE(read.questions.empty());
  EXPECT_EQ(read.questions.size(), read.attributes.size());
}

TEST(FactDisplayTest, ReadsAsAPersonWould) {
  Attribute date{"birthdate", "date", "identity", "Date of birth."};
  EXPECT_EQ(FactDisplay(&date, boost::json::value("1987-04-12")), "12 April 1987");
  EXPECT_EQ(FactDisplay(nullptr, boost::json::value(true)), "Yes");
  EXPECT_EQ(FactDisplay(nullptr, boost::json::value(5600)), "5600");
  EXPECT_EQ(AttributeLabel(&date, "birthdate"), "Date of birth");
}

}  // namespace
}  // namespace accord::journeys
