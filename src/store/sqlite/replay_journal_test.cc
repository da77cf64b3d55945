// The replay journal alone (replay_journal.h) and as a SQLite store's replay cache.
#include "store/sqlite/replay_journal.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/testing/temp_dir.h"
#include "store/sqlite/sqlite_store.h"
#include "store/token_hash.h"

namespace accord::store::sqlite {
namespace {

constexpr int64_t kNow = 1'800'000'000;

ReplayRecord Assertion(std::string key, int64_t expires_at = kNow + 360) {
  return {ReplayScope::kClientAssertion, std::move(key), expires_at};
}

// A code of scope openid (a login-only exchange) issued at `issued_at`, living `life` seconds.
AuthCode LoginCode(const std::string& label, int64_t issued_at, int64_t life) {
  AuthCode c;
  c.code_hash = HashToken(label);
  c.grant_id = "grant-" + label;
  c.client_id = "c";
  c.subject = "subject-1";
  c.redirect_uri = "https://rp.example/cb";
  c.scope = "openid";
  c.code_challenge = "challenge";
  c.issued_at = issued_at;
  c.expires_at = issued_at + life;
  return c;
}

// Its exchange at `now` (no refresh token: the scope lacks offline_access), with an assertion
// jti when `jti` is set; a reuse would revoke the grant until `revoked_until`.
CodeRedemption LoginRedemption(const AuthCode& c, int64_t now, int64_t revoked_until,
                               const std::string& jti = "") {
  CodeRedemption r;
  if (!jti.empty()) r.replay_records = {Assertion(jti)};
  r.code_hash = c.code_hash;
  r.client_id = c.client_id;
  r.redirect_uri = c.redirect_uri;
  r.code_challenge = c.code_challenge;
  r.family_id = "family-" + c.grant_id;
  r.refresh_token_hash = HashToken("refresh-" + c.grant_id);
  r.family_expires_at = now + 3600;
  r.refresh_scope = "offline_access";
  r.revoked_grant_expires_at = revoked_until;
  return r;
}

std::vector<std::string> Segments(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".log") out.push_back(e.path().string());
  }
  return out;
}

class ReplayJournalTest : public ::testing::Test {
 protected:
  std::shared_ptr<ReplayJournal> Open(int64_t now = kNow) {
    auto j = ReplayJournal::Open(db_, now);
    EXPECT_TRUE(j.ok()) << j.status().ToString();
    return j.ok() ? *j : nullptr;
  }
  Status Record(ReplayJournal& j, std::vector<ReplayRecord> records, int64_t now = kNow,
                int* replayed = nullptr) {
    return j.Record(records, now, replayed);
  }
  ::accord::testing::TempDir tmp_{"accord-journal-test-"};
  const std::string db_ = tmp_.path() + "/accord.db";
  const std::string dir_ = db_ + "-replay";
};

TEST(JournalRecordTest, BytesAreTheDocumentedOnes) {
  // The expected bytes come from Python's zlib.crc32 and struct.pack (an independent encoder).
  JournalRecord r;
  r.scope = ReplayScope::kClientAssertion;
  r.expires_at = 1'800'000'360;
  for (uint8_t i = 0; i < 16; ++i) r.key[i] = i;
  std::string out;
  AppendJournalRecord(r, &out);
  std::string hex;
  for (unsigned char c : out) {
    hex += "0123456789abcdef"[c >> 4];
    hex += "0123456789abcdef"[c & 15];
  }
  EXPECT_EQ(hex, "01010000831612e768d3496b00000000000102030405060708090a0b0c0d0e0f");
  std::vector<JournalRecord> back;
  EXPECT_EQ(DecodeJournalRecords(out + "torn", [&](const JournalRecord& d) { back.push_back(d); }),
            kJournalRecordBytes);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].expires_at, r.expires_at);
  EXPECT_EQ(back[0].key, r.key);
}

