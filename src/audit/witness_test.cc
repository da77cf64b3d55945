#include "audit/witness.h"

#include <gtest/gtest.h>

#include "audit/merkle_nodes.h"
#include "audit/note_keys.h"
#include "audit/posix_log_storage.h"
#include "audit/test_util.h"
#include "audit/tile_log.h"
#include "common/base64url.h"

namespace accord::audit {
namespace {

using testing::LogKeys;
using testing::MakeKeys;
using testing::TempDir;

constexpr char kOrigin[] = "uk.accord.example/log";

// An in-memory log whose checkpoints the tests sign (so they can also sign forks).
class FakeLog {
 public:
  explicit FakeLog(const LogKeys& keys) : signer_(std::move(*NewNoteSigner(keys.skey))) {}
  void Add(std::string_view entry) { leaves_.push_back(HashLeaf(AsBytes(entry))); }
  std::string Checkpoint(uint64_t size) const {
    Hash root = RootFromLeafHashes(std::span<const Hash>(leaves_).first(size));
    const NoteSigner* s = signer_.get();
    return *SignNote(FormatCheckpoint({kOrigin, size, root, {}}),
                     std::span<const NoteSigner* const>(&s, 1));
  }
  std::vector<Hash> Proof(uint64_t s1, uint64_t s2) const {
    LeafHashNodeReader r(leaves_);
    return *BuildConsistencyProof(r, s1, s2);
  }

 private:
  std::unique_ptr<NoteSigner> signer_;
  std::vector<Hash> leaves_;
};

class WitnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_keys_ = MakeKeys(kOrigin);
    witness_keys_ = MakeKeys("sg.witness.example/w1", NoteKeyType::kCosignatureV1);
    storage_ = std::move(*PosixLogStorage::Open(dir_.path()));
    witness_ = OpenWitness();
    log_ = std::make_unique<FakeLog>(log_keys_);
    fork_ = std::make_unique<FakeLog>(log_keys_);
    for (int i = 0; i < 20; ++i) {
      log_->Add("e" + std::to_string(i));
      fork_->Add(i < 10 ? "e" + std::to_string(i) : "forked" + std::to_string(i));
    }
  }
  std::unique_ptr<Witness> OpenWitness() {
    std::vector<WitnessedLog> logs;
    logs.push_back({kOrigin, std::move(*NewNoteVerifier(log_keys_.vkey))});
    auto w = Witness::Open(storage_.get(), std::move(*NewNoteSigner(witness_keys_.skey, clock_)),
                           std::move(logs));
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    return w.ok() ? std::move(*w) : nullptr;
  }
  Result<std::string> Add(const FakeLog& log, uint64_t old_size, uint64_t size,
                          uint64_t* ws = nullptr) {
    return witness_->AddCheckpoint(old_size, log.Proof(old_size, size), log.Checkpoint(size), ws);
  }

  TempDir dir_;
  FixedClock clock_{1700000000};
  LogKeys log_keys_, witness_keys_;
  std::unique_ptr<PosixLogStorage> storage_;
  std::unique_ptr<Witness> witness_;
  std::unique_ptr<FakeLog> log_, fork_;
};

TEST_F(WitnessTest, CosignsFirstCheckpointAndTheCosignatureVerifies) {
  auto lines = Add(*log_, 0, 5);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  const std::string cosigned = log_->Checkpoint(5) + *lines;
  auto wkey = NewNoteVerifier(witness_keys_.vkey);
  const NoteVerifier* w = wkey->get();
  auto v = OpenCheckpoint(cosigned, kOrigin, **NewNoteVerifier(log_keys_.vkey),
                          std::span<const NoteVerifier* const>(&w, 1));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(witness_->Latest(kOrigin)->size, 5u);
}

TEST_F(WitnessTest, AdvancesWithConsistencyProofAndPersistsDurably) {
  ASSERT_TRUE(Add(*log_, 0, 5).ok());
  ASSERT_TRUE(Add(*log_, 5, 13).ok());
  ASSERT_TRUE(Add(*log_, 13, 13).ok());  // same checkpoint again is fine
  witness_.reset();
  witness_ = OpenWitness();
  EXPECT_EQ(witness_->Latest(kOrigin)->size, 13u);
  EXPECT_TRUE(Add(*log_, 13, 20).ok());
}

TEST_F(WitnessTest, RefusesSameSizeWithDifferentRoot) {
  ASSERT_TRUE(Add(*log_, 0, 15).ok());
  const Hash before = witness_->Latest(kOrigin)->root;
  EXPECT_EQ(Add(*fork_, 15, 15).status().reason(), "fork_detected");
  EXPECT_EQ(witness_->Latest(kOrigin)->root, before);
}

