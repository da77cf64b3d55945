// WriteBatcher on a real SQLite file: queued write transactions commit as one, and each caller
// gets what it would have got alone (its own error with its writes undone, its verdict with its
// writes kept). Plus, on a scripted connection, the failures that end a whole batch.
#include "store/internal/write_batcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/testing/temp_dir.h"
#include "store/internal/pool.h"
#include "store/internal/transaction.h"
#include "store/sqlite/sqlite_conn.h"

namespace accord::store::sqlite {
namespace {

using internal::ConnPool;
using internal::SqlConn;
using internal::SqlResult;
using internal::SqlStatement;
using internal::Transact;
using namespace std::chrono_literals;

constexpr SqlStatement kInsert{"wb_insert", "INSERT INTO t (k) VALUES ($1)"};
constexpr SqlStatement kCount{"wb_count", "SELECT count(*) FROM t WHERE k = $1"};

class WriteBatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path = dir_.File("db.sqlite");
    auto factory = [this, path]() -> Result<std::unique_ptr<SqlConn>> {
      ACCORD_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConn> conn,
                              SqliteConn::Open(path, 1000, &shared_));
      return std::unique_ptr<SqlConn>(std::move(conn));
    };
    pool_ = std::make_unique<ConnPool>(factory, 2, 2000ms);
    pool_->SetWriterPool(std::make_unique<ConnPool>(factory, 1, 2000ms), 64);
    {
      auto conn = pool_->Acquire();
      ASSERT_TRUE(conn.ok());
      ASSERT_TRUE(SqliteConn::OpenSyncConnection(path, &shared_).ok());
      ASSERT_TRUE((*conn)->ExecScript("CREATE TABLE t (k TEXT PRIMARY KEY) STRICT;", "schema").ok());
    }
  }
  void TearDown() override {
    pool_.reset();
  }

  int64_t Count(const std::string& key) {
    int64_t n = -1;
    Status s = Transact(
        *pool_,
        [&](SqlConn& conn, Status&) {
          ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kCount, {key}));
          n = std::get<int64_t>(r.rows.at(0).at(0));
          return Status::Ok();
        },
        internal::TxMode::kRead);
    EXPECT_TRUE(s.ok()) << s.message();
    return n;
  }

  // Starts a write whose body holds the writer until `callers` others are queued behind it, so
  // they run as one batch; returns once that body runs. get() gives the leader's result.
  std::future<Status> BlockingLeader(size_t callers) {
    auto started = std::make_shared<std::promise<void>>();
    std::future<void> running = started->get_future();
    std::future<Status> leader = std::async(std::launch::async, [this, callers, started] {
      return Transact(*pool_, [this, callers, started](SqlConn& conn, Status&) {
        started->set_value();
        for (int i = 0; i < 5000 && pool_->batcher()->queued() < callers; ++i) {
          std::this_thread::sleep_for(1ms);
        }
        return conn.Exec(kInsert, {std::string("leader")}).status();
      });
    });
    running.wait();
    return leader;
  }

  ::accord::testing::TempDir dir_{"accord-write-batcher-"};  // removed after the pool is gone
  SharedFile shared_;  // outlives the pool (declared first, destroyed last)
  std::unique_ptr<ConnPool> pool_;
};

TEST_F(WriteBatcherTest, QueuedWritesCommitAsOneTransaction) {
  constexpr int kCallers = 8;
  auto leader = BlockingLeader(kCallers);
  std::vector<std::future<Status>> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.push_back(std::async(std::launch::async, [this, i] {
      return Transact(*pool_, [i](SqlConn& conn, Status&) {
        return conn.Exec(kInsert, {"k" + std::to_string(i)}).status();
      });
    }));
  }
  EXPECT_TRUE(leader.get().ok());
  for (auto& c : callers) EXPECT_TRUE(c.get().ok());
  for (int i = 0; i < kCallers; ++i) EXPECT_EQ(Count("k" + std::to_string(i)), 1);
  EXPECT_EQ(pool_->batcher()->bodies(), static_cast<uint64_t>(kCallers + 1));
  EXPECT_EQ(pool_->batcher()->transactions(), 2u);  // the leader's, then one for the 8
}

