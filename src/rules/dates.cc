#include "rules/dates.h"

#include <cstdio>

namespace accord::rules {
namespace {

constexpr int64_t kMaxDayOffset = 4'000'000;  // well beyond years 0001-9999 either way

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

bool ParseDigits(std::string_view s, int* out) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  Date d;
  if (!ParseDigits(text.substr(0, 4), &d.year) || !ParseDigits(text.substr(5, 2), &d.month) ||
      !ParseDigits(text.substr(8, 2), &d.day)) {
    return std::nullopt;
  }
  if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 ||
      d.day > DaysInMonth(d.year, d.month)) {
    return std::nullopt;
  }
  return d;
}

std::string FormatDate(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromCivil(const Date& d) {
  int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t mp = (d.month + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date CivilFromDays(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t day = doy - (153 * mp + 2) / 5 + 1;
  int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (month <= 2 ? 1 : 0)), static_cast<int>(month),
              static_cast<int>(day)};
}

std::optional<int> AgeOn(const Date& birth, const Date& on) {
  if (DaysFromCivil(on) < DaysFromCivil(birth)) return std::nullopt;
  int years = on.year - birth.year;
  // Before this year's birthday? For a 29 February birthday in a common year, 28 February is
  // still before it and 1 March is on or after it, which is the documented rule.
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --years;
  return years;
}

int64_t DaysBetween(const Date& from, const Date& to) {
  return DaysFromCivil(to) - DaysFromCivil(from);
}

std::optional<Date> AddDays(const Date& d, int64_t days) {
  if (days > kMaxDayOffset || days < -kMaxDayOffset) return std::nullopt;
  Date r = CivilFromDays(DaysFromCivil(d) + days);
  if (r.year < 1 || r.year > 9999) return std::nullopt;
  return r;
}

}  // namespace accord::rules
