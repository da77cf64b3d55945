#include "http/internal/handler_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "common/blocking_region.h"

namespace accord::http::internal {
namespace {

using namespace std::chrono_literals;

// Waits (bounded) until `done` holds.
template <typename F>
bool Eventually(F done) {
  for (int i = 0; i < 2000 && !done(); ++i) std::this_thread::sleep_for(1ms);
  return done();
}

TEST(HandlerPoolTest, RunsEveryPostedTaskBeforeJoinReturns) {
  std::atomic<int> ran{0};
  {
    HandlerPool pool(4, 2);
    for (int i = 0; i < 100; ++i) pool.Post([&] { ran.fetch_add(1); });
    pool.Join();
    EXPECT_EQ(ran.load(), 100);
    pool.Post([&] { ran.fetch_add(1); });  // after Join: dropped, not run
  }
  EXPECT_EQ(ran.load(), 100);
}

TEST(HandlerPoolTest, NoMoreThanConcurrencyTasksRunAtOnce) {
  HandlerPool pool(8, 2);
  std::atomic<int> now{0}, peak{0}, done{0};
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  for (int i = 0; i < 6; ++i) {
    pool.Post([&] {
      const int n = now.fetch_add(1) + 1;
      int p = peak.load();
      while (n > p && !peak.compare_exchange_weak(p, n)) {
      }
      gate.wait();  // unmarked wait: still counts as running
      now.fetch_sub(1);
      done.fetch_add(1);
    });
  }
  ASSERT_TRUE(Eventually([&] { return now.load() == 2; }));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(now.load(), 2);
  EXPECT_EQ(pool.queued(), 4u);
  release.set_value();
  ASSERT_TRUE(Eventually([&] { return done.load() == 6; }));
  EXPECT_EQ(peak.load(), 2);
}

TEST(HandlerPoolTest, ATaskWaitingInABlockingRegionLetsAnotherRun) {
  // One slot. The first task waits, marked, for something only the second task produces: without
  // the region this would stall; with it the second task runs on another thread.
  HandlerPool pool(2, 1);
  std::promise<void> produced;
  std::future<void> consumed = produced.get_future();
  std::atomic<bool> first_done{false};
  pool.Post([&] {
    BlockingRegion waiting;
    EXPECT_EQ(consumed.wait_for(5s), std::future_status::ready);
    first_done = true;
  });
  ASSERT_TRUE(Eventually([&] { return pool.blocked() == 1; }));
  EXPECT_EQ(pool.running(), 0u);
  pool.Post([&] { produced.set_value(); });
  ASSERT_TRUE(Eventually([&] { return first_done.load(); }));
  pool.Join();
  EXPECT_EQ(pool.running(), 0u);
  EXPECT_EQ(pool.blocked(), 0u);
}

TEST(HandlerPoolTest, WhenEveryThreadWaitsTasksQueueInOrder) {
  HandlerPool pool(1, 1);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::vector<int> order;
  pool.Post([&] {
    BlockingRegion waiting;
    gate.wait();
  });
  for (int i = 0; i < 3; ++i) pool.Post([&order, i] { order.push_back(i); });
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(pool.queued(), 3u);  // the only thread is waiting: nothing else can run
  release.set_value();
  pool.Join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
}

TEST(HandlerPoolTest, ConcurrencyIsClampedToTheThreads) {
  HandlerPool pool(3, 10);
  EXPECT_EQ(pool.concurrency(), 3u);
  HandlerPool at_least_one(2, 0);
  EXPECT_EQ(at_least_one.concurrency(), 1u);
}

}  // namespace
}  // namespace accord::http::internal
