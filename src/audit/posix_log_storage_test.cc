#include "audit/posix_log_storage.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "audit/test_util.h"

namespace accord::audit {
namespace {

using testing::TempDir;

TEST(PosixLogStorageTest, WritesReadsAndReplacesAtomically) {
  TempDir dir;
  auto s = PosixLogStorage::Open(dir.path());
  ASSERT_TRUE(s.ok());
  std::vector<StorageWrite> batch = {{"tile/0/x001/234.p/5", ToBytes("five")},
                                     {"checkpoint", ToBytes("one")}};
  ASSERT_TRUE((*s)->Write(batch).ok());
  EXPECT_EQ(ToString(*(*s)->Read("tile/0/x001/234.p/5")), "five");
  ASSERT_TRUE((*s)->Write(std::vector<StorageWrite>{{"checkpoint", ToBytes("two")}}).ok());
  EXPECT_EQ(ToString(*(*s)->Read("checkpoint")), "two");
  // No temporary files are left behind.
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path())) {
    EXPECT_EQ(e.path().string().find(".tmp-"), std::string::npos) << e.path();
  }
}

TEST(PosixLogStorageTest, WriteThenCommitMakesBothVisible) {
  TempDir dir;
  auto s = PosixLogStorage::Open(dir.path());
  std::vector<StorageWrite> batch = {{"tile/entries/000.p/1", ToBytes("e")}};
  ASSERT_TRUE((*s)->WriteThenCommit(batch, {"log-state/checkpoint", ToBytes("c")}).ok());
  EXPECT_TRUE((*s)->Read("tile/entries/000.p/1").ok());
  EXPECT_EQ(ToString(*(*s)->Read("log-state/checkpoint")), "c");
}

TEST(PosixLogStorageTest, MissingIsNotFoundAndReadsAreBounded) {
  TempDir dir;
  auto s = PosixLogStorage::Open(dir.path());
  EXPECT_EQ((*s)->Read("checkpoint").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE((*s)->Write(std::vector<StorageWrite>{{"checkpoint", Bytes(100, 1)}}).ok());
  EXPECT_EQ((*s)->Read("checkpoint", 99).status().reason(), "too_large");
}

TEST(PosixLogStorageTest, RejectsUnsafePaths) {
  TempDir dir;
  auto s = PosixLogStorage::Open(dir.path());
  for (const char* bad : {"../x", "/etc/passwd", "a//b", "a/./b", "", "a b", "tile/0/.."}) {
    EXPECT_EQ((*s)->Read(bad).status().reason(), "bad_path") << bad;
    EXPECT_EQ((*s)->Write(std::vector<StorageWrite>{{bad, Bytes(1)}}).reason(), "bad_path") << bad;
  }
}

TEST(PosixLogStorageTest, ListsAndRemovesPartials) {
  TempDir dir;
  auto s = PosixLogStorage::Open(dir.path());
  ASSERT_TRUE((*s)->Write(std::vector<StorageWrite>{{"tile/0/000.p/3", Bytes(1)},
                                                    {"tile/0/000.p/17", Bytes(1)}})
                  .ok());
  auto widths = (*s)->ListPartials("tile/0/000");
  ASSERT_TRUE(widths.ok());
  std::sort(widths->begin(), widths->end());
  EXPECT_EQ(*widths, (std::vector<uint32_t>{3, 17}));
  ASSERT_TRUE((*s)->Remove("tile/0/000.p/17").ok());
  ASSERT_TRUE((*s)->Remove("tile/0/000.p/17").ok());  // absent is fine
  EXPECT_EQ((*s)->ListPartials("tile/0/000")->size(), 1u);
  EXPECT_TRUE((*s)->ListPartials("tile/0/001")->empty());
}

}  // namespace
}  // namespace accord::audit
