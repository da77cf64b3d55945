// GroupSync: concurrent commits share syncs; no commit is acknowledged before a sync that
// started after it; a failed sync fails what it covered. Plus the SQLite store end to end.
#include "store/sqlite/group_sync.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "store/store_test_env.h"

namespace accord::store::sqlite {
namespace {

using namespace std::chrono_literals;

TEST(GroupSyncTest, ConcurrentWritersShareSyncs) {
  GroupSync group;
  std::atomic<int> sync_calls{0};
  auto slow_sync = [&] {
    sync_calls.fetch_add(1);
    std::this_thread::sleep_for(20ms);  // an fdatasync on a slow disk
    return Status::Ok();
  };
  constexpr int kWriters = 16;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&] {
      if (group.AwaitDurable(slow_sync).ok()) ok.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kWriters);
  EXPECT_EQ(group.commits(), static_cast<uint64_t>(kWriters));
  EXPECT_EQ(group.syncs(), static_cast<uint64_t>(sync_calls.load()));
  EXPECT_GE(group.syncs(), 1u);
  EXPECT_LE(group.syncs(), static_cast<uint64_t>(kWriters / 2)) << "syncs were not shared";
}

TEST(GroupSyncTest, CommitIsNotAcknowledgedBeforeASyncThatStartedAfterIt) {
  GroupSync group;
  std::promise<void> sync_started;
  std::promise<void> release_sync;
  std::shared_future<void> release = release_sync.get_future().share();
  std::atomic<bool> first_done{false};
  std::thread first([&] {
    Status s = group.AwaitDurable([&] {
      sync_started.set_value();
      release.wait();  // the disk has not answered yet
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok());
    first_done = true;
  });
  sync_started.get_future().wait();
  // This commit happened while the first sync was already running: that sync may not cover it.
  std::atomic<int> second_syncs{0};
  std::atomic<bool> second_done{false};
  std::thread second([&] {
    Status s = group.AwaitDurable([&] {
      second_syncs.fetch_add(1);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok());
    second_done = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(first_done.load()) << "acknowledged before its sync finished";
  EXPECT_FALSE(second_done.load()) << "acknowledged before any sync covering it";
  release_sync.set_value();
  first.join();
  second.join();
  EXPECT_EQ(second_syncs.load(), 1) << "the later commit needs its own sync";
  EXPECT_EQ(group.syncs(), 2u);
}

TEST(GroupSyncTest, FailedSyncFailsTheCommitsItCovered) {
  GroupSync group;
  Status s = group.AwaitDurable([] { return Unavailable("fdatasync failed", "db_unavailable"); });
  EXPECT_EQ(s.reason(), "db_unavailable");
  // A later commit gets its own sync.
  EXPECT_TRUE(group.AwaitDurable([] { return Status::Ok(); }).ok());
}

TEST(GroupSyncTest, SqliteStoreWritesShareWalSyncs) {
  testing::SqliteBackend backend;
  ASSERT_TRUE(backend.Create().ok());
  {
    auto store = backend.Open(backend.Migrations());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    constexpr int kThreads = 8;
    constexpr int kWrites = 25;
    const uint64_t before = GroupSync::TotalSyncs();
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kWrites; ++i) {
          const std::string key = "jti-" + std::to_string(t) + "-" + std::to_string(i);
          if ((*store)->RecordOnce(ReplayScope::kDpopProof, key, 2'000'000'000, 1'700'000'000).ok()) {
            ok.fetch_add(1);
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    const uint64_t syncs = GroupSync::TotalSyncs() - before;
    EXPECT_EQ(ok.load(), kThreads * kWrites);
    EXPECT_GE(syncs, 1u) << "writes were acknowledged without a WAL sync";
    EXPECT_LE(syncs, static_cast<uint64_t>(kThreads * kWrites));
    // Every write is visible (and was synced) when its call returned.
    for (int t = 0; t < kThreads; ++t) {
      auto seen = (*store)->IsRecorded(ReplayScope::kDpopProof, "jti-" + std::to_string(t) + "-0",
                                       1'700'000'000);
      ASSERT_TRUE(seen.ok());
      EXPECT_TRUE(*seen);
    }
  }
  backend.Destroy();
}

}  // namespace
}  // namespace accord::store::sqlite
