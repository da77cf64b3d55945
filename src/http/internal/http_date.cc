#include "http/internal/http_date.h"

#include <algorithm>

namespace accord::http::internal {
namespace {

void Two(unsigned v, char* out) {
  out[0] = static_cast<char>('0' + v / 10 % 10);
  out[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

void FormatHttpDate(std::chrono::sys_seconds seconds, char (&out)[kHttpDateSize]) {
  static constexpr char kDays[] = "SunMonTueWedThuFriSat";
  static constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(seconds - day);
  const unsigned weekday = std::chrono::weekday(day).c_encoding();
  const unsigned month = static_cast<unsigned>(ymd.month());
  const int year = std::clamp(static_cast<int>(ymd.year()), 0, 9999);
  char* p = out;
  for (int i = 0; i < 3; ++i) *p++ = kDays[weekday * 3 + i];
  *p++ = ',';
  *p++ = ' ';
  Two(static_cast<unsigned>(ymd.day()), p);
  p += 2;
  *p++ = ' ';
  for (int i = 0; i < 3; ++i) *p++ = kMonths[(month - 1) * 3 + i];
  *p++ = ' ';
  Two(static_cast<unsigned>(year / 100), p);
  Two(static_cast<unsigned>(year % 100), p + 2);
  p += 4;
  *p++ = ' ';
  Two(static_cast<unsigned>(hms.hours().count()), p);
  p[2] = ':';
  Two(static_cast<unsigned>(hms.minutes().count()), p + 3);
  p[5] = ':';
  Two(static_cast<unsigned>(hms.seconds().count()), p + 6);
  p += 8;
  *p++ = ' ';
  *p++ = 'G';
  *p++ = 'M';
  *p++ = 'T';
}

std::string_view CurrentHttpDate() {
  thread_local std::chrono::sys_seconds cached{std::chrono::seconds(-1)};
  thread_local char text[kHttpDateSize];
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (now != cached) {
    FormatHttpDate(now, text);
    cached = now;
  }
  return std::string_view(text, kHttpDateSize);
}

}  // namespace accord::http::internal