TEST_F(WriteBatcherTest, FailedBodyIsUndoneAloneAndKeepsItsError) {
  auto leader = BlockingLeader(3);
  auto before = std::async(std::launch::async, [this] {
    return Transact(*pool_, [](SqlConn& conn, Status&) {
      return conn.Exec(kInsert, {std::string("before")}).status();
    });
  });
  while (pool_->batcher()->queued() < 1) std::this_thread::sleep_for(1ms);
  // Writes a row, then hits a duplicate key: both must be gone, the error returned as is.
  auto failing = std::async(std::launch::async, [this] {
    return Transact(*pool_, [](SqlConn& conn, Status&) {
      ACCORD_RETURN_IF_ERROR(conn.Exec(kInsert, {std::string("failing-1")}).status());
      return conn.Exec(kInsert, {std::string("before")}).status();  // duplicate of a kept row
    });
  });
  while (pool_->batcher()->queued() < 2) std::this_thread::sleep_for(1ms);
  // Keeps its write but reports a verdict (a reused refresh token revokes its family and fails).
  auto verdict = std::async(std::launch::async, [this] {
    return Transact(*pool_, [](SqlConn& conn, Status& v) {
      v = FailedPrecondition("reused", "refresh_token_reused");
      return conn.Exec(kInsert, {std::string("after")}).status();
    });
  });
  EXPECT_TRUE(leader.get().ok());
  EXPECT_TRUE(before.get().ok());
  Status failed = failing.get();
  EXPECT_EQ(failed.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(failed.reason(), "duplicate");
  Status v = verdict.get();
  EXPECT_EQ(v.reason(), "refresh_token_reused");
  EXPECT_EQ(Count("before"), 1);
  EXPECT_EQ(Count("failing-1"), 0);
  EXPECT_EQ(Count("after"), 1);
  EXPECT_EQ(Count("leader"), 1);
  EXPECT_EQ(pool_->batcher()->transactions(), 2u);
  EXPECT_EQ(pool_->batcher()->bodies(), 3u);  // the leader, "before" and the verdict's
  EXPECT_EQ(pool_->batcher()->bodies_rolled_back(), 1u);
  EXPECT_EQ(pool_->batcher()->failed_batches(), 0u);
}

// Submit with no batch running: the submitting thread commits the body before Submit returns,
// and the callback gets the durability wait to hand to the server.
TEST_F(WriteBatcherTest, SubmitWithNoLeaderRunsOnTheCallingThreadAtOnce) {
  bool reported = false;
  std::thread::id ran_on;
  pool_->batcher()->Submit(
      [&ran_on](SqlConn& conn, Status&) {
        ran_on = std::this_thread::get_id();
        return conn.Exec(kInsert, {std::string("alone")}).status();
      },
      [&reported](Status result, internal::DurabilityWait durable) {
        EXPECT_TRUE(result.ok()) << result.message();
        ASSERT_TRUE(static_cast<bool>(durable));
        EXPECT_TRUE(durable.block().ok());
        reported = true;
      });
  EXPECT_TRUE(reported);
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(Count("alone"), 1);
}

// Bodies submitted while a leader runs are taken by that leader before it returns (nobody is
// left waiting for a later caller); a failing one reports its own error, the others commit.
TEST_F(WriteBatcherTest, SubmittedBodiesJoinTheRunningLeadersNextBatch) {
  auto leader = BlockingLeader(3);
  std::vector<std::promise<Status>> results(3);
  std::vector<std::future<Status>> outcomes;
  for (auto& p : results) outcomes.push_back(p.get_future());
  const std::vector<std::string> keys = {"s1", "leader", "s3"};  // "leader" is a duplicate
  for (size_t i = 0; i < keys.size(); ++i) {
    pool_->batcher()->Submit(
        [key = keys[i]](SqlConn& conn, Status&) { return conn.Exec(kInsert, {key}).status(); },
        [&p = results[i]](Status result, internal::DurabilityWait durable) {
          if (result.ok() && durable) result = durable.block();
          p.set_value(std::move(result));
        });
  }
  EXPECT_TRUE(leader.get().ok());
  EXPECT_TRUE(outcomes[0].get().ok());
  EXPECT_EQ(outcomes[1].get().reason(), "duplicate");
  EXPECT_TRUE(outcomes[2].get().ok());
  EXPECT_EQ(Count("s1"), 1);
  EXPECT_EQ(Count("s3"), 1);
  EXPECT_EQ(pool_->batcher()->transactions(), 2u);  // the leader's, then the three together
  EXPECT_EQ(pool_->batcher()->bodies_rolled_back(), 1u);
  EXPECT_EQ(pool_->batcher()->queued(), 0u);
}

// With a submit gather, submitted bodies wait for company: three submitted back to back commit
// as one transaction once the oldest has waited the interval, led by the flusher thread; a Run
// caller arriving meanwhile does not wait for the interval and takes them along.
TEST_F(WriteBatcherTest, SubmittedBodiesGatherForTheIntervalUnlessARunCallerLeads) {
  internal::WriteBatcher batcher(*pool_->writer(), 64, std::chrono::microseconds(300ms));
  auto submit = [&](std::string key, std::promise<Status>& p) {
    batcher.Submit(
        [key](SqlConn& conn, Status&) { return conn.Exec(kInsert, {key}).status(); },
        [&p](Status result, internal::DurabilityWait durable) {
          if (result.ok() && durable) result = durable.block();
          p.set_value(std::move(result));
        });
  };
  std::vector<std::promise<Status>> gathered(3);
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < gathered.size(); ++i) submit("g" + std::to_string(i), gathered[i]);
  EXPECT_EQ(batcher.queued(), 3u);  // nothing ran on the submitting thread
  for (auto& p : gathered) EXPECT_TRUE(p.get_future().get().ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
  EXPECT_EQ(batcher.transactions(), 1u);
  EXPECT_EQ(batcher.bodies(), 3u);

  std::promise<Status> taken_along;
  submit("t", taken_along);
  const auto run_start = std::chrono::steady_clock::now();
  internal::DurabilityWait durable;
  Status run = batcher.Run([](SqlConn& conn, Status&) { return conn.Exec(kInsert, {std::string("r")}).status(); },
                           &durable);
  EXPECT_TRUE(run.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - run_start, 300ms);
  EXPECT_TRUE(taken_along.get_future().get().ok());
  EXPECT_EQ(batcher.transactions(), 2u);  // the submitted body and the Run caller's, together
  EXPECT_EQ(Count("t"), 1);
  EXPECT_EQ(Count("r"), 1);
}

TEST_F(WriteBatcherTest, LoneWriterRunsWithoutSavepoints) {
  Status s = Transact(*pool_, [](SqlConn& conn, Status&) {
    ACCORD_RETURN_IF_ERROR(conn.Exec(kInsert, {std::string("x")}).status());
    return conn.Exec(kInsert, {std::string("x")}).status();
  });
  EXPECT_EQ(s.reason(), "duplicate");
  EXPECT_EQ(Count("x"), 0);  // the whole transaction rolled back
  EXPECT_TRUE(Transact(*pool_, [](SqlConn& conn, Status&) {
                return conn.Exec(kInsert, {std::string("x")}).status();
              }).ok());
  EXPECT_EQ(Count("x"), 1);
  // A lone caller is a batch of one: its own error is a body rolled back, not a failed batch.
  EXPECT_EQ(pool_->batcher()->transactions(), 1u);
  EXPECT_EQ(pool_->batcher()->bodies(), 1u);
  EXPECT_EQ(pool_->batcher()->bodies_rolled_back(), 1u);
  EXPECT_EQ(pool_->batcher()->failed_batches(), 0u);
}

// A connection that fails where told, to check what a broken batch answers.
class ScriptedConn final : public SqlConn {
 public:
  internal::Dialect dialect() const override { return internal::Dialect::kSqlite; }
  Result<SqlResult> Exec(const SqlStatement&, std::initializer_list<internal::SqlValue>) override {
    return SqlResult{};
  }
  Status ExecScript(std::string_view, std::string_view) override { return Status::Ok(); }
  Status Begin(internal::TxMode) override {
    in_tx = true;
    return Status::Ok();
  }
  Status Commit() override {
    in_tx = false;
    return fail_commit ? Unavailable("disk I/O error", "db_unavailable") : Status::Ok();
  }
  Status Rollback() override {
    in_tx = false;
    ++rollbacks;
    return Status::Ok();
  }
  bool InTransaction() const override { return in_tx; }
  bool Healthy() const override { return true; }

  bool in_tx = false;
  bool fail_commit = false;
  int rollbacks = 0;
};

class ScriptedBatchTest : public ::testing::Test {
 protected:
  ScriptedBatchTest()
      : writer_([this]() -> Result<std::unique_ptr<SqlConn>> {
          auto c = std::make_unique<ScriptedConn>();
          conn_ = c.get();
          return std::unique_ptr<SqlConn>(std::move(c));
        }, 1, 1000ms),
        batcher_(writer_, 64) {}

  // Runs `bodies` as one batch: the first holds the batcher until the rest are queued.
  std::vector<Status> RunBatch(std::vector<internal::TxBody> bodies) {
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> started;
    auto first = std::async(std::launch::async, [&] {
      internal::DurabilityWait d;
      return batcher_.Run([&](SqlConn&, Status&) {
        started.set_value();
        released.wait();
        return Status::Ok();
      }, &d);
    });
    started.get_future().wait();
    std::vector<std::future<Status>> rest;
    for (size_t i = 0; i < bodies.size(); ++i) {
      rest.push_back(std::async(std::launch::async, [&, i] {
        internal::DurabilityWait d;
        return batcher_.Run(bodies[i], &d);
      }));
      while (batcher_.queued() < i + 1) std::this_thread::sleep_for(1ms);
    }
    release.set_value();
    EXPECT_TRUE(first.get().ok());
    std::vector<Status> out;
    for (auto& f : rest) out.push_back(f.get());
    return out;
  }

  ConnPool writer_;
  internal::WriteBatcher batcher_;
  ScriptedConn* conn_ = nullptr;
};

TEST_F(ScriptedBatchTest, FailedCommitFailsEveryKeptBody) {
  internal::TxBody ok = [this](SqlConn&, Status&) {
    conn_->fail_commit = true;  // the batch's COMMIT will fail
    return Status::Ok();
  };
  internal::TxBody bad = [](SqlConn&, Status&) { return InvalidArgument("own error", "bad_value"); };
  std::vector<Status> got = RunBatch({ok, bad, ok});
  EXPECT_EQ(got[0].reason(), "db_unavailable");
  EXPECT_EQ(got[1].reason(), "bad_value");  // its own error: its writes were undone anyway
  EXPECT_EQ(got[2].reason(), "db_unavailable");
  EXPECT_EQ(batcher_.transactions(), 1u);  // only the first caller's, alone
  EXPECT_EQ(batcher_.bodies(), 1u);
  EXPECT_EQ(batcher_.bodies_rolled_back(), 1u);
  EXPECT_EQ(batcher_.failed_batches(), 1u);
}

TEST_F(ScriptedBatchTest, TransactionEndedByABodyFailsTheWholeBatch) {
  internal::TxBody ok = [](SqlConn&, Status&) { return Status::Ok(); };
  internal::TxBody ends = [this](SqlConn&, Status&) {
    conn_->in_tx = false;  // as SQLite does after an I/O error or a full disk
    return Unavailable("disk I/O error", "db_unavailable");
  };
  std::vector<Status> got = RunBatch({ok, ends, ok});
  for (const Status& s : got) EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.message();
  EXPECT_GE(conn_->rollbacks, 1);
  EXPECT_EQ(batcher_.failed_batches(), 1u);
  EXPECT_EQ(batcher_.bodies_rolled_back(), 0u);  // the body that ended it took the rest too
  EXPECT_EQ(batcher_.transactions(), 1u);        // the first caller's
}

}  // namespace
}  // namespace accord::store::sqlite
