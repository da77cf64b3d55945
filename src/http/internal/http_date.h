// The Date field the server sends (RFC 9110 5.6.7 and 6.6.1): IMF-fixdate, e.g.
// "Sun, 06 Nov 1994 08:49:37 GMT". Plain C++, no Beast.
#ifndef ACCORD_HTTP_INTERNAL_HTTP_DATE_H_
#define ACCORD_HTTP_INTERNAL_HTTP_DATE_H_

#include <chrono>
#include <string_view>

namespace accord::http::internal {

inline constexpr size_t kHttpDateSize = 29;  // "Sun, 06 Nov 1994 08:49:37 GMT"

// Writes the IMF-fixdate of `seconds` since the epoch (UTC; English day and month names, whatever
// the locale) into out[0..29).
void FormatHttpDate(std::chrono::sys_seconds seconds, char (&out)[kHttpDateSize]);

// The IMF-fixdate of now, formatted once per second per thread; the view stays valid on this
// thread until its next call.
std::string_view CurrentHttpDate();

}  // namespace accord::http::internal

#endif  // ACCORD_HTTP_INTERNAL_HTTP_DATE_H_
