// GroupSync: concurrent commits share syncs; no commit is acknowledged before a sync that
// started after it; a failed sync fails what it covered. Plus the SQLite store end to end.
#include "store/sqlite/group_sync.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "common/deferred_ack.h"
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

TEST(GroupSyncTest, NotificationsAreAnsweredOnlyAfterASyncThatStartedAfterThem) {
  std::atomic<int> syncs_started{0};
  std::promise<void> first_sync_entered;
  std::promise<void> let_first_finish;
  std::shared_future<void> gate = let_first_finish.get_future().share();
  auto sync = [&] {
    if (syncs_started.fetch_add(1) == 0) {
      first_sync_entered.set_value();
      gate.wait();
    }
    return Status::Ok();
  };
  std::promise<int> first_answer, second_answer;
  {
    GroupSync group;
    group.NotifyDurable(sync, [&](Status s) { first_answer.set_value(s.ok() ? syncs_started.load() : -1); });
    first_sync_entered.get_future().wait();
    // Registered while the first sync runs: that sync does not cover it.
    group.NotifyDurable(sync, [&](Status s) { second_answer.set_value(s.ok() ? syncs_started.load() : -1); });
    let_first_finish.set_value();
    EXPECT_EQ(first_answer.get_future().get(), 1);
    EXPECT_EQ(second_answer.get_future().get(), 2);
  }
}

// The syncer gathers: commits that arrive one after another soon after a sync started share the
// next sync, which starts no sooner than the gather interval after the previous one; an idle
// store's first commit is synced at once.
TEST(GroupSyncTest, TheSyncerGathersCommitsArrivingWithinTheIntervalIntoOneSync) {
  constexpr auto kGather = 300ms;
  std::mutex mu;
  std::vector<std::chrono::steady_clock::time_point> starts;
  auto sync = [&] {
    std::lock_guard lock(mu);
    starts.push_back(std::chrono::steady_clock::now());
    return Status::Ok();
  };
  GroupSync group(std::chrono::duration_cast<std::chrono::microseconds>(kGather));
  const auto t0 = std::chrono::steady_clock::now();
  std::promise<void> first;
  group.NotifyDurable(sync, [&](Status) { first.set_value(); });
  first.get_future().wait();
  std::vector<std::promise<void>> later(5);
  for (auto& p : later) group.NotifyDurable(sync, [&p](Status) { p.set_value(); });
  for (auto& p : later) p.get_future().wait();
  std::lock_guard lock(mu);
  ASSERT_EQ(starts.size(), 2u);  // one for the first commit, one for the five after it
  EXPECT_LT(starts[0] - t0, kGather);  // idle: at once
  EXPECT_GE(starts[1] - starts[0], kGather);
  EXPECT_EQ(group.syncs(), 2u);
}

TEST(GroupSyncTest, ManyNotificationsShareSyncsAndAFailureFailsWhatItCovered) {
  std::atomic<int> syncs{0};
  std::atomic<bool> fail{false};
  auto sync = [&] {
    syncs.fetch_add(1);
    std::this_thread::sleep_for(2ms);
    return fail.load() ? Unavailable("fdatasync failed", "db_unavailable") : Status::Ok();
  };
  constexpr int kCommits = 200;
  std::atomic<int> ok{0};
  {
    GroupSync group;
    for (int i = 0; i < kCommits; ++i) {
      group.NotifyDurable(sync, [&](Status s) { if (s.ok()) ok.fetch_add(1); });
    }
  }  // the destructor answers every pending notification before it returns
  EXPECT_EQ(ok.load(), kCommits);
  EXPECT_LT(syncs.load(), kCommits);

  fail = true;
  std::promise<Status> failed;
  GroupSync group;
  group.NotifyDurable(sync, [&](Status s) { failed.set_value(s); });
  EXPECT_EQ(failed.get_future().get().reason(), "db_unavailable");
}

// Inside a DeferredAck scope a store write returns before its fsync and leaves the wait to the
// scope's owner; the write is visible at once and the wait reports it durable.
TEST(GroupSyncTest, StoreWriteInsideADeferredAckScopeDefersTheSync) {
  testing::SqliteBackend backend;
  ASSERT_TRUE(backend.Create().ok());
  auto store = backend.Open(backend.Migrations());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::vector<DeferredAck::Wait> waits;
  {
    DeferredAck::Scope scope;
    ASSERT_TRUE((*store)->RecordOnce(ReplayScope::kDpopProof, "deferred", 2'000'000'000,
                                     1'700'000'000).ok());
    waits = scope.Take();
  }
  ASSERT_EQ(waits.size(), 1u);
  auto seen = (*store)->IsRecorded(ReplayScope::kDpopProof, "deferred", 1'700'000'000);
  ASSERT_TRUE(seen.ok());
  EXPECT_TRUE(*seen);
  const uint64_t before = GroupSync::TotalSyncs();
  std::promise<Status> durable;
  waits[0]([&](Status s) { durable.set_value(s); });
  EXPECT_TRUE(durable.get_future().get().ok());
  EXPECT_GE(GroupSync::TotalSyncs(), before + 1);
  // Without a scope the same write blocks until durable and leaves nothing behind.
  EXPECT_EQ(DeferredAck::Current(), nullptr);
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
