#include "datasec/sealing_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include "common/deferred_ack.h"
#include "common/testing/temp_dir.h"
#include "crypto/random.h"
#include "store/token_hash.h"

namespace accord::datasec {
namespace {

constexpr char kIdentity[] =
    R"({"upstream_id":"sandbox-sg","attributes":{"given_name":"Mei Ling","family_name":"Sampleton",)"
    R"("birthdate":"1994-02-28","national_identifier":"S9400228A"}})";
constexpr int64_t kNow = 1800000000;

class SealingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::StoreConfig config;
    config.sqlite_path = (dir_ / "accord.db").string();
    db_path_ = config.sqlite_path;
    auto inner = store::OpenStore(config);
    ASSERT_TRUE(inner.ok()) << inner.status().message();
    ASSERT_TRUE(ring_.Add("kek-1", crypto::RandomSecret(32)).ok());
    store_ = std::make_unique<SealingStore>(std::move(*inner), &ring_, RetentionPolicy(), &clock_);
  }
  void TearDown() override { store_.reset(); }

  store::Session MakeSession(const std::string& sid) {
    store::Session s;
    s.sid = sid;
    s.secret_hash = store::HashToken("cookie-" + sid);
    s.subject = "subject-" + sid;
    s.auth_time = kNow;
    s.created_at = kNow;
    s.expires_at = kNow + 3600;
    s.identity_json = kIdentity;
    return s;
  }

  // Every TEXT/BLOB cell of every table, read with the sqlite3 C API, concatenated.
  std::string RawDatabase() {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(db_path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    std::string all;
    std::vector<std::string> tables;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table'", -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
      tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    }
    sqlite3_finalize(st);
    for (const auto& t : tables) {
      std::string sql = "SELECT * FROM \"" + t + "\"";
      sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
      while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
          const void* blob = sqlite3_column_blob(st, i);
          int n = sqlite3_column_bytes(st, i);
          if (blob != nullptr) all.append(static_cast<const char*>(blob), n);
          all.push_back('\n');
        }
      }
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return all;
  }

  ::accord::testing::TempDir tmp_{"accord-sealing-"};
  std::filesystem::path dir_ = tmp_.path();
  std::string db_path_;
  FixedClock clock_{kNow};
  KeyRing ring_;
  std::unique_ptr<SealingStore> store_;
};

TEST_F(SealingStoreTest, SessionIdentityRoundTripsAndIsSealedAtRest) {
  ASSERT_TRUE(store_->CreateSession(MakeSession("sid-1")).ok());
  auto s = store_->GetSession(store::HashToken("cookie-sid-1"), kNow);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->identity_json, kIdentity);
  auto by_sid = store_->GetSessionBySid("sid-1", kNow);
  ASSERT_TRUE(by_sid.ok());
  EXPECT_EQ(by_sid->identity_json, kIdentity);
  auto raw = store_->inner().GetSessionBySid("sid-1", kNow);
  ASSERT_TRUE(raw.ok());
  EXPECT_TRUE(FieldSealer::IsSealed(raw->identity_json));
}

// A code of `sid`'s subject saved, and the exchange that redeems it.
store::CodeRedemption SaveCodeOfSession(store::Store& store, const std::string& sid) {
  store::AuthCode code;
  code.code_hash = store::HashToken("code-" + sid);
  code.grant_id = "grant-" + sid;
  code.client_id = "client-a";
  code.subject = "subject-" + sid;
  code.session_id = sid;
  code.redirect_uri = "https://rp.example/cb";
  code.scope = "openid";
  code.code_challenge = "challenge";
  code.issued_at = kNow;
  code.expires_at = kNow + 60;
  EXPECT_TRUE(store.SaveAuthCode(code).ok());
  store::CodeRedemption r;
  r.code_hash = code.code_hash;
  r.client_id = "client-a";
  r.redirect_uri = code.redirect_uri;
  r.code_challenge = code.code_challenge;
  r.family_id = "family-" + sid;
  r.refresh_token_hash = store::HashToken("rt-" + sid);
  r.family_expires_at = kNow + 3600;
  r.refresh_scope = "offline_access";
  r.revoked_grant_expires_at = kNow + 600;
  return r;
}

// The code exchange reads the code's session in its own transaction: it comes back opened.
TEST_F(SealingStoreTest, RedeemedCodeCarriesTheOpenedSession) {
  ASSERT_TRUE(store_->CreateSession(MakeSession("sid-code")).ok());
  auto redeemed = store_->RedeemAuthCode(SaveCodeOfSession(*store_, "sid-code"), kNow + 1, nullptr);
  ASSERT_TRUE(redeemed.ok()) << redeemed.status().message();
  ASSERT_TRUE(redeemed->session.has_value());
  EXPECT_EQ(redeemed->session->identity_json, kIdentity);
}

