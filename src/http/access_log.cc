#include "http/access_log.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

namespace accord::http {
namespace {

void AppendNumber(long long v, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  (void)ec;
  out->append(buf, end);
}

// "YYYY-MM-DD HH:MM:SS" of `seconds` in local time, converted once per second per thread.
std::string_view LocalSecond(std::time_t seconds) {
  thread_local std::time_t cached = -1;
  thread_local char text[32];
  thread_local size_t size = 0;
  if (seconds != cached) {
    std::tm tm{};
    localtime_r(&seconds, &tm);
    size = std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &tm);
    cached = seconds;
  }
  return std::string_view(text, size);
}

// Flushes stdout when spdlog's periodic flusher (every second) flushes the loggers it knows: the
// access lines bypass spdlog, so this logger exists only to be flushed.
class StdoutFlusher final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg&) override {}
  void flush_() override { std::fflush(stdout); }
};

void RegisterStdoutFlush() {
  static const bool registered = [] {
    if (spdlog::get("accord.access") == nullptr) {
      auto flusher = std::make_shared<spdlog::logger>("accord.access",
                                                      std::make_shared<StdoutFlusher>());
      spdlog::register_logger(flusher);
    }
    spdlog::flush_every(std::chrono::seconds(1));
    return true;
  }();
  (void)registered;
}

}  // namespace

void AppendAccessLine(const AccessLogEntry& e, std::chrono::system_clock::time_point now,
                      std::string* out) {
  const auto since_epoch = now.time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const long long millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
  out->push_back('[');
  out->append(LocalSecond(static_cast<std::time_t>(seconds.count())));
  out->push_back('.');
  out->push_back(static_cast<char>('0' + millis / 100));
  out->push_back(static_cast<char>('0' + millis / 10 % 10));
  out->push_back(static_cast<char>('0' + millis % 10));
  out->append("] [info] http ").append(e.method).push_back(' ');
  out->append(e.path).append(" route=").append(e.route).append(" status=");
  AppendNumber(e.status, out);
  // Milliseconds with three decimals, from whole microseconds.
  const double micros = std::min(e.latency_seconds * 1e6, 1e15);
  const long long us = std::isfinite(micros) && micros > 0 ? std::llround(micros) : 0;
  out->append(" latency_ms=");
  AppendNumber(us / 1000, out);
  out->push_back('.');
  const long long frac = us % 1000;
  out->push_back(static_cast<char>('0' + frac / 100));
  out->push_back(static_cast<char>('0' + frac / 10 % 10));
  out->push_back(static_cast<char>('0' + frac % 10));
  out->append(" request_id=").append(e.request_id).push_back('\n');
}

void WriteAccessLine(const AccessLogEntry& entry) {
  if (!spdlog::default_logger_raw()->should_log(spdlog::level::info)) return;
  RegisterStdoutFlush();
  thread_local std::string line;
  line.clear();
  AppendAccessLine(entry, std::chrono::system_clock::now(), &line);
  std::fwrite(line.data(), 1, line.size(), stdout);
}

}  // namespace accord::http
