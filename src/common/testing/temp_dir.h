// TempDir: a fresh temporary directory for a test, removed with everything in it when the owner
// goes away. Test-only (library accord_common_testing); never linked into the accord binary.
//
//   accord::testing::TempDir dir("accord-kek-");  // e.g. /tmp/accord-kek-Ab12Cd
//   dir.Write("keks.toml", text);        // returns dir.File("keks.toml")
//
// The directory is made with mkdtemp(3) under std::filesystem::temp_directory_path() ($TMPDIR or
// /tmp), so its name is unique per instance (no pid or fixed names that collide between parallel
// runs) and it is created with mode 0700. Failing to create it throws std::runtime_error: there is
// no sensible way for a test to go on, and gtest reports the exception as a failure of that test.
//
// Ownership: non-copyable; moving transfers the directory and leaves the source empty (path() is
// "" and its destructor removes nothing). Removal is best effort and never throws.
// Thread safety: none needed; an instance belongs to one test.
#ifndef ACCORD_COMMON_TESTING_TEMP_DIR_H_
#define ACCORD_COMMON_TESTING_TEMP_DIR_H_

#include <string>
#include <string_view>

namespace accord::testing {

class TempDir {
 public:
  // `prefix` is the readable start of the directory name; six random characters follow it.
  explicit TempDir(std::string_view prefix = "accord-test-");
  ~TempDir();

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;

  // Absolute path of the directory, without a trailing slash; "" once moved from.
  const std::string& path() const { return path_; }
  // path() + "/" + name. Nothing is created.
  std::string File(std::string_view name) const;
  // Writes (creates or replaces) the file `name` with `content` and returns its path; throws
  // std::runtime_error when it cannot be written.
  std::string Write(std::string_view name, std::string_view content) const;
  // The whole content of the file `name`; "" when it cannot be read.
  std::string Read(std::string_view name) const;

 private:
  void Remove() noexcept;

  std::string path_;
};

}  // namespace accord::testing

#endif  // ACCORD_COMMON_TESTING_TEMP_DIR_H_
