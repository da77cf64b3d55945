// Runs a child process for the CLI and interop tests: argv[0] is looked up on PATH, stdin is fed
// from a string, stdout and stderr are captured (through temporary files, so large outputs cannot
// dead-lock a pipe), and the child is killed if it runs past a timeout.
//
// Thread safety: not thread-safe (fork in a test process); call from the test thread only.
#ifndef ACCORD_TESTS_CLI_SUBPROCESS_H_
#define ACCORD_TESTS_CLI_SUBPROCESS_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/testing/temp_dir.h"  // TempDir, used by these tests as testing::TempDir

namespace accord::testing {

struct ProcessResult {
  // The exit status, or 128 + signal when the child was killed (-1 when it could not start).
  int exit_code = -1;
  std::string out;
  std::string err;
  bool timed_out = false;
};

ProcessResult RunProcess(const std::vector<std::string>& argv, std::string_view input = {},
                         int timeout_seconds = 60);

// The first executable named `name` on PATH, or empty.
std::string FindOnPath(std::string_view name);

}  // namespace accord::testing

#endif  // ACCORD_TESTS_CLI_SUBPROCESS_H_
