// Calendar dates for the date operators and journey deadlines: proleptic Gregorian, ISO 8601
// calendar dates written YYYY-MM-DD (years 0001-9999), no time zones (an event date is a local date).
//
// Thread safety: pure functions.
#ifndef ACCORD_RULES_DATES_H_
#define ACCORD_RULES_DATES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace accord::rules {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;
  friend bool operator==(const Date&, const Date&) = default;
};

// Strict YYYY-MM-DD with a real day of month (2026-02-29 is rejected); nullopt otherwise.
std::optional<Date> ParseDate(std::string_view text);
std::string FormatDate(const Date& d);
bool IsLeapYear(int year);

// Days since 1970-01-01 and back.
int64_t DaysFromCivil(const Date& d);
Date CivilFromDays(int64_t days);

// Whole years completed on `on` by someone born on `birth`: the birthday itself counts. Someone
// born on 29 February attains each age on 1 March in common years (and on 29 February in leap
// years). nullopt when `on` is before `birth`.
std::optional<int> AgeOn(const Date& birth, const Date& on);

// `to` minus `from` in days (negative when `to` is earlier).
int64_t DaysBetween(const Date& from, const Date& to);

// `d` plus `days` (may be negative); nullopt outside years 0001-9999.
std::optional<Date> AddDays(const Date& d, int64_t days);

}  // namespace accord::rules

#endif  // ACCORD_RULES_DATES_H_
