// Structured JSON logging with redaction by construction (docs/security.md, "Logs").
//
// A log line is one JSON object: {"ts_ms":..,"level":"info","event":"<literal>", <fields>}. Event
// names and field keys must be string literals (consteval), and a field value may only be
//   - a number or bool, an enum (its integer value), a Status (code name and reason only: messages
//     are not logged), a Literal (compile-time text), or
//   - an Id: runtime text validated like an audit identifier ([A-Za-z0-9._:-], 1..128 bytes);
//     anything else is written as "[invalid]" and never echoed.
// There is no field constructor for std::string, std::string_view or char*, and the one for
// PersonalData<T> is deleted, so `logger.Info("x", {{"name", person_name}})` does not compile
// (log_test.cc asserts the traits; the CTest pair datasec_log_compile_fail checks a real
// compile). The scanner (log_scanner.h) is the second line: it greps produced logs for the sandbox
// people's data.
//
// Thread safety: Logger is safe to call concurrently (one line is written under a mutex).
#ifndef ACCORD_DATASEC_LOG_H_
#define ACCORD_DATASEC_LOG_H_

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "common/clock.h"
#include "common/status.h"
#include "datasec/personal_data.h"

namespace accord::datasec {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Compile-time text (event names, keys, fixed values).
class Literal {
 public:
  template <size_t N>
  consteval Literal(const char (&text)[N]) : text_(text, N - 1) {}  // NOLINT: literals only
  std::string_view view() const { return text_; }

 private:
  std::string_view text_;
};

bool IsLoggableIdentifier(std::string_view s);

// Runtime text that is an identifier (client_id, kid, sid, request id, reason token).
class Id {
 public:
  explicit Id(std::string_view text) : text_(text) {}
  std::string_view view() const { return text_; }

 private:
  std::string_view text_;
};

class LogField {
 public:
  template <typename T>
    requires(std::is_arithmetic_v<T> || std::is_enum_v<T>)
  LogField(Literal key, T value) : key_(key.view()) {
    if constexpr (std::is_same_v<T, bool>) {
      value_ = value;
    } else if constexpr (std::is_enum_v<T>) {
      value_ = static_cast<int64_t>(value);
    } else if constexpr (std::is_floating_point_v<T>) {
      value_ = static_cast<double>(value);
    } else {
      value_ = static_cast<int64_t>(value);
    }
  }
  LogField(Literal key, Literal value) : key_(key.view()), value_(value) {}
  LogField(Literal key, Id value) : key_(key.view()), value_(value) {}
  LogField(Literal key, const Status& status) : key_(key.view()), value_(&status) {}

  template <typename T>
  LogField(Literal key, const PersonalData<T>& value) = delete;  // personal data is not loggable

  std::string_view key() const { return key_; }
  // Appends `"key":value` as JSON.
  void AppendTo(std::string* out) const;

 private:
  std::string_view key_;
  std::variant<bool, int64_t, double, Literal, Id, const Status*> value_;
};

// The compile-time test of "can T be logged" (log_test.cc asserts it for PersonalData and strings).
template <typename T>
inline constexpr bool kIsLoggable = std::is_constructible_v<LogField, Literal, T>;

class Logger {
 public:
  // Writes to an open FILE (stderr, or one opened by ToFile). `clock` must outlive the logger.
  Logger(std::FILE* out, bool owns, const Clock* clock, LogLevel min_level = LogLevel::kInfo);
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  static std::unique_ptr<Logger> ToStderr(const Clock* clock, LogLevel min = LogLevel::kInfo);
  // Appends to `path` (created mode 0600). Unavailable "io_error".
  static Result<std::unique_ptr<Logger>> ToFile(const std::string& path, const Clock* clock,
                                                LogLevel min = LogLevel::kInfo);

  void Log(LogLevel level, Literal event, std::initializer_list<LogField> fields = {});
  void Debug(Literal event, std::initializer_list<LogField> fields = {}) { Log(LogLevel::kDebug, event, fields); }
  void Info(Literal event, std::initializer_list<LogField> fields = {}) { Log(LogLevel::kInfo, event, fields); }
  void Warning(Literal event, std::initializer_list<LogField> fields = {}) { Log(LogLevel::kWarning, event, fields); }
  void Error(Literal event, std::initializer_list<LogField> fields = {}) { Log(LogLevel::kError, event, fields); }

  // The JSON line Log() would write (without the newline); exposed for tests.
  std::string Format(LogLevel level, Literal event, std::initializer_list<LogField> fields) const;

 private:
  std::FILE* out_;
  bool owns_;
  const Clock* clock_;
  LogLevel min_level_;
  std::mutex mu_;
};

}  // namespace accord::datasec

#endif  // ACCORD_DATASEC_LOG_H_