// So does an exchange decided later (read now, written once the server's scope waits for it).
TEST_F(SealingStoreTest, ACodeExchangeDecidedLaterCarriesTheOpenedSession) {
  ASSERT_TRUE(store_->CreateSession(MakeSession("sid-later")).ok());
  const store::CodeRedemption r = SaveCodeOfSession(*store_, "sid-later");
  DeferredAck::Scope scope;
  auto redeemed = store_->RedeemAuthCodeLater(r, kNow + 1, std::make_shared<store::RedeemFailure>());
  ASSERT_TRUE(redeemed.ok()) << redeemed.status().message();
  ASSERT_TRUE(redeemed->session.has_value());
  EXPECT_EQ(redeemed->session->identity_json, kIdentity);
  std::vector<DeferredAck::Wait> waits = scope.Take();
  EXPECT_FALSE(waits.empty());  // the write is acknowledged through the scope
  for (DeferredAck::Wait& wait : waits) {
    std::promise<Status> reported;
    wait([&reported](Status s) { reported.set_value(std::move(s)); });
    EXPECT_TRUE(reported.get_future().get().ok());
  }
  // Written: the code is spent.
  auto again = store_->RedeemAuthCode(r, kNow + 2, nullptr);
  EXPECT_EQ(again.status().reason(), "code_reused");
}

TEST_F(SealingStoreTest, RawDatabaseHoldsNoPlaintext) {
  ASSERT_TRUE(store_->CreateSession(MakeSession("sid-raw")).ok());
  store::Consent c{"subject-1", "sg-mom-employment-pass", {"openid"},
                   R"({"given_name":"Mei Ling","birthdate":"1994-02-28"})", kNow, 0};
  ASSERT_TRUE(store_->PutConsent(c).ok());
  store::PushedRequest tx{"urn:accord:upstream:state123", "accord",
                          R"({"code_verifier":"verifier-Sampleton","dpop_private_jwk":{"d":"S9400228A"}})",
                          kNow, kNow + 300};
  ASSERT_TRUE(store_->SavePushedRequest(tx).ok());
  store::LogoutDelivery d;
  d.client_id = "uk-hmrc-leaving-uk";
  d.endpoint = "https://rp.example/logout";
  d.logout_token = "eyJ.Sampleton-logout-token.sig";
  d.created_at = kNow;
  d.next_attempt_at = kNow;
  d.expires_at = kNow + 600;
  ASSERT_TRUE(store_->EnqueueLogout(d).ok());
  std::string raw = RawDatabase();
  ASSERT_FALSE(raw.empty());
  for (const char* needle : {"Mei Ling", "Sampleton", "1994-02-28", "S9400228A", "verifier"}) {
    EXPECT_EQ(raw.find(needle), std::string::npos) << needle;
  }
  EXPECT_NE(raw.find("acf1.kek-1."), std::string::npos);
  // And everything reads back.
  EXPECT_EQ(store_->GetConsent("subject-1", "sg-mom-employment-pass")->claims_json, c.claims_json);
  EXPECT_EQ(store_->ConsumePushedRequest(tx.request_uri, kNow)->params_json, tx.params_json);
  auto claimed = store_->ClaimDueLogouts(kNow, 10, 30);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].logout_token, d.logout_token);
}

TEST_F(SealingStoreTest, SealedValueMovedToAnotherRecordDoesNotOpen) {
  ASSERT_TRUE(store_->CreateSession(MakeSession("sid-a")).ok());
  auto raw = store_->inner().GetSessionBySid("sid-a", kNow);
  ASSERT_TRUE(raw.ok());
  store::Session copy = MakeSession("sid-b");
  copy.identity_json = raw->identity_json;  // an attacker with write access swaps blobs
  ASSERT_TRUE(store_->inner().CreateSession(copy).ok());
  EXPECT_EQ(store_->GetSessionBySid("sid-b", kNow).status().reason(), "bad_tag");
}

TEST_F(SealingStoreTest, PlaintextRowIsRejected) {
  ASSERT_TRUE(store_->inner().CreateSession(MakeSession("sid-plain")).ok());
  EXPECT_EQ(store_->GetSessionBySid("sid-plain", kNow).status().reason(), "not_sealed");
}

TEST_F(SealingStoreTest, EmptyIdentityStaysEmpty) {
  store::Session s = MakeSession("sid-empty");
  s.identity_json.clear();
  ASSERT_TRUE(store_->CreateSession(s).ok());
  EXPECT_EQ(store_->GetSessionBySid("sid-empty", kNow)->identity_json, "");
}

TEST_F(SealingStoreTest, RetentionClampsSessionExpiry) {
  store::Session s = MakeSession("sid-long");
  s.expires_at = kNow + 30 * 86400;
  ASSERT_TRUE(store_->CreateSession(s).ok());
  EXPECT_EQ(store_->GetSessionBySid("sid-long", kNow)->expires_at, kNow + 12 * 3600);
}

