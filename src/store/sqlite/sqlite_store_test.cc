// SQLite-specific behaviour: files, permissions, journaling, errors.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>

#include "store/store_test_env.h"

namespace accord::store::sqlite {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/accord-sqlite-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  StoreConfig Config(const std::string& path) const {
    StoreConfig c;
    c.sqlite_path = path;
    return c;
  }
  std::string dir_;
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

TEST_F(SqliteStoreTest, UnwritableLocationIsUnavailable) {
  auto store = OpenStore(Config("/proc/accord-no-such-dir/accord.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace accord::store::sqlite
