#include "http/metrics.h"

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace accord::http {
namespace {

bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

TEST(MetricsTest, CounterRendersWithHelpTypeAndLabels) {
  Registry registry;
  auto& tokens = registry.AddCounter("accord_tokens_total", "Tokens issued", {"client", "error"});
  tokens.WithLabels({"client-a", "none"}).Inc(2);
  tokens.WithLabels({"client-b", "invalid_grant"}).Inc();
  const std::string text = registry.RenderPrometheus();
  EXPECT_TRUE(Contains(text, "# HELP accord_tokens_total Tokens issued\n"));
  EXPECT_TRUE(Contains(text, "# TYPE accord_tokens_total counter\n"));
  EXPECT_TRUE(Contains(text, "accord_tokens_total{client=\"client-a\",error=\"none\"} 2\n"));
  EXPECT_TRUE(Contains(text, "accord_tokens_total{client=\"client-b\",error=\"invalid_grant\"} 1\n"));
}

TEST(MetricsTest, UnlabelledCounterHasNoBraces) {
  Registry registry;
  registry.AddCounter("accord_x_total", "x").WithLabels({}).Inc();
  EXPECT_TRUE(Contains(registry.RenderPrometheus(), "\naccord_x_total 1\n"));
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  Registry registry;
  registry.AddCounter("accord_y_total", "y", {"v"}).WithLabels({"a\"b\\c\nd"}).Inc();
  EXPECT_TRUE(Contains(registry.RenderPrometheus(), "accord_y_total{v=\"a\\\"b\\\\c\\nd\"} 1\n"));
}

TEST(MetricsTest, SameNameReturnsSameFamily) {
  Registry registry;
  auto& a = registry.AddCounter("accord_z_total", "z", {"l"});
  auto& b = registry.AddCounter("accord_z_total", "other help", {"other"});
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(&a.WithLabels({"1"}), &b.WithLabels({"1"}));
}

TEST(MetricsTest, InvalidNameCharactersAreReplaced) {
  Registry registry;
  registry.AddCounter("accord-bad name", "b").WithLabels({}).Inc();
  EXPECT_TRUE(Contains(registry.RenderPrometheus(), "accord_bad_name 1\n"));
}

TEST(MetricsTest, GaugeGoesUpAndDown) {
  Registry registry;
  auto& g = registry.AddGauge("accord_open", "open").WithLabels({});
  g.Add(3);
  g.Add(-1);
  EXPECT_EQ(g.Value(), 2);
  EXPECT_TRUE(Contains(registry.RenderPrometheus(), "# TYPE accord_open gauge\naccord_open 2\n"));
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  Registry registry;
  auto& h = registry.AddHistogram("accord_latency_seconds", "latency", {"route"}, {0.1, 1, 0.01})
                .WithLabels({"token"});
  h.Observe(0.005);
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(5);
  const std::string text = registry.RenderPrometheus();
  EXPECT_TRUE(Contains(text, "# TYPE accord_latency_seconds histogram\n"));
  EXPECT_TRUE(Contains(text, "accord_latency_seconds_bucket{route=\"token\",le=\"0.01\"} 1\n"));
  EXPECT_TRUE(Contains(text, "accord_latency_seconds_bucket{route=\"token\",le=\"0.1\"} 2\n"));
  EXPECT_TRUE(Contains(text, "accord_latency_seconds_bucket{route=\"token\",le=\"1\"} 3\n"));
  EXPECT_TRUE(Contains(text, "accord_latency_seconds_bucket{route=\"token\",le=\"+Inf\"} 4\n"));
  EXPECT_TRUE(Contains(text, "accord_latency_seconds_sum{route=\"token\"} 5.555\n"));
  EXPECT_TRUE(Contains(text, "accord_latency_seconds_count{route=\"token\"} 4\n"));
}

TEST(MetricsTest, ConcurrentIncrementsAreAllCounted) {
  Registry registry;
  Counter& c = registry.AddCounter("accord_c_total", "c").WithLabels({});
  Histogram& h = registry.AddHistogram("accord_h", "h").WithLabels({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.Inc();
        h.Observe(0.001);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.Value(), 40000u);
  EXPECT_EQ(h.Read().count, 40000u);
}

TEST(MetricsTest, FamiliesRenderSortedByName) {
  Registry registry;
  registry.AddCounter("accord_b_total", "b").WithLabels({}).Inc();
  registry.AddGauge("accord_a", "a").WithLabels({}).Set(1);
  const std::string text = registry.RenderPrometheus();
  EXPECT_LT(text.find("accord_a"), text.find("accord_b_total"));
}

TEST(MetricsTest, RaiseToMirrorsATotalAndNeverGoesBack) {
  Registry registry;
  Counter& c = registry.AddCounter("accord_m_total", "m").WithLabels({});
  c.RaiseTo(7);
  EXPECT_EQ(c.Value(), 7u);
  c.RaiseTo(5);  // an older reading of the source
  EXPECT_EQ(c.Value(), 7u);
  c.RaiseTo(9);
  EXPECT_EQ(c.Value(), 9u);
}

TEST(MetricsTest, CollectorRunsBeforeEveryRender) {
  Registry registry;
  uint64_t external_total = 3;  // a cumulative total kept outside the registry
  int runs = 0;
  auto& family = registry.AddCounter("accord_store_checkpoints_total", "Checkpoints run", {"mode"});
  auto& gauge = registry.AddGauge("accord_store_wal_frames", "Pages in the -wal").WithLabels({});
  registry.AddCollector([&] {
    ++runs;
    family.WithLabels({"background"}).RaiseTo(external_total);
    gauge.Set(static_cast<int64_t>(external_total) * 10);
  });
  EXPECT_EQ(runs, 0);  // nothing runs until a scrape
  std::string text = registry.RenderPrometheus();
  EXPECT_EQ(runs, 1);
  EXPECT_TRUE(Contains(text, "# HELP accord_store_checkpoints_total Checkpoints run\n"));
  EXPECT_TRUE(Contains(text, "# TYPE accord_store_checkpoints_total counter\n"));
  EXPECT_TRUE(Contains(text, "accord_store_checkpoints_total{mode=\"background\"} 3\n"));
  EXPECT_TRUE(Contains(text, "# TYPE accord_store_wal_frames gauge\naccord_store_wal_frames 30\n"));
  external_total = 11;
  text = registry.RenderPrometheus();
  EXPECT_EQ(runs, 2);
  EXPECT_TRUE(Contains(text, "accord_store_checkpoints_total{mode=\"background\"} 11\n"));
  EXPECT_TRUE(Contains(text, "accord_store_wal_frames 110\n"));
}

TEST(MetricsTest, CollectorMayRegisterFamiliesWhileCollecting) {
  Registry registry;
  registry.AddCollector([&registry] {
    registry.AddCounter("accord_late_total", "Registered by the collector")
        .WithLabels({})
        .RaiseTo(2);
  });
  const std::string text = registry.RenderPrometheus();
  EXPECT_TRUE(Contains(text, "# HELP accord_late_total Registered by the collector\n"
                             "# TYPE accord_late_total counter\n"
                             "accord_late_total 2\n"));
}

TEST(MetricsTest, ThrowingCollectorIsSkippedAndOthersStillRun) {
  Registry registry;
  Counter& c = registry.AddCounter("accord_after_total", "after").WithLabels({});
  registry.AddCollector([] { throw std::runtime_error("source unavailable"); });
  registry.AddCollector([&c] { c.RaiseTo(4); });
  EXPECT_TRUE(Contains(registry.RenderPrometheus(), "accord_after_total 4\n"));
}

TEST(MetricsTest, ConcurrentRendersRunCollectorsOneAtATime) {
  Registry registry;
  std::atomic<int> inside{0};
  std::atomic<int> overlaps{0};
  std::atomic<uint64_t> total{0};
  Counter& c = registry.AddCounter("accord_cc_total", "cc").WithLabels({});
  registry.AddCollector([&] {
    if (inside.fetch_add(1) != 0) overlaps.fetch_add(1);
    c.RaiseTo(total.fetch_add(1) + 1);
    inside.fetch_sub(1);
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) registry.RenderPrometheus();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_EQ(c.Value(), 800u);
}

}  // namespace
}  // namespace accord::http