TEST(JournalRecordTest, AWellFormedRecordOfAnUnknownScopeIsToldApartFromATornOne) {
  JournalRecord known;
  known.expires_at = kNow + 60;
  JournalRecord newer = known;
  newer.scope = static_cast<ReplayScope>(9);  // what a later version might write
  std::string out;
  AppendJournalRecord(known, &out);
  AppendJournalRecord(newer, &out);
  int foreign = 0;
  size_t n = 0;
  EXPECT_EQ(DecodeJournalRecords(out, [&](const JournalRecord&) { ++n; }, &foreign),
            kJournalRecordBytes);
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(foreign, 9);
  // The same record torn (its CRC broken) is an ordinary end.
  out[kJournalRecordBytes + 20] ^= 1;
  EXPECT_EQ(DecodeJournalRecords(out, [](const JournalRecord&) {}, &foreign),
            kJournalRecordBytes);
  EXPECT_EQ(foreign, -1);
  // So is a clean end.
  EXPECT_EQ(DecodeJournalRecords(out.substr(0, kJournalRecordBytes), [](const JournalRecord&) {},
                                 &foreign),
            kJournalRecordBytes);
  EXPECT_EQ(foreign, -1);
}

TEST_F(ReplayJournalTest, ARecordIsRefusedUntilItExpires) {
  auto j = Open();
  ASSERT_TRUE(Record(*j, {Assertion("c1 jti-1", kNow + 10)}).ok());
  EXPECT_TRUE(j->Contains(ReplayScope::kClientAssertion, "c1 jti-1", kNow));
  int replayed = -1;
  Status again = Record(*j, {Assertion("c1 jti-1", kNow + 10)}, kNow + 9, &replayed);
  EXPECT_EQ(again.reason(), "replay");
  EXPECT_EQ(replayed, 0);
  // Another scope, another key: independent.
  EXPECT_FALSE(j->Contains(ReplayScope::kDpopProof, "c1 jti-1", kNow));
  EXPECT_TRUE(Record(*j, {{ReplayScope::kDpopProof, "c1 jti-1", kNow + 10}}).ok());
  // Expired: gone, and may be recorded again.
  EXPECT_FALSE(j->Contains(ReplayScope::kClientAssertion, "c1 jti-1", kNow + 10));
  EXPECT_TRUE(Record(*j, {Assertion("c1 jti-1", kNow + 20)}, kNow + 10).ok());
}

