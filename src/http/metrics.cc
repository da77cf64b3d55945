#include "http/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace accord::http {
namespace metrics_internal {

size_t ThreadShard() {
  static std::atomic<size_t> next{0};
  thread_local const size_t shard = next.fetch_add(1, std::memory_order_relaxed) % kShards;
  return shard;
}

}  // namespace metrics_internal

namespace {

std::string SanitizeName(std::string_view name) {
  std::string out(name);
  for (size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) out[i] = '_';
  }
  if (out.empty()) out.push_back('_');
  return out;
}

std::string FormatDouble(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  // Prefer the shortest form that round-trips (e.g. "0.005" rather than "0.0050000000000000001").
  for (int precision = 1; precision <= 17; ++precision) {
    char shorter[64];
    std::snprintf(shorter, sizeof(shorter), "%.*g", precision, v);
    if (std::strtod(shorter, nullptr) == v) return shorter;
  }
  return buf;
}

void AppendLabels(std::string& out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out.push_back('{');
  bool first = true;
  for (size_t i = 0; i < names.size(); ++i) {
    if (!first) out.push_back(',');
    first = false;
    out.append(names[i]).append("=\"").append(EscapeLabelValue(values[i])).push_back('"');
  }
  if (!extra_name.empty()) {
    if (!first) out.push_back(',');
    out.append(extra_name).append("=\"").append(extra_value).push_back('"');
  }
  out.push_back('}');
}

