#include "rules/dates.h"

#include <gtest/gtest.h>

namespace accord::rules {
namespace {

Date D(const char* s) { return *ParseDate(s); }

TEST(DatesTest, ParsesStrictIsoDates) {
  EXPECT_TRUE(ParseDate("2024-02-29").has_value());
  EXPECT_FALSE(ParseDate("2026-02-29").has_value());
  EXPECT_FALSE(ParseDate("2026-13-01").has_value());
  EXPECT_FALSE(ParseDate("2026-1-01").has_value());
  EXPECT_FALSE(ParseDate("0000-01-01").has_value());
  EXPECT_FALSE(ParseDate("2026-01-01T00:00").has_value());
  EXPECT_EQ(FormatDate(D("0987-06-05")), "0987-06-05");
}

TEST(DatesTest, AgeCountsTheBirthday) {
  EXPECT_EQ(AgeOn(D("2009-01-31"), D("2027-01-31")), 18);
  EXPECT_EQ(AgeOn(D("2009-02-01"), D("2027-01-31")), 17);
  EXPECT_EQ(AgeOn(D("2027-01-31"), D("2027-01-31")), 0);
  EXPECT_EQ(AgeOn(D("2027-02-01"), D("2027-01-31")), std::nullopt);
}

TEST(DatesTest, LeapDayBirthdayFallsOnFirstMarchInCommonYears) {
  EXPECT_EQ(AgeOn(D("2008-02-29"), D("2026-02-28")), 17);
  EXPECT_EQ(AgeOn(D("2008-02-29"), D("2026-03-01")), 18);
  EXPECT_EQ(AgeOn(D("2008-02-29"), D("2028-02-28")), 19);
  EXPECT_EQ(AgeOn(D("2008-02-29"), D("2028-02-29")), 20);
}

TEST(DatesTest, DaysBetweenAndAddDaysRoundTrip) {
  EXPECT_EQ(DaysBetween(D("2027-01-01"), D("2027-05-03")), 122);
  EXPECT_EQ(DaysBetween(D("2027-05-03"), D("2027-01-01")), -122);
  EXPECT_EQ(FormatDate(*AddDays(D("2027-01-31"), 42)), "2027-03-14");
  EXPECT_EQ(FormatDate(*AddDays(D("2024-02-28"), 1)), "2024-02-29");
  EXPECT_EQ(FormatDate(*AddDays(D("2027-01-01"), -1)), "2026-12-31");
  EXPECT_FALSE(AddDays(D("9999-12-31"), 1).has_value());
  EXPECT_FALSE(AddDays(D("0001-01-01"), -1).has_value());
  EXPECT_EQ(DaysFromCivil(D("1970-01-01")), 0);
}

}  // namespace
}  // namespace accord::rules
