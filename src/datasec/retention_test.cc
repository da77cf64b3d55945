#include "datasec/retention.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "common/testing/temp_dir.h"
#include "store/token_hash.h"

namespace accord::datasec {
namespace {

TEST(RetentionTest, ParsesDurations) {
  EXPECT_EQ(*ParseDuration("30s"), 30);
  EXPECT_EQ(*ParseDuration("10m"), 600);
  EXPECT_EQ(*ParseDuration("12h"), 43200);
  EXPECT_EQ(*ParseDuration("90d"), 90 * 86400);
  for (const char* bad : {"", "d", "0s", "5w", "-1d", "1.5h", "99999999d"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
}

TEST(RetentionTest, ParsesFileAndOverridesDefaults) {
  auto p = RetentionPolicy::Parse("[retention]\nsessions = \"1h\"\n");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->Seconds("sessions"), 3600);
  EXPECT_EQ(p->Seconds("consents"), 400 * 86400);  // default kept
  EXPECT_EQ(p->Seconds("audit_entries"), 0);
}

TEST(RetentionTest, ErrorsNameFileAndKey) {
  auto p = RetentionPolicy::Parse("[retention]\ncookies = \"1h\"\n");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("retention.toml: retention.cookies"), std::string::npos);
  auto q = RetentionPolicy::Parse("[retention]\nsessions = \"1y\"\n");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("retention.sessions"), std::string::npos);
}

TEST(RetentionTest, ClampShortensNeverLengthens) {
  RetentionPolicy p;
  EXPECT_EQ(p.Clamp("sessions", 1000, 1000 + 86400), 1000 + 12 * 3600);
  EXPECT_EQ(p.Clamp("sessions", 1000, 1100), 1100);
  EXPECT_EQ(p.Clamp("audit_entries", 1000, 5000), 5000);
}

TEST(RetentionTest, ShippedConfigLoads) {
  auto p = RetentionPolicy::Load(ACCORD_SOURCE_DIR "/data/datasec");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->Seconds("released_attribute_snapshots"), 90 * 86400);
}

class SweeperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::StoreConfig config;
    config.sqlite_path = (dir_ / "accord.db").string();
    auto s = store::OpenStore(config);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }
  void TearDown() override { store_.reset(); }
  Status AddSession(const std::string& sid, int64_t expires_at) {
    store::Session s;
    s.sid = sid;
    s.secret_hash = store::HashToken(sid);
    s.subject = "sub";
    s.created_at = 100;
    s.auth_time = 100;
    s.expires_at = expires_at;
    return store_->CreateSession(s);
  }
  ::accord::testing::TempDir tmp_{"accord-sweeper-"};
  std::filesystem::path dir_ = tmp_.path();
  std::unique_ptr<store::Store> store_;
};

TEST_F(SweeperTest, RunOnceDeletesExpiredRows) {
  ASSERT_TRUE(AddSession("old", 200).ok());
  ASSERT_TRUE(AddSession("live", 5000).ok());
  FixedClock clock(1000);
  RetentionSweeper sweeper(store_.get(), &clock, std::chrono::seconds(60));
  auto stats = sweeper.RunOnce();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->sessions, 1);
  EXPECT_EQ(sweeper.rows_deleted(), 1);
  EXPECT_TRUE(store_->GetSessionBySid("live", 1000).ok());
}

TEST_F(SweeperTest, BackgroundThreadSweepsAndStopsPromptly) {
  ASSERT_TRUE(AddSession("old", 200).ok());
  FixedClock clock(1000);
  RetentionSweeper sweeper(store_.get(), &clock, std::chrono::hours(1));
  sweeper.Start();
  for (int i = 0; i < 200 && sweeper.sweeps() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto begin = std::chrono::steady_clock::now();
  sweeper.Stop();  // must not wait for the hour-long interval
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(5));
  EXPECT_GE(sweeper.sweeps(), 1);
  EXPECT_EQ(sweeper.rows_deleted(), 1);
  sweeper.Stop();  // idempotent
}

}  // namespace
}  // namespace accord::datasec
