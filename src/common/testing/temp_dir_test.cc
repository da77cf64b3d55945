#include "common/testing/temp_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace accord::testing {
namespace {

namespace fs = std::filesystem;

// Points $TMPDIR somewhere else for one scope.
class ScopedTmpdir {
 public:
  explicit ScopedTmpdir(const std::string& value) {
    const char* old = std::getenv("TMPDIR");
    had_old_ = old != nullptr;
    if (had_old_) old_ = old;
    ::setenv("TMPDIR", value.c_str(), 1);
  }
  ~ScopedTmpdir() {
    if (had_old_) {
      ::setenv("TMPDIR", old_.c_str(), 1);
    } else {
      ::unsetenv("TMPDIR");
    }
  }

 private:
  bool had_old_ = false;
  std::string old_;
};

TEST(TempDirTest, CreatesAnEmptyPrivateDirectoryUnderTheTempPath) {
  TempDir dir("accord-temp-dir-test-");
  ASSERT_FALSE(dir.path().empty());
  EXPECT_TRUE(fs::is_directory(dir.path()));
  EXPECT_TRUE(fs::is_empty(dir.path()));
  EXPECT_TRUE(fs::equivalent(fs::path(dir.path()).parent_path(), fs::temp_directory_path()));
  struct stat st {};
  ASSERT_EQ(::stat(dir.path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(TempDirTest, NameStartsWithThePrefix) {
  TempDir dir("accord-temp-dir-test-");
  const std::string name = fs::path(dir.path()).filename().string();
  EXPECT_EQ(name.rfind("accord-temp-dir-test-", 0), 0u) << name;
  EXPECT_EQ(name.size(), std::string("accord-temp-dir-test-").size() + 6);
}

TEST(TempDirTest, EachInstanceGetsItsOwnDirectory) {
  TempDir a("accord-temp-dir-test-");
  TempDir b("accord-temp-dir-test-");
  EXPECT_NE(a.path(), b.path());
}

TEST(TempDirTest, FileJoinsTheNameWithoutCreatingIt) {
  TempDir dir("accord-temp-dir-test-");
  EXPECT_EQ(dir.File("a.db"), dir.path() + "/a.db");
  EXPECT_FALSE(fs::exists(dir.File("a.db")));
}

TEST(TempDirTest, WriteCreatesOrReplacesAFileAndReadReturnsIt) {
  TempDir dir("accord-temp-dir-test-");
  const std::string bytes("a\0b\n", 4);
  EXPECT_EQ(dir.Write("f.bin", "old content"), dir.File("f.bin"));
  dir.Write("f.bin", bytes);
  EXPECT_EQ(dir.Read("f.bin"), bytes);
  EXPECT_EQ(fs::file_size(dir.File("f.bin")), 4u);
}

TEST(TempDirTest, ReadOfAMissingFileIsEmpty) {
  TempDir dir("accord-temp-dir-test-");
  EXPECT_EQ(dir.Read("missing"), "");
}

TEST(TempDirTest, WriteIntoAMissingSubdirectoryThrows) {
  TempDir dir("accord-temp-dir-test-");
  EXPECT_THROW(dir.Write("no/such/file", "x"), std::runtime_error);
}

TEST(TempDirTest, DestructorRemovesTheDirectoryAndItsContents) {
  std::string path;
  {
    TempDir dir("accord-temp-dir-test-");
    path = dir.path();
    fs::create_directories(dir.File("nested/deeper"));
    std::ofstream(dir.File("nested/deeper/file")) << "x";
    std::ofstream(dir.File("top")) << "y";
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(TempDirTest, DestructorToleratesAnAlreadyRemovedDirectory) {
  std::string path;
  {
    TempDir dir("accord-temp-dir-test-");
    path = dir.path();
    fs::remove_all(path);
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(TempDirTest, MoveConstructionTransfersOwnership) {
  TempDir from("accord-temp-dir-test-");
  const std::string path = from.path();
  {
    TempDir to(std::move(from));
    EXPECT_EQ(to.path(), path);
    EXPECT_TRUE(from.path().empty());  // NOLINT(bugprone-use-after-move): documented state
    EXPECT_TRUE(fs::is_directory(path));
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(TempDirTest, MoveAssignmentRemovesTheTargetsOldDirectory) {
  TempDir a("accord-temp-dir-test-");
  TempDir b("accord-temp-dir-test-");
  const std::string old_a = a.path();
  const std::string old_b = b.path();
  a = std::move(b);
  EXPECT_FALSE(fs::exists(old_a));
  EXPECT_EQ(a.path(), old_b);
  EXPECT_TRUE(fs::is_directory(old_b));
  EXPECT_TRUE(b.path().empty());  // NOLINT(bugprone-use-after-move): documented state
}

TEST(TempDirTest, MovedFromInstanceRemovesNothing) {
  std::string path;
  TempDir keeper("accord-temp-dir-test-");
  {
    TempDir moved_from("accord-temp-dir-test-");
    path = moved_from.path();
    keeper = std::move(moved_from);
  }
  EXPECT_TRUE(fs::is_directory(path));
}

TEST(TempDirTest, HonoursTmpdir) {
  TempDir outer("accord-temp-dir-test-");
  std::string inner_path;
  {
    ScopedTmpdir tmpdir(outer.path());
    TempDir inner("inner-");
    inner_path = inner.path();
    EXPECT_EQ(fs::path(inner_path).parent_path(), fs::path(outer.path()));
  }
  EXPECT_FALSE(fs::exists(inner_path));
}

TEST(TempDirTest, ThrowsWhenTheDirectoryCannotBeMade) {
  TempDir outer("accord-temp-dir-test-");
  ScopedTmpdir tmpdir(outer.File("missing"));
  EXPECT_THROW(TempDir("x-"), std::runtime_error);
}

}  // namespace
}  // namespace accord::testing