TEST_F(SealingStoreTest, RevokingConsentErasesSnapshot) {
  store::Consent c{"subject-2", "uk-hmrc-leaving-uk", {"openid"}, R"({"birthdate":"1994-02-28"})",
                   kNow, 0};
  ASSERT_TRUE(store_->PutConsent(c).ok());
  ASSERT_TRUE(store_->RevokeConsent("subject-2", "uk-hmrc-leaving-uk", kNow + 5).ok());
  auto got = store_->GetConsent("subject-2", "uk-hmrc-leaving-uk");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->revoked_at, kNow + 5);
  EXPECT_EQ(got->claims_json, "");
  EXPECT_EQ(store_->inner().GetConsent("subject-2", "uk-hmrc-leaving-uk")->claims_json, "");
}

TEST_F(SealingStoreTest, OldSnapshotIsErasedOnRead) {
  store::Consent c{"subject-3", "uk-hmrc-leaving-uk", {"openid"}, R"({"birthdate":"x"})",
                   kNow - 91 * 86400, 0};
  ASSERT_TRUE(store_->PutConsent(c).ok());
  auto got = store_->GetConsent("subject-3", "uk-hmrc-leaving-uk");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->claims_json, "");
  EXPECT_EQ(got->revoked_at, 0);
  EXPECT_EQ(got->scopes, c.scopes);
}

TEST_F(SealingStoreTest, SweepEnforcesConsentRetention) {
  // Default policy: consents 400 d, released-attribute snapshots 90 d.
  store::Consent ancient{"subject-4", "uk-hmrc-leaving-uk", {"openid"}, R"({"birthdate":"x"})",
                         kNow - 401 * 86400, 0};
  store::Consent old{"subject-5", "uk-hmrc-leaving-uk", {"openid"}, R"({"birthdate":"y"})",
                     kNow - 91 * 86400, 0};
  store::Consent recent{"subject-6", "uk-hmrc-leaving-uk", {"openid"}, R"({"birthdate":"z"})",
                        kNow - 86400, 0};
  for (const auto& c : {ancient, old, recent}) ASSERT_TRUE(store_->PutConsent(c).ok());
  auto stats = store_->SweepExpired(kNow);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->consents, 1);
  EXPECT_EQ(stats->consent_snapshots, 1);
  EXPECT_EQ(store_->inner().GetConsent("subject-4", "uk-hmrc-leaving-uk").status().reason(),
            "not_found");
  EXPECT_EQ(store_->inner().GetConsent("subject-5", "uk-hmrc-leaving-uk")->claims_json, "");
  EXPECT_EQ(store_->GetConsent("subject-6", "uk-hmrc-leaving-uk")->claims_json,
            R"({"birthdate":"z"})");
}

TEST_F(SealingStoreTest, LoginTransactionUsesItsOwnRecordType) {
  EXPECT_EQ(PushedRequestRecordType("urn:accord:upstream:abc"), "login_transactions");
  EXPECT_EQ(PushedRequestRecordType("urn:ietf:params:oauth:request_uri:abc"), "pushed_requests");
}

TEST_F(SealingStoreTest, KekRotationUnderConcurrentLoadNeverFailsARead) {
  constexpr int kSeed = 20;
  for (int i = 0; i < kSeed; ++i) {
    ASSERT_TRUE(store_->CreateSession(MakeSession("seed-" + std::to_string(i))).ok());
  }
  std::atomic<bool> stop{false};
  std::atomic<int> read_failures{0}, reads{0}, writes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      int n = 0;
      while (!stop.load()) {
        auto s = store_->GetSessionBySid("seed-" + std::to_string(n++ % kSeed), kNow);
        if (!s.ok() || s->identity_json != kIdentity) ++read_failures;
        ++reads;
        if (t == 0) {
          std::string sid = "w-" + std::to_string(n);
          if (store_->CreateSession(MakeSession(sid)).ok()) ++writes;
          auto back = store_->GetSessionBySid(sid, kNow);
          if (!back.ok() || back->identity_json != kIdentity) ++read_failures;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(ring_.Add("kek-2", crypto::RandomSecret(32)).ok());
  ASSERT_TRUE(ring_.SetCurrent("kek-2").ok());
  auto stats = store_->RewrapAll();
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_GE(stats->rewrapped, kSeed);
  stop = true;
  for (auto& th : threads) th.join();
  // A write sealed just before the KEK change may have landed after the first pass listed its
  // column: a second pass (idempotent) catches it.
  ASSERT_TRUE(store_->RewrapAll().ok());
  EXPECT_EQ(*store_->CountUnderKek("kek-1"), 0);
  ASSERT_TRUE(ring_.Remove("kek-1").ok());
  EXPECT_EQ(read_failures.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_GT(writes.load(), 0);
  // With kek-1 gone every record still reads: nothing is left under it.
  for (int i = 0; i < kSeed; ++i) {
    auto s = store_->GetSessionBySid("seed-" + std::to_string(i), kNow);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s->identity_json, kIdentity);
  }
  EXPECT_EQ(RawDatabase().find("acf1.kek-1."), std::string::npos);
}

}  // namespace
}  // namespace accord::datasec
