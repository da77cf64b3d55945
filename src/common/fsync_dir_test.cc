#include "common/fsync_dir.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "common/testing/temp_dir.h"

namespace accord {
namespace {

TEST(FsyncDirectoryTest, SyncsADirectoryAndReportsWhatFails) {
  testing::TempDir dir("accord-fsync-dir-");
  EXPECT_EQ(FsyncDirectory(dir.path()), 0);
  EXPECT_EQ(FsyncDirectory(""), 0);  // the working directory
  EXPECT_EQ(FsyncDirectory(dir.path() + "/missing"), ENOENT);
  EXPECT_EQ(FsyncDirectory(dir.Write("file", "x")), ENOTDIR);
}

}  // namespace
}  // namespace accord
