#include "audit/log_verifier.h"

#include <gtest/gtest.h>

#include "audit/note_keys.h"
#include "audit/posix_log_storage.h"
#include "audit/test_util.h"
#include "audit/tile_log.h"
#include "audit/tlog_tiles.h"

namespace accord::audit {
namespace {

using testing::LogKeys;
using testing::MakeKeys;
using testing::MakeOptions;
using testing::TempDir;

constexpr char kOrigin[] = "sg.accord.example/log";

class LogVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_ = MakeKeys(kOrigin);
    key_ = std::move(*NewNoteVerifier(keys_.vkey));
    storage_ = std::move(*PosixLogStorage::Open(dir_.path()));
    log_ = std::move(*TileLog::Open(storage_.get(), MakeOptions(keys_, kOrigin)));
  }
  void AppendN(int n) {
    std::vector<std::future<Result<uint64_t>>> fs;
    for (int i = 0; i < n; ++i) fs.push_back(log_->Append(ToBytes("entry " + std::to_string(next_++))));
    for (auto& f : fs) ASSERT_TRUE(f.get().ok());
    ASSERT_TRUE(log_->AwaitIntegrated(next_, std::chrono::seconds(10)).ok());
  }
  uint64_t next_ = 0;
  Result<VerifyLogReport> Verify(const std::string& note, bool full,
                                 const std::string* previous = nullptr) {
    VerifyLogRequest req;
    req.checkpoint_note = note;
    req.origin = kOrigin;
    req.log_key = key_.get();
    req.full = full;
    if (previous != nullptr) req.previous_checkpoint_note = *previous;
    StorageResourceReader reader(*storage_);
    return VerifyLog(req, reader);
  }

  TempDir dir_;
  LogKeys keys_;
  std::unique_ptr<NoteVerifier> key_;
  std::unique_ptr<PosixLogStorage> storage_;
  std::unique_ptr<TileLog> log_;
};

TEST_F(LogVerifierTest, FullVerificationPassesOnHealthyLog) {
  AppendN(600);
  auto report = Verify(*log_->Checkpoint(), true);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries_checked, 600u);
  EXPECT_EQ(report->checkpoint.size, 600u);
  EXPECT_GE(report->checks.size(), 4u);
}

TEST_F(LogVerifierTest, EmptyLogVerifies) {
  AppendN(1);
  // A brand-new log's first checkpoint; also the empty tree via a hand-made checkpoint.
  auto signer = NewNoteSigner(keys_.skey);
  const NoteSigner* s = signer->get();
  auto empty = SignNote(FormatCheckpoint({kOrigin, 0, EmptyRoot(), {}}),
                        std::span<const NoteSigner* const>(&s, 1));
  EXPECT_TRUE(Verify(*empty, true).ok());
}

TEST_F(LogVerifierTest, ConsistentWithPreviousCheckpoint) {
  AppendN(300);
  const std::string first = *log_->Checkpoint();
  AppendN(333);
  auto report = Verify(*log_->Checkpoint(), false, &first);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
}

TEST_F(LogVerifierTest, RollbackToSmallerCheckpointIsRefused) {
  AppendN(10);
  const std::string small = *log_->Checkpoint();
  AppendN(10);
  const std::string large = *log_->Checkpoint();
  EXPECT_EQ(Verify(small, false, &large).status().reason(), "rollback");
}

TEST_F(LogVerifierTest, ForkedPreviousCheckpointIsRefused) {
  AppendN(20);
  auto signer = NewNoteSigner(keys_.skey);
  const NoteSigner* s = signer->get();
  Hash bogus{};
  bogus[0] = 1;
  auto forked = SignNote(FormatCheckpoint({kOrigin, 10, bogus, {}}),
                         std::span<const NoteSigner* const>(&s, 1));
  EXPECT_EQ(Verify(*log_->Checkpoint(), false, &*forked).status().reason(), "root_mismatch");
}

TEST_F(LogVerifierTest, TamperedEntryFailsFullVerification) {
  AppendN(300);
  const std::string note = *log_->Checkpoint();
  log_->Close();
  auto bundle = storage_->Read(EntriesPath(0));
  ASSERT_TRUE(bundle.ok());
  (*bundle)[5] ^= 1;
  ASSERT_TRUE(storage_->Write(std::vector<StorageWrite>{{EntriesPath(0), *bundle}}).ok());
  EXPECT_TRUE(Verify(note, false).ok());  // tiles are intact
  EXPECT_EQ(Verify(note, true).status().reason(), "tile_mismatch");
}

TEST_F(LogVerifierTest, TamperedUpperTileFails) {
  AppendN(300);
  const std::string note = *log_->Checkpoint();
  log_->Close();
  auto tile = storage_->Read(TilePath(1, 0, 1));
  ASSERT_TRUE(tile.ok());
  (*tile)[3] ^= 1;
  ASSERT_TRUE(storage_->Write(std::vector<StorageWrite>{{TilePath(1, 0, 1), *tile}}).ok());
  EXPECT_EQ(Verify(note, false).status().reason(), "root_mismatch");
}

TEST_F(LogVerifierTest, TamperedLeafTileFailsFullVerification) {
  AppendN(300);
  const std::string note = *log_->Checkpoint();
  log_->Close();
  auto tile = storage_->Read(TilePath(0, 0));
  (*tile)[40] ^= 1;
  ASSERT_TRUE(storage_->Write(std::vector<StorageWrite>{{TilePath(0, 0), *tile}}).ok());
  // The root is covered by the level-1 tile, so only the full check notices.
  EXPECT_TRUE(Verify(note, false).ok());
  EXPECT_EQ(Verify(note, true).status().reason(), "tile_mismatch");
}

TEST_F(LogVerifierTest, EntryCheckRunsOnEveryEntry) {
  AppendN(5);
  VerifyLogRequest req;
  const std::string note = *log_->Checkpoint();
  req.checkpoint_note = note;
  req.origin = kOrigin;
  req.log_key = key_.get();
  req.full = true;
  req.entry_check = [](uint64_t index, BytesView) {
    return index == 3 ? InvalidArgument("bad", "bad_entry") : Status::Ok();
  };
  StorageResourceReader reader(*storage_);
  EXPECT_EQ(VerifyLog(req, reader).status().reason(), "bad_entry");
}

TEST_F(LogVerifierTest, MissingWitnessCosignatureFails) {
  AppendN(3);
  auto w = MakeKeys("w.example", NoteKeyType::kCosignatureV1);
  auto wkey = NewNoteVerifier(w.vkey);
  VerifyLogRequest req;
  const std::string note = *log_->Checkpoint();
  req.checkpoint_note = note;
  req.origin = kOrigin;
  req.log_key = key_.get();
  req.witnesses = {wkey->get()};
  StorageResourceReader reader(*storage_);
  EXPECT_EQ(VerifyLog(req, reader).status().reason(), "missing_cosignature");
}

}  // namespace
}  // namespace accord::audit
