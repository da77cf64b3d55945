#include "store/internal/pool.h"

#include <gtest/gtest.h>

#include <atomic>

namespace accord::store::internal {
namespace {

class FakeConn final : public SqlConn {
 public:
  explicit FakeConn(bool* healthy) : healthy_(healthy) {}
  Dialect dialect() const override { return Dialect::kSqlite; }
  Result<SqlResult> Exec(const SqlStatement&, std::initializer_list<SqlValue>) override {
    return SqlResult{};
  }
  Status ExecScript(std::string_view, std::string_view) override { return Status::Ok(); }
  Status Begin(TxMode) override { return Status::Ok(); }
  Status Commit() override { return Status::Ok(); }
  Status Rollback() override { return Status::Ok(); }
  bool Healthy() const override { return *healthy_; }

 private:
  bool* healthy_;
};

class PoolTest : public ::testing::Test {
 protected:
  bool healthy_ = true;
  std::atomic<int> opened_{0};
};

TEST_F(PoolTest, NeverOpensMoreThanMaxSize) {
  ConnPool pool(
      [this]() -> Result<std::unique_ptr<SqlConn>> {
        ++opened_;
        return std::unique_ptr<SqlConn>(std::make_unique<FakeConn>(&healthy_));
      },
      2, std::chrono::milliseconds(20));
  auto a = pool.Acquire();
  auto b = pool.Acquire();
  ASSERT_TRUE(a.ok() && b.ok());
  auto c = pool.Acquire();
  EXPECT_EQ(c.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(c.status().reason(), "pool_exhausted");
  EXPECT_EQ(opened_.load(), 2);
}

TEST_F(PoolTest, ReleasedConnectionsAreReused) {
  ConnPool pool(
      [this]() -> Result<std::unique_ptr<SqlConn>> {
        ++opened_;
        return std::unique_ptr<SqlConn>(std::make_unique<FakeConn>(&healthy_));
      },
      1, std::chrono::milliseconds(20));
  {
    auto a = pool.Acquire();
    ASSERT_TRUE(a.ok());
  }
  {
    auto b = pool.Acquire();
    ASSERT_TRUE(b.ok());
  }
  EXPECT_EQ(opened_.load(), 1);
}

TEST_F(PoolTest, UnhealthyConnectionsAreReplaced) {
  ConnPool pool(
      [this]() -> Result<std::unique_ptr<SqlConn>> {
        ++opened_;
        return std::unique_ptr<SqlConn>(std::make_unique<FakeConn>(&healthy_));
      },
      1, std::chrono::milliseconds(20));
  {
    auto a = pool.Acquire();
    ASSERT_TRUE(a.ok());
    healthy_ = false;
  }
  healthy_ = true;
  auto b = pool.Acquire();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(opened_.load(), 2);
}

TEST_F(PoolTest, FailedConnectFreesItsSlot) {
  int calls = 0;
  ConnPool pool(
      [&]() -> Result<std::unique_ptr<SqlConn>> {
        if (++calls == 1) return Unavailable("down", "db_unavailable");
        return std::unique_ptr<SqlConn>(std::make_unique<FakeConn>(&healthy_));
      },
      1, std::chrono::milliseconds(20));
  EXPECT_EQ(pool.Acquire().status().reason(), "db_unavailable");
  EXPECT_TRUE(pool.Acquire().ok());
}

}  // namespace
}  // namespace accord::store::internal
