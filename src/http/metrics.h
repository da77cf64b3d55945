// Metrics registry: counters, gauges and histograms with labels, rendered in the Prometheus text
// exposition format (version 0.0.4). Beast-free so any module can use it.
//
// Usage: register a family once at start-up, resolve the labelled child once (or lazily) and keep
// the reference; updating a child is lock-free (relaxed atomics spread over per-thread shards),
// so hot paths take no mutex. Resolving a child (WithLabels) takes the family's mutex. Values
// kept elsewhere are published by a collector (AddCollector) that runs before each render.
//
//   auto& tokens = registry.AddCounter("accord_tokens_issued_total", "Tokens issued", {"client"});
//   tokens.WithLabels({"client-a"}).Inc();
//
// Lifetime: families and children live as long as the Registry; references stay valid.
// Thread safety: everything is safe to call concurrently.
#ifndef ACCORD_HTTP_METRICS_H_
#define ACCORD_HTTP_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace accord::http {

namespace metrics_internal {
inline constexpr size_t kShards = 8;
// This thread's shard index (threads are assigned round-robin).
size_t ThreadShard();
struct alignas(64) Cell {
  std::atomic<uint64_t> value{0};
};
}  // namespace metrics_internal

class Counter {
 public:
  void Inc(uint64_t n = 1) {
    shards_[metrics_internal::ThreadShard()].value.fetch_add(n, std::memory_order_relaxed);
  }
  // For a counter mirroring a cumulative total kept elsewhere (a store's commits), copied in by
  // a Registry collector: the counter reads the largest total published so far, so it never
  // goes back even if a source is read out of order. Use either Inc or RaiseTo on a child.
  void RaiseTo(uint64_t total);
  uint64_t Value() const;

 private:
  std::array<metrics_internal::Cell, metrics_internal::kShards> shards_;
  std::atomic<uint64_t> mirrored_{0};  // RaiseTo's maximum
};

class Gauge {
 public:
  void Set(int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void Add(int64_t d) { value_.fetch_add(d, std::memory_order_relaxed); }
  int64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

// Cumulative histogram with fixed upper bounds (+Inf implied). The sum is kept in integer
// micro-units (value * 1e6) so it can be a lock-free atomic; values are expected >= 0.
class Histogram {
 public:
  explicit Histogram(const std::vector<double>* bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf
    uint64_t count = 0;
    double sum = 0;
  };
  Snapshot Read() const;

 private:
  struct alignas(64) Shard {
    explicit Shard(size_t n) : buckets(n + 1) {}
    std::vector<std::atomic<uint64_t>> buckets;  // non-cumulative; last is +Inf
    std::atomic<uint64_t> sum_micros{0};
  };
  const std::vector<double>* bounds_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

// A named metric with label names; children are created on first use of a label-value tuple.
template <typename T>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::vector<double> bounds = {})
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)),
        bounds_(std::move(bounds)) {}

  // `values` must have one entry per label name (missing ones render as "", extras are dropped).
  T& WithLabels(const std::vector<std::string>& values);

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& bounds() const { return bounds_; }
  // Calls f(label_values, child) for each child, in label order, under the family's mutex.
  template <typename F>
  void ForEach(F f) const {
    std::lock_guard lock(mu_);
    for (const auto& [labels, child] : children_) f(labels, *child);
  }

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<T>> children_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// Default latency buckets in seconds (0.5 ms .. 10 s).
const std::vector<double>& DefaultLatencyBuckets();

class Registry {
 public:
  // Get-or-create by name: a second call with the same name returns the first family (its help,
  // labels and buckets win). Names must match [a-zA-Z_:][a-zA-Z0-9_:]* (other characters become
  // '_'); a name must not be used for two metric types.
  CounterFamily& AddCounter(std::string_view name, std::string_view help,
                            std::vector<std::string> label_names = {});
  GaugeFamily& AddGauge(std::string_view name, std::string_view help,
                        std::vector<std::string> label_names = {});
  HistogramFamily& AddHistogram(std::string_view name, std::string_view help,
                                std::vector<std::string> label_names = {},
                                std::vector<double> bounds = DefaultLatencyBuckets());

  // Adds a collector: RenderPrometheus() first runs every collector, one at a time in the order
  // added, so metrics mirroring values kept elsewhere (Counter::RaiseTo, Gauge::Set) are current
  // when scraped. A collector may add families and update children; it must not render or add
  // collectors (deadlock). What it captures must stay valid while the registry renders. A
  // collector that throws is skipped for that render (its metrics keep their last values).
  void AddCollector(std::function<void()> collect);

  // Runs the collectors, then renders the whole registry in the Prometheus text format,
  // families sorted by name.
  std::string RenderPrometheus() const;

 private:
  void RunCollectors() const;

  mutable std::mutex collect_mu_;  // taken before mu_, never while holding it
  std::vector<std::function<void()>> collectors_;  // guarded by collect_mu_
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<CounterFamily>, std::less<>> counters_;
  std::map<std::string, std::unique_ptr<GaugeFamily>, std::less<>> gauges_;
  std::map<std::string, std::unique_ptr<HistogramFamily>, std::less<>> histograms_;
};

// Escapes a label value for the text format (backslash, double quote, newline).
std::string EscapeLabelValue(std::string_view value);

}  // namespace accord::http

#endif  // ACCORD_HTTP_METRICS_H_
