// Retention: how long each record type may be kept, and the background sweeper that enforces it
// (docs/security.md, "Retention and erasure").
//
// <dir>/retention.toml: [retention] <record type> = "<n>s|m|h|d" for the types Accord writes with a
// lifetime. Enforcement:
//   - SealingStore clamps expires_at of sessions, PAR requests / login transactions, refresh
//     families and logout deliveries to created_at + the period (records die sooner, never later);
//   - RetentionSweeper calls Store::SweepExpired every interval, which deletes those rows at expiry
//     (codes one hour after expiry, for reuse detection);
//   - consents: the released-attribute snapshot (Consent::claims_json) is erased when the consent
//     is revoked and when it is older than released_attribute_snapshots (on read, and by the
//     sweep); consents are deleted once older than "consents" (SealingStore::SweepExpired calls
//     Store::SweepConsents with both cutoffs).
//
// Thread safety: RetentionPolicy is an immutable value. RetentionSweeper: Start/Stop from one
// thread; RunOnce and last_stats are safe concurrently.
#ifndef ACCORD_DATASEC_RETENTION_H_
#define ACCORD_DATASEC_RETENTION_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "common/clock.h"
#include "common/status.h"
#include "store/store.h"

namespace accord::datasec {

class RetentionPolicy {
 public:
  // Defaults (seconds): sessions 12 h, pushed_requests / login_transactions 10 min, refresh
  // families 30 d, logout deliveries 1 d, consents 400 d, released-attribute snapshots 90 d.
  RetentionPolicy();
  static Result<RetentionPolicy> Load(const std::string& dir);  // <dir>/retention.toml
  static Result<RetentionPolicy> Parse(std::string_view toml_text,
                                       std::string_view file = "retention.toml");
  // Seconds, or 0 when the type has no period (kept until its own expiry rule).
  int64_t Seconds(std::string_view record_type) const;
  // min(expires_at, created_at + period) (expires_at unchanged when no period applies).
  int64_t Clamp(std::string_view record_type, int64_t created_at, int64_t expires_at) const;
  const std::map<std::string, int64_t, std::less<>>& periods() const { return periods_; }

 private:
  std::map<std::string, int64_t, std::less<>> periods_;
};

// Parses "90d", "12h", "10m", "30s" (1 s .. 10 years). Nullopt-like error: InvalidArgument.
Result<int64_t> ParseDuration(std::string_view text);

class RetentionSweeper {
 public:
  // `store` and `clock` must outlive the sweeper. interval >= 1 s.
  RetentionSweeper(store::Store* store, const Clock* clock, std::chrono::milliseconds interval);
  ~RetentionSweeper();  // Stop()s
  RetentionSweeper(const RetentionSweeper&) = delete;
  RetentionSweeper& operator=(const RetentionSweeper&) = delete;

  // Starts the background thread (first sweep immediately). No-op when running.
  void Start();
  // Wakes and joins the thread; returns after any sweep in progress finishes.
  void Stop();
  // One sweep now (also what the thread runs).
  Result<store::SweepStats> RunOnce();

  int64_t sweeps() const { return sweeps_.load(); }
  int64_t failures() const { return failures_.load(); }
  int64_t rows_deleted() const { return rows_deleted_.load(); }

 private:
  void Loop();
  store::Store* store_;
  const Clock* clock_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
  std::atomic<int64_t> sweeps_{0}, failures_{0}, rows_deleted_{0};
};

}  // namespace accord::datasec

#endif  // ACCORD_DATASEC_RETENTION_H_
