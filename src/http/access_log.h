// The access log's line: one per request, written without spdlog's pattern formatter (it was a
// fifth of the server's own instructions for a static response).
//
//   [2026-12-01 02:44:09.123] [info] http GET /jwks route=jwks status=200 latency_ms=0.042
//   request_id=f244c23e69ffdc20-170de   (one line)
//
// The prefix is the default logger's ("[%Y-%m-%d %H:%M:%S.%e] [%l] ", local time), so access lines
// and other log lines read alike. Never bodies, query strings or Authorization.
#ifndef ACCORD_HTTP_ACCESS_LOG_H_
#define ACCORD_HTTP_ACCESS_LOG_H_

#include <chrono>
#include <string>
#include <string_view>

namespace accord::http {

struct AccessLogEntry {
  std::string_view method;
  std::string_view path;  // without query
  std::string_view route;
  int status = 0;
  double latency_seconds = 0;
  std::string_view request_id;
};

// Appends the line for `entry` logged at `now`, newline included, to *out.
void AppendAccessLine(const AccessLogEntry& entry, std::chrono::system_clock::time_point now,
                      std::string* out);

// The default sink: when the default spdlog logger's level allows info, writes the line to
// stdout through stdio's buffer (one write(2) per buffer-full, not per request; flushed at least
// every second by spdlog's periodic flusher, so a crash can lose the last second of lines).
void WriteAccessLine(const AccessLogEntry& entry);

}  // namespace accord::http

#endif  // ACCORD_HTTP_ACCESS_LOG_H_
