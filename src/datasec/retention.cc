#include "datasec/retention.h"

#include <algorithm>

#include "datasec/classification.h"
#include "datasec/internal/config_util.h"

namespace accord::datasec {
namespace {

constexpr int64_t kMinute = 60, kHour = 3600, kDay = 86400;
constexpr int64_t kMaxPeriod = 3660 * kDay;

}  // namespace

Result<int64_t> ParseDuration(std::string_view text) {
  if (text.size() < 2 || text.size() > 12) return InvalidArgument("bad duration", "bad_config");
  int64_t unit = 0;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = kMinute; break;
    case 'h': unit = kHour; break;
    case 'd': unit = kDay; break;
    default: return InvalidArgument("duration unit must be s, m, h or d", "bad_config");
  }
  int64_t n = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return InvalidArgument("duration must be <digits><unit>", "bad_config");
    n = n * 10 + (c - '0');
    if (n > kMaxPeriod) return InvalidArgument("duration longer than 10 years", "bad_config");
  }
  int64_t seconds = n * unit;
  if (seconds < 1 || seconds > kMaxPeriod) {
    return InvalidArgument("duration must be 1 s .. 10 years", "bad_config");
  }
  return seconds;
}

RetentionPolicy::RetentionPolicy()
    : periods_{{"sessions", 12 * kHour},
               {"pushed_requests", 10 * kMinute},
               {"login_transactions", 10 * kMinute},
               {"refresh_families", 30 * kDay},
               {"logout_deliveries", kDay},
               {"consents", 400 * kDay},
               {"released_attribute_snapshots", 90 * kDay}} {}

Result<RetentionPolicy> RetentionPolicy::Load(const std::string& dir) {
  ACCORD_ASSIGN_OR_RETURN(std::string text, internal::ReadBoundedFile(dir + "/retention.toml"));
  return Parse(text);
}

Result<RetentionPolicy> RetentionPolicy::Parse(std::string_view toml_text, std::string_view file) {
  ACCORD_ASSIGN_OR_RETURN(toml::table root, internal::ParseTomlText(toml_text, file));
  RetentionPolicy policy;
  for (const auto& [k, v] : root) {
    if (k != "retention") return internal::ConfigError(file, k.str(), "unknown key");
  }
  const toml::table* t = root["retention"].as_table();
  if (t == nullptr) return internal::ConfigError(file, "retention", "missing [retention] table");
  for (const auto& [name, node] : *t) {
    std::string key = "retention." + std::string(name.str());
    bool known = false;
    for (const char* r : kRecordTypes) known = known || name.str() == r;
    if (!known) return internal::ConfigError(file, key, "unknown record type");
    const auto* s = node.as_string();
    if (s == nullptr) return internal::ConfigError(file, key, "must be a duration string (\"90d\")");
    auto seconds = ParseDuration(s->get());
    if (!seconds.ok()) return internal::ConfigError(file, key, seconds.status().message());
    policy.periods_[std::string(name.str())] = *seconds;
  }
  return policy;
}

int64_t RetentionPolicy::Seconds(std::string_view record_type) const {
  auto it = periods_.find(record_type);
  return it == periods_.end() ? 0 : it->second;
}

int64_t RetentionPolicy::Clamp(std::string_view record_type, int64_t created_at,
                               int64_t expires_at) const {
  int64_t period = Seconds(record_type);
  if (period == 0) return expires_at;
  return std::min(expires_at, created_at + period);
}

RetentionSweeper::RetentionSweeper(store::Store* store, const Clock* clock,
                                   std::chrono::milliseconds interval)
    : store_(store), clock_(clock), interval_(std::max(interval, std::chrono::milliseconds(1000))) {}

RetentionSweeper::~RetentionSweeper() { Stop(); }

void RetentionSweeper::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void RetentionSweeper::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<store::SweepStats> RetentionSweeper::RunOnce() {
  auto stats = store_->SweepExpired(clock_->NowSeconds());
  ++sweeps_;
  if (!stats.ok()) {
    ++failures_;
    return stats.status();
  }
  rows_deleted_ += stats->Total();
  return stats;
}

void RetentionSweeper::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    (void)RunOnce();  // failures are counted; the next interval retries
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

}  // namespace accord::datasec
