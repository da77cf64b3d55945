// SQLite-specific behaviour: files, permissions, journaling, errors.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "common/testing/temp_dir.h"
#include "store/store_test_env.h"

namespace accord::store::sqlite {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  StoreConfig Config(const std::string& path) const {
    StoreConfig c;
    c.sqlite_path = path;
    return c;
  }
  ::accord::testing::TempDir tmp_{"accord-sqlite-test-"};
  const std::string dir_ = tmp_.path();
};

mode_t Mode(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

TEST_F(SqliteStoreTest, CreatesPrivateDirectoriesAndFile) {
  const std::string path = dir_ + "/a/b/accord.db";
  auto store = OpenStore(Config(path));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(Mode(dir_ + "/a/b"), 0700u);
  EXPECT_EQ(Mode(path), 0600u);
}

TEST_F(SqliteStoreTest, UsesWriteAheadLogging) {
  const std::string path = dir_ + "/accord.db";
  auto store = OpenStore(Config(path));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->RecordOnce(ReplayScope::kDpopProof, "j", 20, 10).ok());
  EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
}

TEST_F(SqliteStoreTest, InMemoryDatabaseWorks) {
  auto store = OpenStore(Config(":memory:"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE((*store)->RecordOnce(ReplayScope::kDpopProof, "j", 20, 10).ok());
  EXPECT_EQ((*store)->RecordOnce(ReplayScope::kDpopProof, "j", 20, 11).reason(), "replay");
}

TEST_F(SqliteStoreTest, NotADatabaseIsReportedWithoutContents) {
  const std::string path = dir_ + "/garbage.db";
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  const std::string junk(4096, 'S');  // "SSSS...": not a SQLite header
  std::fwrite(junk.data(), 1, junk.size(), f);
  std::fclose(f);
  auto store = OpenStore(Config(path));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(store.status().message().find("SSSS"), std::string::npos);
}

TEST_F(SqliteStoreTest, WriteStatsCountCommitsRollbacksAndSyncs) {
  auto store = OpenStore(Config(dir_ + "/accord.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const WriteStats before = (*store)->write_stats();
  for (int i = 0; i < 5; ++i) {
    const std::string key = "j" + std::to_string(i);
    ASSERT_TRUE((*store)->RecordOnce(ReplayScope::kDpopProof, key, 20, 10).ok());
  }
  // A verdict keeps the body's (empty) write: committed, not rolled back.
  EXPECT_EQ((*store)->RecordOnce(ReplayScope::kDpopProof, "j0", 20, 10).reason(), "replay");
  SigningKey key;
  key.kid = "k1";
  key.algorithm = "ES256";
  key.sealed_private_key = Bytes{1, 2, 3};
  key.public_jwk_json = "{}";
  ASSERT_TRUE((*store)->AddSigningKey(key).ok());
  // The duplicate key fails in its body: its writes undone alone, counted as such.
  EXPECT_EQ((*store)->AddSigningKey(key).reason(), "duplicate");
  ASSERT_TRUE((*store)->RecordOnce(ReplayScope::kDpopProof, "reads-not-counted", 20, 10).ok());
  EXPECT_TRUE((*store)->IsRecorded(ReplayScope::kDpopProof, "j1", 10).ok());

  const WriteStats after = (*store)->write_stats();
  EXPECT_EQ(after.transactions - before.transactions, 8u);  // one caller at a time: no batches
  EXPECT_EQ(after.bodies - before.bodies, 8u);
  EXPECT_EQ(after.bodies_rolled_back - before.bodies_rolled_back, 1u);
  EXPECT_EQ(after.batch_failures, before.batch_failures);
  // Each acknowledged commit waited for a group fdatasync; alone, one per commit at most.
  EXPECT_GE(after.group_syncs - before.group_syncs, 1u);
  EXPECT_LE(after.group_syncs - before.group_syncs, 8u);
  EXPECT_GT(after.wal_frames, 0);
  EXPECT_EQ(after.checkpoint_failures, 0u);
}

TEST_F(SqliteStoreTest, InMemoryDatabaseReportsNoWriteStats) {
  // One connection and no -wal file: no batcher, no group sync, no checkpointer to count.
  auto store = OpenStore(Config(":memory:"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->RecordOnce(ReplayScope::kDpopProof, "j", 20, 10).ok());
  const WriteStats stats = (*store)->write_stats();
  EXPECT_EQ(stats.transactions, 0u);
  EXPECT_EQ(stats.group_syncs, 0u);
  EXPECT_EQ(stats.wal_frames, 0);
}

TEST_F(SqliteStoreTest, UnwritableLocationIsUnavailable) {
  auto store = OpenStore(Config("/proc/accord-no-such-dir/accord.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace accord::store::sqlite
