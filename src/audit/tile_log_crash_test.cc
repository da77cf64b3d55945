// Crash test (label e2e): a child process appends from several threads and reports every
// acknowledged index through a pipe; the parent kills it with SIGKILL mid-run, reopens the log and
// checks that every acknowledged entry is present, the log verifies in full, and it is consistent
// with every checkpoint observed before the kill.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <thread>

#include "audit/log_verifier.h"
#include "audit/posix_log_storage.h"
#include "audit/test_util.h"
#include "audit/tile_log.h"

namespace accord::audit {
namespace {

using testing::LogKeys;
using testing::MakeKeys;
using testing::MakeOptions;
using testing::TempDir;

constexpr char kOrigin[] = "crash.accord.example/log";

struct Ack {
  uint64_t index;
  uint32_t thread;
  uint32_t seq;
};

std::string EntryText(uint32_t run, uint32_t thread, uint32_t seq) {
  return "run " + std::to_string(run) + " thread " + std::to_string(thread) + " seq " +
         std::to_string(seq);
}

[[noreturn]] void ChildAppend(const std::string& dir, const LogKeys& keys, uint32_t run, int fd) {
  auto storage = PosixLogStorage::Open(dir);
  if (!storage.ok()) _exit(2);
  TileLogOptions o = MakeOptions(keys, kOrigin);
  o.max_batch_entries = 512;
  auto log = TileLog::Open(storage->get(), std::move(o));
  if (!log.ok()) _exit(3);
  std::vector<std::thread> threads;
  for (uint32_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (uint32_t seq = 0;; ++seq) {
        auto r = (*log)->Append(ToBytes(EntryText(run, t, seq))).get();
        if (!r.ok()) _exit(4);
        Ack a{*r, t, seq};
        if (::write(fd, &a, sizeof(a)) != sizeof(a)) _exit(5);
      }
    });
  }
  for (auto& th : threads) th.join();
  _exit(0);
}

TEST(TileLogCrashTest, AcknowledgedEntriesSurviveSigkill) {
  TempDir dir;
  const LogKeys keys = MakeKeys(kOrigin);
  auto key = NewNoteVerifier(keys.vkey);
  std::map<uint64_t, std::string> acked;
  std::vector<std::string> seen_checkpoints;

  for (uint32_t run = 0; run < 3; ++run) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      ChildAppend(dir.path(), keys, run, fds[1]);
    }
    ::close(fds[1]);
    // Read acknowledgements for a while, sampling published checkpoints, then kill -9.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(400 + 300 * run);
    size_t run_acks = 0;
    Ack a;
    std::string last_seen;
    while (std::chrono::steady_clock::now() < deadline) {
      const ssize_t n = ::read(fds[0], &a, sizeof(a));
      if (n != sizeof(a)) break;
      acked[a.index] = EntryText(run, a.thread, a.seq);
      ++run_acks;
      if (run_acks % 50 == 0) {
        auto storage = PosixLogStorage::Open(dir.path());
        auto note = (*storage)->Read("checkpoint");
        if (note.ok() && ToString(*note) != last_seen) {
          last_seen = ToString(*note);
          seen_checkpoints.push_back(last_seen);
        }
      }
    }
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    // Acknowledgements already in the pipe were acknowledged before the kill.
    while (::read(fds[0], &a, sizeof(a)) == sizeof(a)) acked[a.index] = EntryText(run, a.thread, a.seq);
    ::close(fds[0]);
    int wstatus = 0;
    ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited early with " << WEXITSTATUS(wstatus);
    ASSERT_GT(run_acks, 0u) << "child acknowledged nothing in run " << run;
    std::cout << "run " << run << ": " << run_acks << " acknowledged appends before SIGKILL, "
              << seen_checkpoints.size() << " checkpoints observed so far\n";

    // Reopen: recovery, then check everything.
    auto storage = PosixLogStorage::Open(dir.path());
    ASSERT_TRUE(storage.ok());
    auto log = TileLog::Open(storage->get(), MakeOptions(keys, kOrigin));
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    ASSERT_GE((*log)->size(), acked.rbegin()->first + 1);
    for (const auto& [index, text] : acked) {
      auto e = (*log)->Entry(index);
      ASSERT_TRUE(e.ok()) << index << ": " << e.status().ToString();
      ASSERT_EQ(ToString(*e), text) << index;
    }
    const std::string note = *(*log)->Checkpoint();
    (*log)->Close();
    StorageResourceReader reader(**storage);
    VerifyLogRequest req;
    req.checkpoint_note = note;
    req.origin = kOrigin;
    req.log_key = key->get();
    req.full = true;
    auto report = VerifyLog(req, reader);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    for (const std::string& earlier : seen_checkpoints) {
      req.full = false;
      req.previous_checkpoint_note = earlier;
      auto r = VerifyLog(req, reader);
      ASSERT_TRUE(r.ok()) << "inconsistent with an earlier checkpoint: " << r.status().ToString();
    }
    seen_checkpoints.push_back(note);
  }
  EXPECT_GT(acked.size(), 100u);
}

}  // namespace
}  // namespace accord::audit
