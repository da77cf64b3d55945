#include "demo/session_table.h"

#include <gtest/gtest.h>

namespace accord::demo {
namespace {

IdentityFacts Ada() {
  IdentityFacts f;
  f.facts = {{"birthdate", "1987-04-12"}};
  f.display_name = "Ada Testwright";
  return f;
}

TEST(SessionTableTest, CreatesASessionWithItsOwnCsrfToken) {
  FixedClock clock(1000);
  SessionTable table(clock);
  auto a = table.Create(Ada());
  auto b = table.Create(Ada());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  auto sa = table.Get(*a), sb = table.Get(*b);
  ASSERT_TRUE(sa && sb);
  EXPECT_EQ(sa->identity.display_name, "Ada Testwright");
  EXPECT_GE(sa->csrf.size(), 43u);
  EXPECT_NE(sa->csrf, sb->csrf);
  EXPECT_NE(sa->csrf, *a);
}

TEST(SessionTableTest, UnknownEmptyOrOverlongTokensFindNothing) {
  FixedClock clock(1000);
  SessionTable table(clock);
  ASSERT_TRUE(table.Create(Ada()).ok());
  EXPECT_FALSE(table.Get("nope"));
  EXPECT_FALSE(table.Get(""));
  EXPECT_FALSE(table.Get(std::string(1000, 'a')));
}

TEST(SessionTableTest, ExpiresWhenIdleAndAtMaximumAge) {
  FixedClock clock(1000);
  SessionTable table(clock, {.max_sessions = 10, .idle_seconds = 60, .max_age_seconds = 150});
  auto token = table.Create(Ada());
  ASSERT_TRUE(token.ok());
  clock.AdvanceSeconds(50);
  EXPECT_TRUE(table.Get(*token));  // used: idle time starts again
  clock.AdvanceSeconds(50);
  EXPECT_TRUE(table.Get(*token));
  clock.AdvanceSeconds(51);  // 151 s old: past the maximum age although recently used
  EXPECT_FALSE(table.Get(*token));

  auto idle = table.Create(Ada());
  clock.AdvanceSeconds(61);
  EXPECT_FALSE(table.Get(*idle));
}

TEST(SessionTableTest, RefusesNewSessionsWhenFullOfLiveOnes) {
  FixedClock clock(1000);
  SessionTable table(clock, {.max_sessions = 2, .idle_seconds = 60, .max_age_seconds = 600});
  ASSERT_TRUE(table.Create(Ada()).ok());
  ASSERT_TRUE(table.Create(Ada()).ok());
  auto third = table.Create(Ada());
  EXPECT_EQ(third.status().reason(), "too_many_sessions");
  clock.AdvanceSeconds(61);  // the others expire and make room
  EXPECT_TRUE(table.Create(Ada()).ok());
  EXPECT_EQ(table.size(), 1u);
}

TEST(SessionTableTest, KeepsAnswersPerSession) {
  FixedClock clock(1000);
  SessionTable table(clock);
  auto a = table.Create(Ada());
  auto b = table.Create(Ada());
  journeys::Answers answers;
  answers.event_date = rules::ParseDate("2027-01-04");
  answers.facts = {{"married", true}};
  ASSERT_TRUE(table.SetAnswers(*a, answers).ok());
  EXPECT_EQ(table.Get(*a)->answers.facts, answers.facts);
  EXPECT_TRUE(table.Get(*b)->answers.facts.empty());
  EXPECT_EQ(table.SetAnswers("unknown", answers).reason(), "no_session");
}

TEST(SessionTableTest, RefusesAnswersBeyondTheBounds) {
  FixedClock clock(1000);
  SessionTable table(clock);
  auto a = table.Create(Ada());
  journeys::Answers many;
  for (size_t i = 0; i <= kMaxAnswerFacts; ++i) many.facts["f" + std::to_string(i)] = true;
  EXPECT_EQ(table.SetAnswers(*a, many).reason(), "answers_too_large");
  journeys::Answers big;
  big.facts["text"] = std::string(kMaxAnswerBytes, 'x');
  EXPECT_EQ(table.SetAnswers(*a, big).reason(), "answers_too_large");
  EXPECT_TRUE(table.Get(*a)->answers.facts.empty());
}

}  // namespace
}  // namespace accord::demo