TEST_F(ReplayJournalTest, RecordsAllOrNothing) {
  auto j = Open();
  ASSERT_TRUE(Record(*j, {Assertion("old")}).ok());
  int replayed = -1;
  Status s = Record(*j, {{ReplayScope::kDpopProof, "new", kNow + 60}, Assertion("old")}, kNow,
                    &replayed);
  EXPECT_EQ(s.reason(), "replay");
  EXPECT_EQ(replayed, 1);
  EXPECT_FALSE(j->Contains(ReplayScope::kDpopProof, "new", kNow));  // not recorded
  // The same key twice in one call is a replay of the first.
  replayed = -1;
  EXPECT_EQ(Record(*j, {Assertion("twice"), Assertion("twice")}, kNow, &replayed).reason(),
            "replay");
  EXPECT_EQ(replayed, 1);
  EXPECT_FALSE(j->Contains(ReplayScope::kClientAssertion, "twice", kNow));
  // Scopes kept in the table are refused.
  EXPECT_EQ(Record(*j, {{ReplayScope::kLogoutToken, "x", kNow + 60}}).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(ReplayJournalTest, LiveCountsWhatHasNotExpiredByNow) {
  auto j = Open();
  ASSERT_TRUE(Record(*j, {Assertion("short", kNow + 10), Assertion("long", kNow + 100)}).ok());
  EXPECT_EQ(j->Live(kNow), 2u);
  EXPECT_EQ(j->Live(kNow + 10), 1u);  // no record since: the count follows the clock
  EXPECT_EQ(j->size(), 1u);
  EXPECT_EQ(j->Live(kNow + 100), 0u);
}

TEST_F(ReplayJournalTest, SyncedRecordsSurviveAReopen) {
  {
    auto j = Open();
    ASSERT_TRUE(Record(*j, {Assertion("a"), {ReplayScope::kDpopProof, "b", kNow + 60}}).ok());
    ASSERT_TRUE(Record(*j, {Assertion("short", kNow + 5)}).ok());
    ASSERT_TRUE(j->Sync().ok());
    EXPECT_EQ(j->syncs(), 1u);
    EXPECT_TRUE(j->Sync().ok());  // nothing new: no sync
    EXPECT_EQ(j->syncs(), 1u);
  }
  auto j = Open(kNow + 10);
  EXPECT_EQ(j->records_read(), 3u);
  EXPECT_TRUE(j->Contains(ReplayScope::kClientAssertion, "a", kNow + 10));
  EXPECT_TRUE(j->Contains(ReplayScope::kDpopProof, "b", kNow + 10));
  EXPECT_FALSE(j->Contains(ReplayScope::kClientAssertion, "short", kNow + 10));  // expired
  EXPECT_EQ(Record(*j, {Assertion("a")}, kNow + 10).reason(), "replay");
}

TEST_F(ReplayJournalTest, FilesArePrivate) {
  auto j = Open();
  ASSERT_TRUE(Record(*j, {Assertion("a")}).ok());
  ASSERT_TRUE(j->Sync().ok());
  struct stat st {};
  ASSERT_EQ(stat(dir_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  const std::vector<std::string> segments = Segments(dir_);
  ASSERT_EQ(segments.size(), 1u);
  ASSERT_EQ(stat(segments[0].c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, static_cast<off_t>(ReplayJournal::kRecordBytes));
}

TEST_F(ReplayJournalTest, ATornOrCorruptTailIsIgnored) {
  {
    auto j = Open();
    ASSERT_TRUE(Record(*j, {Assertion("kept-1"), Assertion("kept-2"), Assertion("flipped")}).ok());
    ASSERT_TRUE(j->Sync().ok());
  }
  const std::vector<std::string> segments = Segments(dir_);
  ASSERT_EQ(segments.size(), 1u);
  {
    // Flip a bit of the third record's expiry (its CRC no longer matches), then add half a
    // record: what a crash in the middle of an unsynced append leaves.
    std::fstream f(segments[0], std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(2 * ReplayJournal::kRecordBytes + 9);
    f.put('\x7f');
    f.seekp(0, std::ios::end);
    f.write("\x01\x01\x00\x00garbage", 11);
  }
  auto j = Open();
  EXPECT_EQ(j->records_read(), 2u);
  EXPECT_TRUE(j->Contains(ReplayScope::kClientAssertion, "kept-1", kNow));
  EXPECT_TRUE(j->Contains(ReplayScope::kClientAssertion, "kept-2", kNow));
  EXPECT_FALSE(j->Contains(ReplayScope::kClientAssertion, "flipped", kNow));
  // The journal goes on in a new segment.
  ASSERT_TRUE(Record(*j, {Assertion("after")}).ok());
  ASSERT_TRUE(j->Sync().ok());
  EXPECT_EQ(Segments(dir_).size(), 2u);
}

TEST_F(ReplayJournalTest, AJournalANewerVersionWroteIsNotOpened) {
  {
    auto j = Open();
    ASSERT_TRUE(Record(*j, {Assertion("before")}).ok());
    ASSERT_TRUE(j->Sync().ok());
  }
  const std::vector<std::string> segments = Segments(dir_);
  ASSERT_EQ(segments.size(), 1u);
  {
    // A record of a scope this build does not know (well formed: a newer Accord wrote it), then
    // one this build knows, which reading on past the first would have to keep.
    JournalRecord newer;
    newer.scope = static_cast<ReplayScope>(9);
    newer.expires_at = kNow + 60;
    JournalRecord after;
    after.expires_at = kNow + 60;
    std::string bytes;
    AppendJournalRecord(newer, &bytes);
    AppendJournalRecord(after, &bytes);
    std::ofstream f(segments[0], std::ios::binary | std::ios::app);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  const uintmax_t size = std::filesystem::file_size(segments[0]);
  auto j = ReplayJournal::Open(db_, kNow);
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().reason(), "journal_from_newer_version");
  EXPECT_NE(j.status().message().find("scope 9"), std::string::npos) << j.status().ToString();
  // Nothing was deleted or rewritten, even past every expiry: the newer version can go on.
  auto late = ReplayJournal::Open(db_, kNow + 3600);
  EXPECT_FALSE(late.ok());
  ASSERT_EQ(Segments(dir_).size(), 1u);
  EXPECT_EQ(std::filesystem::file_size(segments[0]), size);
}

TEST_F(ReplayJournalTest, ExpiredSegmentsAreDeleted) {
  auto j = Open();
  ASSERT_TRUE(Record(*j, {Assertion("first", kNow + 10)}).ok());
  ASSERT_TRUE(j->Sync().ok());
  // A segment is closed after kSegmentSeconds; the next sync deletes it once all it holds has
  // expired.
  const int64_t later = kNow + ReplayJournal::kSegmentSeconds + 1;
  ASSERT_TRUE(Record(*j, {Assertion("second", later + 10)}, later).ok());
  ASSERT_TRUE(j->Sync().ok());
  const std::vector<std::string> segments = Segments(dir_);
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_NE(segments[0].find("0000000002.log"), std::string::npos);
  j.reset();
  // Opened after everything expired: nothing read back is kept, and the files go.
  auto reopened = Open(later + 10);
  EXPECT_EQ(reopened->size(), 0u);
  EXPECT_TRUE(Segments(dir_).empty());
}

TEST_F(ReplayJournalTest, OneJournalPerProcessAndNoneBesideAnotherProcess) {
  auto a = Open();
  auto b = Open();
  EXPECT_EQ(a.get(), b.get());  // the stores of one database file share it
  a.reset();
  b.reset();
  // Another process holding the lock (a second open file description behaves the same).
  const int fd = ::open((dir_ + "/LOCK").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  auto refused = ReplayJournal::Open(db_, kNow);
  EXPECT_EQ(refused.status().reason(), "journal_in_use");
  ::close(fd);
  EXPECT_TRUE(ReplayJournal::Open(db_, kNow).ok());
}

class JournaledStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> OpenStore(size_t max_entries = ReplayJournal::kDefaultMaxEntries,
                                   bool journal = true) {
    StoreConfig config;
    config.sqlite_path = tmp_.path() + "/accord.db";
    config.replay_journal = journal;
    config.replay_journal_max_entries = max_entries;
    auto store = OpenSqliteStore(config);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
  ::accord::testing::TempDir tmp_{"accord-journal-store-test-"};
};

TEST_F(JournaledStoreTest, PerRequestJtisAreKeptInTheJournalAndSurviveARestart) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(store->RecordOnce(ReplayScope::kClientAssertion, "c jti", kNow + 60, kNow).ok());
    EXPECT_EQ(store->RecordOnce(ReplayScope::kClientAssertion, "c jti", kNow + 60, kNow).reason(),
              "replay");
    RedeemFailure failure;
    Status replay = store->RecordAll({{ReplayScope::kDpopProof, "k p", kNow + 60},
                                      Assertion("c jti")},
                                     kNow, &failure);
    EXPECT_EQ(replay.reason(), "replay");
    EXPECT_EQ(failure.replayed_index, 1);
    EXPECT_FALSE(*store->IsRecorded(ReplayScope::kDpopProof, "k p", kNow));
    ASSERT_TRUE(store->RecordAllLater({{ReplayScope::kDpopProof, "k p", kNow + 60}}, kNow,
                                      std::make_shared<RedeemFailure>())
                    .ok());
    EXPECT_TRUE(*store->IsRecorded(ReplayScope::kDpopProof, "k p", kNow));
    // The table's scopes stay in the table; a list mixing both is refused.
    ASSERT_TRUE(store->RecordOnce(ReplayScope::kLogoutToken, "l", kNow + 60, kNow).ok());
    EXPECT_EQ(store->RecordAll({Assertion("x"), {ReplayScope::kLogoutToken, "y", kNow + 60}},
                               kNow, nullptr)
                  .code(),
              StatusCode::kInvalidArgument);
  }
  // Every call returned after its records were synced: a new process refuses them all.
  auto store = OpenStore();
  EXPECT_EQ(store->write_stats().replay_journal_entries, 2);  // "c jti", "k p"
  EXPECT_TRUE(*store->IsRecorded(ReplayScope::kClientAssertion, "c jti", kNow));
  EXPECT_TRUE(*store->IsRecorded(ReplayScope::kDpopProof, "k p", kNow));
  EXPECT_TRUE(*store->IsRecorded(ReplayScope::kLogoutToken, "l", kNow));
  EXPECT_FALSE(*store->IsRecorded(ReplayScope::kClientAssertion, "x", kNow));
  EXPECT_EQ(store->RecordOnce(ReplayScope::kClientAssertion, "c jti", kNow + 60, kNow).reason(),
            "replay");
}

// A code exchange that writes nothing else is decided in the journal (docs/store.md, "Code
// exchanges in the journal"): the code stays spent after a restart, and its reuse revokes.
TEST_F(JournaledStoreTest, ARecordedCodeIsReusedAfterARestart) {
  const AuthCode code = LoginCode("2", kNow, 60);
  auto redemption = [&](const std::string& jti) {
    return LoginRedemption(code, kNow, kNow + 600, jti);
  };
  {
    auto store = OpenStore();
    ASSERT_TRUE(store->SaveAuthCode(code).ok());
    ASSERT_TRUE(store->RedeemAuthCode(redemption("jti-1"), kNow + 1, nullptr).ok());
  }
  auto store = OpenStore();
  RedeemFailure failure;
  auto again = store->RedeemAuthCode(redemption("jti-2"), kNow + 2, &failure);
  EXPECT_EQ(again.status().reason(), "code_reused");
  EXPECT_EQ(failure.reused_grant_id, "grant-2");
  EXPECT_TRUE(*store->IsRecorded(ReplayScope::kRevokedGrant, "grant-2", kNow + 2));
}

TEST_F(JournaledStoreTest, ARecordIsInTheFileWhenTheCallReturns) {
  // A child process records and dies without running a destructor (no final Sync), as after
  // kill -9: what it was told is recorded must be read back.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = OpenStore();
    const bool ok =
        store != nullptr &&
        store->RecordOnce(ReplayScope::kClientAssertion, "before the kill", kNow + 60, kNow).ok() &&
        store->RecordAll({{ReplayScope::kDpopProof, "proof", kNow + 60}}, kNow, nullptr).ok();
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto store = OpenStore();
  EXPECT_TRUE(*store->IsRecorded(ReplayScope::kClientAssertion, "before the kill", kNow));
  EXPECT_TRUE(*store->IsRecorded(ReplayScope::kDpopProof, "proof", kNow));
}

TEST_F(JournaledStoreTest, AFullJournalOverflowsIntoTheTableUntilThoseExpire) {
  auto store = OpenStore(/*max_entries=*/2);
  const auto once = [&](std::string key, int64_t expires_at, int64_t now) {
    return store->RecordOnce(ReplayScope::kClientAssertion, key, expires_at, now);
  };
  ASSERT_TRUE(once("a", kNow + 10, kNow).ok());
  ASSERT_TRUE(once("b", kNow + 10, kNow).ok());
  EXPECT_EQ(store->write_stats().replay_journal_entries, 2);
  // Full: c goes to the table, and d after it, though nothing was freed.
  ASSERT_TRUE(once("c", kNow + 20, kNow).ok());
  ASSERT_TRUE(store->RecordAll({Assertion("d", kNow + 20)}, kNow, nullptr).ok());
  EXPECT_EQ(store->write_stats().replay_journal_entries, 2);
  for (const char* key : {"a", "b", "c", "d"}) {
    EXPECT_TRUE(*store->IsRecorded(ReplayScope::kClientAssertion, key, kNow)) << key;
    EXPECT_EQ(once(key, kNow + 20, kNow).reason(), "replay") << key;
  }
  // a and b have expired: still, until c and d have, new records go to the table.
  ASSERT_TRUE(once("e", kNow + 30, kNow + 15).ok());
  EXPECT_EQ(once("c", kNow + 20, kNow + 15).reason(), "replay");  // the journal has room now
  EXPECT_EQ(once("e", kNow + 30, kNow + 16).reason(), "replay");
  // e (in the table) expires at kNow + 30; after that the journal takes records again.
  ASSERT_TRUE(once("f", kNow + 60, kNow + 31).ok());
  EXPECT_EQ(store->write_stats().replay_journal_entries, 1);
  EXPECT_EQ(once("f", kNow + 60, kNow + 32).reason(), "replay");
}

// Consumed codes are the one gate of a code's single use, so they never overflow into the table:
// past twice the cap an exchange is refused for now (Unavailable), its code left unspent.
TEST_F(JournaledStoreTest, ConsumedCodesPastTwiceTheCapAreRefusedForNow) {
  auto store = OpenStore(/*max_entries=*/1);
  auto redeem = [&](const AuthCode& c, int64_t now) {
    return store->RedeemAuthCode(LoginRedemption(c, now, now + 1), now, nullptr);
  };
  const AuthCode a = LoginCode("a", kNow, 10), b = LoginCode("b", kNow, 10),
                 c = LoginCode("c", kNow + 5, 10);
  for (const AuthCode* x : {&a, &b, &c}) ASSERT_TRUE(store->SaveAuthCode(*x).ok());
  ASSERT_TRUE(redeem(a, kNow + 1).ok());
  ASSERT_TRUE(redeem(b, kNow + 1).ok());
  auto refused = redeem(c, kNow + 6);
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable) << refused.status().ToString();
  EXPECT_EQ(refused.status().reason(), "replay_journal_full");
  // Once a and b's records have expired, c is still unspent.
  auto later = redeem(c, kNow + 11);
  EXPECT_TRUE(later.ok()) << later.status().ToString();
  EXPECT_EQ(redeem(c, kNow + 12).status().reason(), "code_reused");
}

TEST_F(JournaledStoreTest, JtisInTheTableAtStartStayInForce) {
  {
    // A store without the journal (an older version, or one that overflowed) records in the
    // table.
    auto plain = OpenStore(ReplayJournal::kDefaultMaxEntries, /*journal=*/false);
    ASSERT_TRUE(plain->RecordOnce(ReplayScope::kClientAssertion, "old", kNow + 60, kNow).ok());
  }
  auto store = OpenStore();
  EXPECT_TRUE(*store->IsRecorded(ReplayScope::kClientAssertion, "old", kNow));
  EXPECT_EQ(store->RecordOnce(ReplayScope::kClientAssertion, "old", kNow + 60, kNow).reason(),
            "replay");
  ASSERT_TRUE(store->RecordOnce(ReplayScope::kClientAssertion, "new", kNow + 90, kNow + 61).ok());
  EXPECT_EQ(store->write_stats().replay_journal_entries, 1);  // past "old": the journal again
}

TEST_F(JournaledStoreTest, StoresOfOneFileShareTheJournal) {
  auto a = OpenStore();
  auto b = OpenStore();
  ASSERT_TRUE(a->RecordOnce(ReplayScope::kClientAssertion, "j", kNow + 60, kNow).ok());
  EXPECT_EQ(b->RecordOnce(ReplayScope::kClientAssertion, "j", kNow + 60, kNow).reason(), "replay");
}

}  // namespace
}  // namespace accord::store::sqlite
