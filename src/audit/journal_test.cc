#include "audit/journal.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "audit/posix_journal.h"
#include "audit/posix_log_storage.h"
#include "audit/test_util.h"
#include "audit/tile_log.h"

namespace accord::audit {
namespace {

using testing::MakeKeys;
using testing::MakeOptions;
using testing::TempDir;

std::vector<Bytes> Entries(uint64_t first, size_t n) {
  std::vector<Bytes> out;
  for (size_t i = 0; i < n; ++i) out.push_back(ToBytes("e" + std::to_string(first + i)));
  return out;
}

TEST(JournalRecordTest, RoundTrips) {
  const auto entries = Entries(7, 3);
  const Bytes frame = EncodeJournalRecord(7, entries);
  JournalRecord rec;
  size_t used = 0;
  ASSERT_EQ(DecodeJournalFrame(frame, &rec, &used), FrameResult::kRecord);
  EXPECT_EQ(used, frame.size());
  EXPECT_EQ(rec.first, 7u);
  EXPECT_EQ(rec.entries, entries);
  EXPECT_EQ(rec.end(), 10u);
}

// A frame written by an independent encoder from docs/audit-format.md ("Journal").
TEST(JournalRecordTest, DecodesTheDocumentedFormat) {
  std::ifstream in(std::string(ACCORD_SOURCE_DIR) + "/fuzz/corpus/audit/journal_record", std::ios::binary);
  ASSERT_TRUE(in);
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  JournalRecord rec;
  size_t used = 0;
  ASSERT_EQ(DecodeJournalFrame(AsBytes(data), &rec, &used), FrameResult::kRecord);
  EXPECT_EQ(used, data.size());
  EXPECT_EQ(rec.first, 5u);
  EXPECT_EQ(rec.entries, (std::vector<Bytes>{ToBytes("e0"), ToBytes("entry one")}));
  EXPECT_EQ(EncodeJournalRecord(5, rec.entries), ToBytes(data));
}

TEST(JournalRecordTest, TruncatedFrameIsTorn) {
  const Bytes frame = EncodeJournalRecord(0, Entries(0, 2));
  JournalRecord rec;
  size_t used = 0;
  for (size_t cut : {size_t{1}, size_t{8}, frame.size() - 1}) {
    EXPECT_EQ(DecodeJournalFrame(BytesView(frame).first(cut), &rec, &used), FrameResult::kTorn) << cut;
  }
}

TEST(JournalRecordTest, FlippedBitFailsChecksum) {
  Bytes frame = EncodeJournalRecord(0, Entries(0, 2));
  frame[14] ^= 0x40;
  JournalRecord rec;
  size_t used = 0;
  EXPECT_EQ(DecodeJournalFrame(frame, &rec, &used), FrameResult::kTorn);
}

TEST(JournalRecordTest, EmptyOrZeroFilledIsEnd) {
  JournalRecord rec;
  size_t used = 0;
  EXPECT_EQ(DecodeJournalFrame(BytesView(), &rec, &used), FrameResult::kEnd);
  const Bytes zeros(64, 0);
  EXPECT_EQ(DecodeJournalFrame(zeros, &rec, &used), FrameResult::kEnd);
}

class PosixJournalTest : public ::testing::Test {
 protected:
  std::string dir() const { return dir_.path() + "/j"; }
  void AppendRecord(Journal& j, uint64_t first, size_t n) {
    ASSERT_TRUE(j.Append(first, first + n, EncodeJournalRecord(first, Entries(first, n))).ok());
  }
  TempDir dir_;
};

TEST_F(PosixJournalTest, ReadsBackRecordsFromAnIndex) {
  {
    auto j = PosixJournal::Open(dir());
    ASSERT_TRUE(j.ok());
    AppendRecord(**j, 0, 3);
    AppendRecord(**j, 3, 2);
    AppendRecord(**j, 5, 4);
  }
  auto j = PosixJournal::Open(dir());
  auto recs = (*j)->ReadFrom(3);
  ASSERT_TRUE(recs.ok()) << recs.status().ToString();
  ASSERT_EQ(recs->size(), 2u);
  EXPECT_EQ((*recs)[0].first, 3u);
  EXPECT_EQ((*recs)[1].entries, Entries(5, 4));
}

TEST_F(PosixJournalTest, RollsSegmentsAndTrimsIntegratedOnes) {
  auto j = PosixJournal::Open(dir(), /*segment_bytes=*/1);
  for (uint64_t i = 0; i < 5; ++i) AppendRecord(**j, i * 2, 2);
  EXPECT_EQ((*j)->segment_count(), 5u);
  ASSERT_TRUE((*j)->Trim(6).ok());
  EXPECT_EQ((*j)->segment_count(), 2u);
  ASSERT_TRUE((*j)->Trim(100).ok());
  EXPECT_EQ((*j)->segment_count(), 1u);  // never the segment being written
}

TEST_F(PosixJournalTest, TornTailIsDroppedAndTruncated) {
  {
    auto j = PosixJournal::Open(dir());
    AppendRecord(**j, 0, 3);
  }
  const std::string seg = dir() + "/00000000000000000000";
  const Bytes torn = EncodeJournalRecord(3, Entries(3, 5));
  {
    std::ofstream out(seg, std::ios::binary | std::ios::app);
    out.write(reinterpret_cast<const char*>(torn.data()), static_cast<std::streamsize>(torn.size() / 2));
  }
  auto j = PosixJournal::Open(dir());
  auto recs = (*j)->ReadFrom(0);
  ASSERT_TRUE(recs.ok()) << recs.status().ToString();
  ASSERT_EQ(recs->size(), 1u);
  EXPECT_EQ(std::filesystem::file_size(seg), EncodeJournalRecord(0, Entries(0, 3)).size());
}

TEST_F(PosixJournalTest, GapIsDataLoss) {
  {
    auto j = PosixJournal::Open(dir());
    AppendRecord(**j, 0, 3);
    AppendRecord(**j, 5, 1);
  }
  auto j = PosixJournal::Open(dir());
  EXPECT_EQ((*j)->ReadFrom(0).status().reason(), "journal_gap");
}

TEST_F(PosixJournalTest, MissingStartIsDataLoss) {
  {
    auto j = PosixJournal::Open(dir());
    AppendRecord(**j, 10, 3);
  }
  auto j = PosixJournal::Open(dir());
  EXPECT_EQ((*j)->ReadFrom(4).status().reason(), "journal_gap");
}

// What a crash between acknowledgement and integration leaves: entries only in the journal.
TEST(TileLogJournalTest, OpenIntegratesAcknowledgedJournalEntries) {
  TempDir dir;
  const auto keys = MakeKeys("log.accord.example");
  auto storage = PosixLogStorage::Open(dir.path());
  {
    auto log = TileLog::Open(storage->get(), MakeOptions(keys, "log.accord.example"));
    ASSERT_TRUE((*log)->Append(ToBytes("e0")).get().ok());
  }
  {
    auto journal = (*storage)->OpenJournal();
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE((*journal)->Append(1, 4, EncodeJournalRecord(1, Entries(1, 3))).ok());
  }
  auto log = TileLog::Open(storage->get(), MakeOptions(keys, "log.accord.example"));
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ((*log)->size(), 4u);
  EXPECT_EQ(ToString(*(*log)->Entry(3)), "e3");
  EXPECT_EQ(*(*log)->Append(ToBytes("e4")).get(), 4u);
}

}  // namespace
}  // namespace accord::audit
