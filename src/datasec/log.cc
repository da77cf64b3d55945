#include "datasec/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstring>

namespace accord::datasec {
namespace {

constexpr size_t kMaxIdentifier = 128;

// JSON string for text known to need no escaping beyond quotes/backslash/control characters.
void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (u < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out->append("\\u00");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 15]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

}  // namespace

bool IsLoggableIdentifier(std::string_view s) {
  if (s.empty() || s.size() > kMaxIdentifier) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void LogField::AppendTo(std::string* out) const {
  AppendJsonString(key_, out);
  out->push_back(':');
  if (const bool* b = std::get_if<bool>(&value_)) {
    out->append(*b ? "true" : "false");
  } else if (const int64_t* i = std::get_if<int64_t>(&value_)) {
    out->append(std::to_string(*i));
  } else if (const double* d = std::get_if<double>(&value_)) {
    if (std::isfinite(*d)) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.17g", *d);
      out->append(buf);
    } else {
      out->append("null");
    }
  } else if (const Literal* l = std::get_if<Literal>(&value_)) {
    AppendJsonString(l->view(), out);
  } else if (const Id* id = std::get_if<Id>(&value_)) {
    AppendJsonString(IsLoggableIdentifier(id->view()) ? id->view() : "[invalid]", out);
  } else if (const Status* const* st = std::get_if<const Status*>(&value_)) {
    out->append("{\"code\":");
    AppendJsonString(StatusCodeName((*st)->code()), out);
    out->append(",\"reason\":");
    std::string_view reason = (*st)->reason();
    AppendJsonString(reason.empty() || IsLoggableIdentifier(reason) ? reason : "[invalid]", out);
    out->push_back('}');
  }
}

Logger::Logger(std::FILE* out, bool owns, const Clock* clock, LogLevel min_level)
    : out_(out), owns_(owns), clock_(clock), min_level_(min_level) {}

Logger::~Logger() {
  if (owns_ && out_ != nullptr) std::fclose(out_);
}

std::unique_ptr<Logger> Logger::ToStderr(const Clock* clock, LogLevel min) {
  return std::make_unique<Logger>(stderr, false, clock, min);
}

Result<std::unique_ptr<Logger>> Logger::ToFile(const std::string& path, const Clock* clock,
                                               LogLevel min) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable(path + ": cannot open log file", "io_error");
  std::FILE* f = ::fdopen(fd, "a");
  if (f == nullptr) {
    ::close(fd);
    return Unavailable(path + ": cannot open log file", "io_error");
  }
  return std::make_unique<Logger>(f, true, clock, min);
}

std::string Logger::Format(LogLevel level, Literal event,
                           std::initializer_list<LogField> fields) const {
  std::string line = "{\"ts_ms\":" + std::to_string(clock_->NowMillis()) + ",\"level\":";
  AppendJsonString(LevelName(level), &line);
  line += ",\"event\":";
  AppendJsonString(event.view(), &line);
  for (const LogField& f : fields) {
    if (f.key() == "ts_ms" || f.key() == "level" || f.key() == "event") continue;
    line.push_back(',');
    f.AppendTo(&line);
  }
  line.push_back('}');
  return line;
}

void Logger::Log(LogLevel level, Literal event, std::initializer_list<LogField> fields) {
  if (level < min_level_) return;
  std::string line = Format(level, event, fields);
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace accord::datasec
