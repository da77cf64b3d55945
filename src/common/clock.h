// Clock: time behind an interface so tests can inject a fixed or stepping clock.
//
// Thread safety: implementations must be safe for concurrent calls.
#ifndef ACCORD_COMMON_CLOCK_H_
#define ACCORD_COMMON_CLOCK_H_

#include <atomic>
#include <cstdint>

namespace accord {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch (NumericDate, RFC 7519 section 2).
  virtual int64_t NowSeconds() const = 0;
  // Milliseconds since the Unix epoch.
  virtual int64_t NowMillis() const { return NowSeconds() * 1000; }
};

class SystemClock final : public Clock {
 public:
  int64_t NowSeconds() const override;
  int64_t NowMillis() const override;
  // A process-wide instance; never destroyed.
  static const SystemClock& Instance();
};

// A clock tests set by hand.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(int64_t now_seconds) : now_ms_(now_seconds * 1000) {}
  int64_t NowSeconds() const override { return now_ms_.load() / 1000; }
  int64_t NowMillis() const override { return now_ms_.load(); }
  void SetSeconds(int64_t s) { now_ms_.store(s * 1000); }
  void AdvanceSeconds(int64_t s) { now_ms_.fetch_add(s * 1000); }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace accord

#endif  // ACCORD_COMMON_CLOCK_H_
