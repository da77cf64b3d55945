#include "audit/audit_sink.h"

#include <gtest/gtest.h>

#include <thread>

#include "audit/posix_log_storage.h"
#include "audit/test_util.h"

namespace accord::audit {
namespace {

using testing::MakeKeys;
using testing::MakeOptions;
using testing::TempDir;

class AuditSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_ = MakeKeys("log.accord.example");
    storage_ = std::move(*PosixLogStorage::Open(dir_.path()));
    log_ = std::move(*TileLog::Open(storage_.get(), MakeOptions(keys_, "log.accord.example")));
    committer_ = std::make_unique<SubjectCommitter>(*SubjectCommitter::Create(crypto::SecretBytes(Bytes(32, 7))));
  }
  AuditEvent Release(const std::string& subject) {
    AuditEvent e;
    e.time_ms = 1700000000000;
    e.type = EventType::kAttributeRelease;
    e.service = "sg-benefits";
    e.upstream = "sandbox-uk";
    e.attributes = {{"birthdate", "official-sensitive"}};
    e.assurance = "substantial";
    e.consent_id = "consent-1";
    e.subject_commitment = *committer_->Commit(subject);
    return e;
  }

  TempDir dir_;
  testing::LogKeys keys_;
  std::unique_ptr<PosixLogStorage> storage_;
  std::unique_ptr<TileLog> log_;
  std::unique_ptr<SubjectCommitter> committer_;
};

TEST_F(AuditSinkTest, RecordedEventIsDurableAndCanonicalInTheLog) {
  TileLogAuditSink sink(log_.get());
  auto index = sink.RecordWithIndex(Release("pairwise-abc"));
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_GE(log_->sequenced_size(), *index + 1);  // durable when Record returns
  ASSERT_TRUE(log_->AwaitIntegrated(*index + 1, std::chrono::seconds(10)).ok());
  auto entry = log_->Entry(*index);
  ASSERT_TRUE(entry.ok());
  auto parsed = ParseAuditEvent(AsStringView(*entry));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, Release("pairwise-abc"));
  EXPECT_EQ(AsStringView(*entry).find("pairwise-abc"), std::string_view::npos);
}

TEST_F(AuditSinkTest, InvalidEventIsRejectedAndNotAppended) {
  TileLogAuditSink sink(log_.get());
  AuditEvent e = Release("s");
  e.attributes[0].name = "Ada Lovelace";
  EXPECT_EQ(sink.Record(e).reason(), "bad_entry");
  EXPECT_EQ(log_->sequenced_size(), 0u);
}

TEST_F(AuditSinkTest, ClosedLogFailsClosed) {
  TileLogAuditSink sink(log_.get());
  log_->Close();
  EXPECT_EQ(sink.Record(Release("s")).reason(), "log_closed");
}

TEST_F(AuditSinkTest, ConcurrentRecordsAllLand) {
  TileLogAuditSink sink(log_.get());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) ok += sink.Record(Release("s" + std::to_string(t * 100 + i))).ok();
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 100);
  EXPECT_EQ(log_->sequenced_size(), 100u);
}

TEST(SubjectCommitterTest, ShortKeyRejected) {
  EXPECT_EQ(SubjectCommitter::Create(crypto::SecretBytes(Bytes(31, 1))).status().reason(), "bad_key");
}

}  // namespace
}  // namespace accord::audit
