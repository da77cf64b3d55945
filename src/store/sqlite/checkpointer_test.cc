// Checkpointer: commits past the threshold wake a background PASSIVE checkpoint that copies the
// -wal into the database file; far past it, the committing connection is told to do it itself.
#include "store/sqlite/checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "common/testing/temp_dir.h"
#include "store/sqlite/sqlite_conn.h"

namespace accord::store::sqlite {
namespace {

using namespace std::chrono_literals;

TEST(CheckpointerTest, OnlyFarPastTheThresholdDoesTheCommitterCheckpoint) {
  Checkpointer c("/nonexistent/accord-checkpointer-test.db", 100);
  EXPECT_FALSE(c.OnCommit(99));
  EXPECT_FALSE(c.OnCommit(150));  // the thread's job
  EXPECT_TRUE(c.OnCommit(200));   // the thread is behind: the committer checkpoints
}

TEST(CheckpointerTest, CountsInlineCheckpointsAndTheLatestWalSize) {
  Checkpointer c("/nonexistent/accord-checkpointer-test.db", 100);
  EXPECT_EQ(c.wal_frames(), 0);
  EXPECT_FALSE(c.OnCommit(42));
  EXPECT_EQ(c.wal_frames(), 42);
  EXPECT_TRUE(c.OnCommit(250));
  c.RecordInline(true);
  EXPECT_TRUE(c.OnCommit(260));
  c.RecordInline(false);
  EXPECT_EQ(c.wal_frames(), 260);
  EXPECT_EQ(c.inline_checkpoints(), 1u);
  EXPECT_EQ(c.inline_failures(), 1u);
}

TEST(CheckpointerTest, BackgroundCheckpointCopiesTheWalIntoTheDatabase) {
  namespace fs = std::filesystem;
  ::accord::testing::TempDir dir("accord-checkpointer-");
  const std::string path = dir.File("db.sqlite");
  {
    SharedFile shared;
    auto conn = SqliteConn::Open(path, 1000, &shared);
    ASSERT_TRUE(conn.ok()) << conn.status().message();
    ASSERT_TRUE(SqliteConn::OpenSyncConnection(path, &shared).ok());
    shared.checkpointer = std::make_unique<Checkpointer>(path, 20);
    ASSERT_TRUE((*conn)->ExecScript("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB) STRICT;",
                                    "schema").ok());
    const auto db_size_before = fs::file_size(path);
    // Each commit writes a few pages; 40 commits of 8 KiB rows pass 20 frames.
    for (int i = 0; i < 40; ++i) {
      ASSERT_TRUE((*conn)->ExecScript("INSERT INTO t (v) VALUES (zeroblob(8192));", "insert").ok());
    }
    for (int i = 0; i < 2000 && shared.checkpointer->checkpoints() == 0; ++i) {
      std::this_thread::sleep_for(1ms);
    }
    EXPECT_GE(shared.checkpointer->checkpoints(), 1u);
    EXPECT_EQ(shared.checkpointer->failures(), 0u);
    EXPECT_GT(shared.checkpointer->wal_frames(), 0);  // every commit reports the -wal size
    EXPECT_GT(fs::file_size(path), db_size_before + 8192);  // pages reached the database file
    conn->reset();
  }
}

}  // namespace
}  // namespace accord::store::sqlite
