#include "audit/change_recorder.h"

#include <filesystem>
#include <fstream>
#include <vector>

#include <gtest/gtest.h>

#include "audit/test_util.h"

namespace accord::audit {
namespace {

using testing::TempDir;

class CollectingSink final : public AuditSink {
 public:
  Status Record(const AuditEvent& event) override {
    ACCORD_RETURN_IF_ERROR(ValidateAuditEvent(event));
    if (fail) return Unavailable("log down", "log_failed");
    events.push_back(event);
    return Status::Ok();
  }
  std::vector<AuditEvent> events;
  bool fail = false;
};

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

class ChangeRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    policy_dir_ = dir_.path() + "/trust";
    std::filesystem::create_directories(policy_dir_);
    WriteFile(policy_dir_ + "/services.toml", "[[services]]\nclient_id = \"a\"\n");
  }
  ChangeRecorder::Options Opts() {
    ChangeRecorder::Options o;
    o.state_file = dir_.path() + "/recorded-changes.json";
    o.list_kids = [this]() -> Result<std::vector<std::string>> { return kids_; };
    o.policy_dir = policy_dir_;
    o.interval = std::chrono::hours(1);
    return o;
  }
  TempDir dir_;
  std::string policy_dir_;
  std::vector<std::string> kids_{"kid-1", "kid-2"};
  CollectingSink sink_;
  FixedClock clock_{1'700'000'000};
};

TEST_F(ChangeRecorderTest, FirstStartRecordsEveryKeyAndThePolicy) {
  auto r = ChangeRecorder::Start(Opts(), &sink_, &clock_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(sink_.events.size(), 3u);
  EXPECT_EQ(sink_.events[0].type, EventType::kKeyRotated);
  EXPECT_EQ(sink_.events[0].consent_id, "kid-1");
  EXPECT_EQ(sink_.events[1].consent_id, "kid-2");
  EXPECT_EQ(sink_.events[2].type, EventType::kPolicyChanged);
  EXPECT_EQ(sink_.events[2].consent_id.rfind("sha256:", 0), 0u);
  EXPECT_TRUE(sink_.events[2].subject_commitment.empty());
}

TEST_F(ChangeRecorderTest, RestartWithNothingChangedRecordsNothing) {
  { ASSERT_TRUE(ChangeRecorder::Start(Opts(), &sink_, &clock_).ok()); }
  sink_.events.clear();
  auto r = ChangeRecorder::Start(Opts(), &sink_, &clock_);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(sink_.events.empty());
}

TEST_F(ChangeRecorderTest, NewKeyAndChangedPolicyAreEachRecordedOnce) {
  auto r = ChangeRecorder::Start(Opts(), &sink_, &clock_);
  ASSERT_TRUE(r.ok());
  sink_.events.clear();
  kids_.push_back("kid-3");
  WriteFile(policy_dir_ + "/services.toml", "[[services]]\nclient_id = \"b\"\n");
  ASSERT_TRUE((*r)->CheckNow().ok());
  ASSERT_EQ(sink_.events.size(), 2u);
  EXPECT_EQ(sink_.events[0].type, EventType::kKeyRotated);
  EXPECT_EQ(sink_.events[0].consent_id, "kid-3");
  EXPECT_EQ(sink_.events[1].type, EventType::kPolicyChanged);
  ASSERT_TRUE((*r)->CheckNow().ok());
  EXPECT_EQ(sink_.events.size(), 2u);
}

TEST_F(ChangeRecorderTest, StartFailsClosedWhenTheLogRefusesAndRetriesLater) {
  sink_.fail = true;
  EXPECT_FALSE(ChangeRecorder::Start(Opts(), &sink_, &clock_).ok());
  sink_.fail = false;
  auto r = ChangeRecorder::Start(Opts(), &sink_, &clock_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sink_.events.size(), 3u);  // nothing was marked recorded by the failed start
}

TEST_F(ChangeRecorderTest, LostStateRecordsTheCurrentStateAgain) {
  { ASSERT_TRUE(ChangeRecorder::Start(Opts(), &sink_, &clock_).ok()); }
  std::filesystem::remove(dir_.path() + "/recorded-changes.json");
  sink_.events.clear();
  ASSERT_TRUE(ChangeRecorder::Start(Opts(), &sink_, &clock_).ok());
  EXPECT_EQ(sink_.events.size(), 3u);
}

TEST_F(ChangeRecorderTest, EachNewCurrentKekIsRecordedOnceAndSurvivesRestart) {
  std::string kek = "kek-1";
  auto opts = [&] {
    ChangeRecorder::Options o = Opts();
    o.current_kek_id = [&kek]() -> Result<std::string> { return kek; };
    return o;
  };
  {
    auto r = ChangeRecorder::Start(opts(), &sink_, &clock_);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(sink_.events.size(), 4u);  // kid-1, kid-2, the policy, the KEK
    EXPECT_EQ(sink_.events[3].type, EventType::kKekRotated);
    EXPECT_EQ(sink_.events[3].consent_id, "kek-1");
    EXPECT_TRUE(sink_.events[3].subject_commitment.empty());
    ASSERT_TRUE((*r)->CheckNow().ok());
    EXPECT_EQ(sink_.events.size(), 4u);
    kek = "kek-2";  // `accord keys rotate-kek` staged it; the server's reload made it current
    ASSERT_TRUE((*r)->CheckNow().ok());
    ASSERT_EQ(sink_.events.size(), 5u);
    EXPECT_EQ(sink_.events[4].type, EventType::kKekRotated);
    EXPECT_EQ(sink_.events[4].consent_id, "kek-2");
  }
  sink_.events.clear();
  ASSERT_TRUE(ChangeRecorder::Start(opts(), &sink_, &clock_).ok());
  EXPECT_TRUE(sink_.events.empty());  // kek-2 is in the state file
}

TEST_F(ChangeRecorderTest, AStateFileFromBeforeKekRecordingRecordsTheCurrentKekOnce) {
  { ASSERT_TRUE(ChangeRecorder::Start(Opts(), &sink_, &clock_).ok()); }  // no KEK option
  sink_.events.clear();
  ChangeRecorder::Options o = Opts();
  o.current_kek_id = []() -> Result<std::string> { return std::string("default"); };
  ASSERT_TRUE(ChangeRecorder::Start(o, &sink_, &clock_).ok());
  ASSERT_EQ(sink_.events.size(), 1u);
  EXPECT_EQ(sink_.events[0].type, EventType::kKekRotated);
  EXPECT_EQ(sink_.events[0].consent_id, "default");
}

TEST_F(ChangeRecorderTest, AnUnloggableKekIdFailsClosed) {
  ChangeRecorder::Options o = Opts();
  o.current_kek_id = []() -> Result<std::string> { return std::string("kek with spaces"); };
  auto r = ChangeRecorder::Start(o, &sink_, &clock_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "bad_entry");
}

TEST_F(ChangeRecorderTest, CorruptStateIsAnError) {
  WriteFile(dir_.path() + "/recorded-changes.json", "{not json");
  auto r = ChangeRecorder::Start(Opts(), &sink_, &clock_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "bad_state");
}

TEST(PolicyDigestTest, DependsOnNamesAndContents) {
  TempDir a, b;
  WriteFile(a.path() + "/x.toml", "1");
  WriteFile(b.path() + "/y.toml", "1");
  auto da = PolicyDigest(a.path()), db = PolicyDigest(b.path());
  ASSERT_TRUE(da.ok() && db.ok());
  EXPECT_NE(*da, *db);
  EXPECT_EQ(da->size(), 7u + 64u);
  EXPECT_FALSE(PolicyDigest(a.path() + "/missing").ok());
}

}  // namespace
}  // namespace accord::audit