TEST_F(WitnessTest, RefusesInconsistentLargerCheckpoint) {
  ASSERT_TRUE(Add(*log_, 0, 12).ok());
  // The fork shares the first 10 entries only; its proof from 12 cannot match our root at 12.
  EXPECT_EQ(Add(*fork_, 12, 20).status().reason(), "inconsistent_checkpoint");
  EXPECT_EQ(witness_->Latest(kOrigin)->size, 12u);
}

TEST_F(WitnessTest, RefusesSmallerCheckpoint) {
  ASSERT_TRUE(Add(*log_, 0, 12).ok());
  uint64_t ws = 0;
  EXPECT_EQ(Add(*log_, 0, 8, &ws).status().reason(), "old_size_mismatch");
  EXPECT_EQ(ws, 12u);
  EXPECT_EQ(witness_->AddCheckpoint(12, {}, log_->Checkpoint(8), nullptr).status().reason(),
            "bad_old_size");
  EXPECT_EQ(witness_->Latest(kOrigin)->size, 12u);
}

TEST_F(WitnessTest, StaleOldSizeGetsConflictWithLatestSize) {
  ASSERT_TRUE(Add(*log_, 0, 10).ok());
  uint64_t ws = 0;
  EXPECT_EQ(Add(*log_, 5, 15, &ws).status().reason(), "old_size_mismatch");
  EXPECT_EQ(ws, 10u);
}

TEST_F(WitnessTest, UnknownOriginAndUnknownKeyAreRefused) {
  LogKeys other = MakeKeys("other.example/log");
  auto signer = NewNoteSigner(other.skey);
  const NoteSigner* s = signer->get();
  auto note = SignNote(FormatCheckpoint({"other.example/log", 0, EmptyRoot(), {}}),
                       std::span<const NoteSigner* const>(&s, 1));
  EXPECT_EQ(witness_->AddCheckpoint(0, {}, *note, nullptr).status().reason(), "unknown_log");
  FakeLog impostor(MakeKeys(kOrigin));
  impostor.Add("x");
  EXPECT_EQ(Add(impostor, 0, 1).status().reason(), "unknown_key");
}

TEST_F(WitnessTest, ParsesAddCheckpointRequestBody) {
  ASSERT_TRUE(Add(*log_, 0, 6).ok());
  std::string body = "old 6\n";
  for (const Hash& h : log_->Proof(6, 11)) body += Base64Encode(HashView(h)) + "\n";
  body += "\n" + log_->Checkpoint(11);
  auto lines = witness_->AddCheckpointRequest(body, nullptr);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  EXPECT_EQ(lines->substr(0, 3), "\xE2\x80\x94");
  EXPECT_EQ(witness_->AddCheckpointRequest("old 06\n\n" + log_->Checkpoint(11), nullptr)
                .status()
                .reason(),
            "bad_request");
  EXPECT_EQ(witness_->AddCheckpointRequest("old 11\n" + log_->Checkpoint(11), nullptr)
                .status()
                .reason(),
            "bad_request");
}

TEST_F(WitnessTest, LogPublishesOnlyCheckpointsCosignedByRequiredWitness) {
  TempDir log_dir;
  auto log_storage = PosixLogStorage::Open(log_dir.path());
  TileLogOptions o = testing::MakeOptions(log_keys_, kOrigin);
  o.witnesses.push_back({std::move(*NewNoteVerifier(witness_keys_.vkey)), witness_.get()});
  auto log = TileLog::Open(log_storage->get(), std::move(o));
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  for (int round = 0; round < 3; ++round) {
    std::vector<std::future<Result<uint64_t>>> fs;
    for (int i = 0; i < 50; ++i) fs.push_back((*log)->Append(ToBytes("x" + std::to_string(i))));
    for (auto& f : fs) ASSERT_TRUE(f.get().ok());
  }
  (*log)->Close();
  ASSERT_TRUE((*log)->last_publish_status().ok()) << (*log)->last_publish_status().ToString();
  auto note = (*log)->Checkpoint();
  ASSERT_TRUE(note.ok());
  auto wkey = NewNoteVerifier(witness_keys_.vkey);
  const NoteVerifier* w = wkey->get();
  auto v = OpenCheckpoint(*note, kOrigin, **NewNoteVerifier(log_keys_.vkey),
                          std::span<const NoteVerifier* const>(&w, 1));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->checkpoint.size, 150u);
  EXPECT_EQ(witness_->Latest(kOrigin)->size, 150u);
}

}  // namespace
}  // namespace accord::audit