void AppendHeader(std::string& out, const std::string& name, const std::string& help,
                  std::string_view type) {
  std::string escaped_help;
  for (char c : help) {
    if (c == '\\') escaped_help += "\\\\";
    else if (c == '\n') escaped_help += "\\n";
    else escaped_help.push_back(c);
  }
  out.append("# HELP ").append(name).append(" ").append(escaped_help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

template <typename T>
T& GetOrCreate(std::mutex& mu, std::map<std::string, std::unique_ptr<T>, std::less<>>& map,
               std::string_view name, std::string_view help, std::vector<std::string> labels,
               std::vector<double> bounds = {}) {
  std::string sanitized = SanitizeName(name);
  for (std::string& l : labels) l = SanitizeName(l);
  std::lock_guard lock(mu);
  auto it = map.find(sanitized);
  if (it != map.end()) return *it->second;
  auto family = std::make_unique<T>(sanitized, std::string(help), std::move(labels),
                                    std::move(bounds));
  T& ref = *family;
  map.emplace(std::move(sanitized), std::move(family));
  return ref;
}

}  // namespace

void Counter::RaiseTo(uint64_t total) {
  uint64_t seen = mirrored_.load(std::memory_order_relaxed);
  while (seen < total &&
         !mirrored_.compare_exchange_weak(seen, total, std::memory_order_relaxed)) {
  }
}

uint64_t Counter::Value() const {
  uint64_t total = mirrored_.load(std::memory_order_relaxed);
  for (const auto& s : shards_) total += s.value.load(std::memory_order_relaxed);
  return total;
}

Histogram::Histogram(const std::vector<double>* bounds) : bounds_(bounds) {
  shards_.reserve(metrics_internal::kShards);
  for (size_t i = 0; i < metrics_internal::kShards; ++i) {
    shards_.push_back(std::make_unique<Shard>(bounds_->size()));
  }
}

void Histogram::Observe(double value) {
  const auto it = std::lower_bound(bounds_->begin(), bounds_->end(), value);
  Shard& shard = *shards_[metrics_internal::ThreadShard()];
  shard.buckets[static_cast<size_t>(it - bounds_->begin())].fetch_add(1, std::memory_order_relaxed);
  const double micros = value > 0 ? value * 1e6 : 0;
  shard.sum_micros.fetch_add(static_cast<uint64_t>(std::llround(micros)),
                             std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snap;
  snap.cumulative.assign(bounds_->size() + 1, 0);
  uint64_t sum_micros = 0;
  for (const auto& shard : shards_) {
    for (size_t i = 0; i < shard->buckets.size(); ++i) {
      snap.cumulative[i] += shard->buckets[i].load(std::memory_order_relaxed);
    }
    sum_micros += shard->sum_micros.load(std::memory_order_relaxed);
  }
  for (size_t i = 1; i < snap.cumulative.size(); ++i) snap.cumulative[i] += snap.cumulative[i - 1];
  snap.count = snap.cumulative.back();
  snap.sum = static_cast<double>(sum_micros) / 1e6;
  return snap;
}

template <typename T>
T& Family<T>::WithLabels(const std::vector<std::string>& values) {
  std::vector<std::string> key(values.begin(),
                               values.begin() + std::min(values.size(), label_names_.size()));
  key.resize(label_names_.size());
  std::lock_guard lock(mu_);
  auto it = children_.find(key);
  if (it != children_.end()) return *it->second;
  std::unique_ptr<T> child;
  if constexpr (std::is_same_v<T, Histogram>) {
    child = std::make_unique<Histogram>(&bounds_);
  } else {
    child = std::make_unique<T>();
  }
  T& ref = *child;
  children_.emplace(std::move(key), std::move(child));
  return ref;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

const std::vector<double>& DefaultLatencyBuckets() {
  static const std::vector<double> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                               0.05,   0.1,   0.25,   0.5,   1,    2.5,
                                               5,      10};
  return kBuckets;
}

CounterFamily& Registry::AddCounter(std::string_view name, std::string_view help,
                                    std::vector<std::string> label_names) {
  return GetOrCreate(mu_, counters_, name, help, std::move(label_names));
}

GaugeFamily& Registry::AddGauge(std::string_view name, std::string_view help,
                                std::vector<std::string> label_names) {
  return GetOrCreate(mu_, gauges_, name, help, std::move(label_names));
}

HistogramFamily& Registry::AddHistogram(std::string_view name, std::string_view help,
                                        std::vector<std::string> label_names,
                                        std::vector<double> bounds) {
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  std::erase_if(bounds, [](double b) { return !std::isfinite(b); });
  return GetOrCreate(mu_, histograms_, name, help, std::move(label_names), std::move(bounds));
}

void Registry::AddCollector(std::function<void()> collect) {
  if (!collect) return;
  std::lock_guard lock(collect_mu_);
  collectors_.push_back(std::move(collect));
}

void Registry::RunCollectors() const {
  std::lock_guard lock(collect_mu_);
  for (const auto& collect : collectors_) {
    try {
      collect();
    } catch (...) {
      // Its metrics keep the values of the last collection that succeeded.
    }
  }
}

std::string Registry::RenderPrometheus() const {
  RunCollectors();  // before mu_: collectors add families and resolve children
  // Render each family into its own text, then emit them sorted by name.
  std::map<std::string_view, std::string> blocks;
  std::lock_guard lock(mu_);
  for (const auto& entry : counters_) {
    const auto* family = entry.second.get();
    std::string& out = blocks[entry.first];
    AppendHeader(out, family->name(), family->help(), "counter");
    family->ForEach([&](const std::vector<std::string>& labels, const Counter& c) {
      out.append(family->name());
      AppendLabels(out, family->label_names(), labels);
      out.append(" ").append(std::to_string(c.Value())).append("\n");
    });
  }
  for (const auto& entry : gauges_) {
    const auto* family = entry.second.get();
    std::string& out = blocks[entry.first];
    AppendHeader(out, family->name(), family->help(), "gauge");
    family->ForEach([&](const std::vector<std::string>& labels, const Gauge& g) {
      out.append(family->name());
      AppendLabels(out, family->label_names(), labels);
      out.append(" ").append(std::to_string(g.Value())).append("\n");
    });
  }
  for (const auto& entry : histograms_) {
    const auto* family = entry.second.get();
    std::string& out = blocks[entry.first];
    AppendHeader(out, family->name(), family->help(), "histogram");
    family->ForEach([&](const std::vector<std::string>& labels, const Histogram& h) {
      const Histogram::Snapshot snap = h.Read();
      const auto& bounds = family->bounds();
      for (size_t i = 0; i <= bounds.size(); ++i) {
        out.append(family->name()).append("_bucket");
        AppendLabels(out, family->label_names(), labels, "le",
                     i < bounds.size() ? FormatDouble(bounds[i]) : "+Inf");
        out.append(" ").append(std::to_string(snap.cumulative[i])).append("\n");
      }
      out.append(family->name()).append("_sum");
      AppendLabels(out, family->label_names(), labels);
      out.append(" ").append(FormatDouble(snap.sum)).append("\n");
      out.append(family->name()).append("_count");
      AppendLabels(out, family->label_names(), labels);
      out.append(" ").append(std::to_string(snap.count)).append("\n");
    });
  }
  std::string text;
  for (const auto& [name, block] : blocks) text.append(block);
  return text;
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
  return out;
}

}  // namespace accord::http
