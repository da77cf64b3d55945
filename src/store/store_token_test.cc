// Token requests as one transaction (RecordAll, RedeemAuthCode, RedeemRefreshToken) on every
// backend: all or nothing, reuse revokes the grant, a wrong presenter changes nothing.
#include <atomic>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "common/deferred_ack.h"
#include "store/store_test_env.h"

namespace accord::store::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000;
constexpr char kChallenge[] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

AuthCode MakeCode(std::string_view label) {
  AuthCode c;
  c.code_hash = H(label);
  c.grant_id = "grant-" + std::string(label);
  c.client_id = "client-a";
  c.subject = "subject-1";
  c.session_id = "sid-1";
  c.redirect_uri = "https://rp.example/cb";
  c.scope = "openid";
  c.code_challenge = kChallenge;
  c.dpop_jkt = "jkt-1";
  c.issued_at = kNow;
  c.expires_at = kNow + 60;
  return c;
}

ReplayRecord Assertion(std::string_view jti) {
  return {ReplayScope::kClientAssertion, "client-a " + std::string(jti), kNow + 300};
}

CodeRedemption MakeRedemption(std::string_view code, std::string_view jti) {
  CodeRedemption r;
  r.replay_records = {Assertion(jti), {ReplayScope::kDpopProof, "jkt-1 " + std::string(jti), kNow + 180}};
  r.code_hash = H(code);
  r.client_id = "client-a";
  r.redirect_uri = "https://rp.example/cb";
  r.code_challenge = kChallenge;
  r.dpop_jkt = "jkt-1";
  r.family_id = "fam-" + std::string(code);
  r.refresh_token_hash = H("rt-" + std::string(code));
  r.family_expires_at = kNow + 86400;
  r.session_client_expires_at = kNow + 3600;
  r.revoked_grant_expires_at = kNow + 300;
  return r;
}

RefreshRedemption MakeRefresh(std::string_view presented, std::string_view replacement,
                              std::string_view jti) {
  RefreshRedemption r;
  r.replay_records = {Assertion(jti)};
  r.presented = H(presented);
  r.replacement = H(replacement);
  r.replacement_expires_at = kNow + 86400;
  r.client_id = "client-a";
  r.dpop_jkt = "jkt-1";
  return r;
}

template <typename B>
class TokenRequestTest : public StoreTest<B> {
 protected:
  void SaveCode(std::string_view label) {
    Status s = this->store_->SaveAuthCode(MakeCode(label));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  // RedeemAuthCodeLater as the server calls it, inside a DeferredAck scope; the first failed
  // deferred verdict (if any) goes to *decided. `waited` (if set) tells whether any was deferred.
  Result<RedeemedCode> RedeemLater(const CodeRedemption& r, Status* decided,
                                   bool* waited = nullptr) {
    DeferredAck::Scope scope;
    auto code = this->store_->RedeemAuthCodeLater(r, kNow + 1, std::make_shared<RedeemFailure>());
    std::vector<DeferredAck::Wait> waits = scope.Take();
    if (waited != nullptr) *waited = !waits.empty();
    for (DeferredAck::Wait& wait : waits) {
      std::promise<Status> reported;
      std::future<Status> outcome = reported.get_future();
      wait([&reported](Status s) { reported.set_value(std::move(s)); });
      Status s = outcome.get();
      if (!s.ok() && decided->ok()) *decided = s;
    }
    return code;
  }
  bool Recorded(ReplayScope scope, std::string_view key) {
    auto r = this->store_->IsRecorded(scope, key, kNow + 1);
    return r.ok() && *r;
  }
  // What redeeming code "a" with assertion jti `jti` wrote: its replay records, the session's
  // client row and the refresh family (rotated once here with jti "<jti>-refresh").
  void ExpectRedeemedCodeAWrites(const std::string& jti) {
    EXPECT_TRUE(Recorded(ReplayScope::kClientAssertion, "client-a " + jti));
    EXPECT_TRUE(Recorded(ReplayScope::kDpopProof, "jkt-1 " + jti));
    auto clients = this->store_->ListSessionClients("sid-1", kNow + 1);
    ASSERT_TRUE(clients.ok());
    EXPECT_EQ(*clients, std::vector<std::string>{"client-a"});
    auto family = this->store_->RedeemRefreshToken(MakeRefresh("rt-a", "rt-a2", jti + "-refresh"),
                                                   kNow + 2, nullptr);
    ASSERT_TRUE(family.ok()) << family.status().ToString();
    EXPECT_EQ(family->family_id, "fam-a");
    EXPECT_EQ(family->grant_id, "grant-a");
    EXPECT_EQ(family->session_id, "sid-1");
    EXPECT_EQ(family->dpop_jkt, "jkt-1");
    EXPECT_EQ(family->expires_at, kNow + 86400);
  }
};
TYPED_TEST_SUITE(TokenRequestTest, JournalBackends, BackendNames);

TYPED_TEST(TokenRequestTest, RedeemWritesFamilySessionClientAndReplayRecords) {
  this->SaveCode("a");
  RedeemFailure failure;
  auto code = this->store_->RedeemAuthCode(MakeRedemption("a", "j1"), kNow + 1, &failure);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_EQ(code->code.grant_id, "grant-a");
  EXPECT_EQ(code->code.subject, "subject-1");
  EXPECT_FALSE(code->session.has_value());  // no session sid-1 in the store
  this->ExpectRedeemedCodeAWrites("j1");
}

// As the server calls it, inside a DeferredAck scope: where writes are decided later (SQLite's
// write batch) the exchange's read returns the code and the write consumes it without reading it
// again; what it writes is what RedeemAuthCode writes, and the verdict arrives through the scope.
TYPED_TEST(TokenRequestTest, RedeemLaterWritesWhatRedeemWrites) {
  this->SaveCode("a");
  auto redeem_later = [this](std::string_view jti, Status* decided) {
    bool waited = false;
    auto code = this->RedeemLater(MakeRedemption("a", jti), decided, &waited);
    // Decided later exactly where the backend batches writes (SQLite), at once elsewhere (the
    // journal decides a login-only exchange; this one writes a family).
    EXPECT_EQ(waited, this->store_->WritesDecidedLater());
    return code;
  };
  Status decided;
  auto code = redeem_later("j1", &decided);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  ASSERT_TRUE(decided.ok()) << decided.ToString();
  EXPECT_EQ(code->code.grant_id, "grant-a");
  EXPECT_EQ(code->code.session_id, "sid-1");
  this->ExpectRedeemedCodeAWrites("j1");
  // Spent: a second exchange is refused (decided later where writes are) and revokes the grant.
  Status again;
  auto second = redeem_later("j3", &again);
  const std::string reason = second.ok() ? again.reason() : second.status().reason();
  if (!second.ok() && reason == "decided_later") {
    EXPECT_EQ(again.reason(), "code_reused") << again.ToString();
  } else {
    EXPECT_EQ(reason, "code_reused");
  }
  EXPECT_TRUE(this->Recorded(ReplayScope::kRevokedGrant, "grant-a"));
}

// The code's session comes back from the same transaction when it is live and the subject's.
TYPED_TEST(TokenRequestTest, RedeemReturnsTheCodesLiveSession) {
  auto session = [](std::string_view sid, std::string_view subject, int64_t expires_at) {
    Session s;
    s.sid = std::string(sid);
    s.secret_hash = H("cookie-" + std::string(sid));
    s.subject = std::string(subject);
    s.auth_time = kNow - 3;
    s.acr = "urn:accord:loa:substantial";
    s.amr = {"pwd"};
    s.identity_json = R"({"given_name":"Ada"})";
    s.created_at = kNow - 10;
    s.expires_at = expires_at;
    return s;
  };
  struct Case {
    const char* label;
    Session session;
    bool returned;
  } cases[] = {
      {"live", session("sid-live", "subject-1", kNow + 1800), true},
      {"expired", session("sid-expired", "subject-1", kNow + 1), false},
      {"other", session("sid-other", "subject-2", kNow + 1800), false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    ASSERT_TRUE(this->store_->CreateSession(c.session).ok());
    AuthCode code = MakeCode(c.label);
    code.session_id = c.session.sid;
    ASSERT_TRUE(this->store_->SaveAuthCode(code).ok());
    auto got = this->store_->RedeemAuthCode(
        MakeRedemption(c.label, std::string(c.label) + "-j"), kNow + 1, nullptr);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(got->session.has_value(), c.returned);
    if (c.returned) {
      EXPECT_EQ(got->session->sid, c.session.sid);
      EXPECT_EQ(got->session->subject, "subject-1");
      EXPECT_EQ(got->session->acr, c.session.acr);
      EXPECT_EQ(got->session->identity_json, c.session.identity_json);
      EXPECT_EQ(got->session->expires_at, c.session.expires_at);
    }
  }
}

// refresh_scope: the family is written only when the code's scope holds it.
TYPED_TEST(TokenRequestTest, RefreshFamilyOnlyWhenTheCodeScopeHoldsRefreshScope) {
  this->SaveCode("n");  // scope "openid"
  CodeRedemption without = MakeRedemption("n", "j1");
  without.refresh_scope = "offline_access";
  auto code = this->store_->RedeemAuthCode(without, kNow + 1, nullptr);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_EQ(code->code.scope, "openid");
  auto clients = this->store_->ListSessionClients("sid-1", kNow + 1);  // still written
  ASSERT_TRUE(clients.ok());
  EXPECT_EQ(*clients, std::vector<std::string>{"client-a"});
  auto none = this->store_->RedeemRefreshToken(MakeRefresh("rt-n", "rt-n2", "j2"), kNow + 2, nullptr);
  EXPECT_EQ(none.status().reason(), "not_found");

  AuthCode offline = MakeCode("o");
  offline.scope = "openid offline_access";
  ASSERT_TRUE(this->store_->SaveAuthCode(offline).ok());
  CodeRedemption with = MakeRedemption("o", "j3");
  with.refresh_scope = "offline_access";
  ASSERT_TRUE(this->store_->RedeemAuthCode(with, kNow + 1, nullptr).ok());
  auto family = this->store_->RedeemRefreshToken(MakeRefresh("rt-o", "rt-o2", "j4"), kNow + 2, nullptr);
  ASSERT_TRUE(family.ok()) << family.status().ToString();
  EXPECT_EQ(family->scope, "openid offline_access");
}

TEST(ScopeHoldsTest, MatchesWholeValuesOnly) {
  EXPECT_TRUE(ScopeHolds("openid offline_access", "offline_access"));
  EXPECT_TRUE(ScopeHolds("offline_access", "offline_access"));
  EXPECT_FALSE(ScopeHolds("openid offline_access_x", "offline_access"));
  EXPECT_FALSE(ScopeHolds("openid", "offline_access"));
  EXPECT_FALSE(ScopeHolds("", "offline_access"));
}

TYPED_TEST(TokenRequestTest, ReplayedRecordWritesNothing) {
  this->SaveCode("b");
  ASSERT_TRUE(this->store_->RecordOnce(ReplayScope::kDpopProof, "jkt-1 j1", kNow + 100, kNow).ok());
  RedeemFailure failure;
  auto code = this->store_->RedeemAuthCode(MakeRedemption("b", "j1"), kNow + 1, &failure);
  EXPECT_EQ(code.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(code.status().reason(), "replay");
  EXPECT_EQ(failure.replayed_index, 1);
  EXPECT_FALSE(this->Recorded(ReplayScope::kClientAssertion, "client-a j1"));
  // The code was not consumed: a fresh request redeems it.
  EXPECT_TRUE(this->store_->RedeemAuthCode(MakeRedemption("b", "j2"), kNow + 2, nullptr).ok());
}

TYPED_TEST(TokenRequestTest, UnknownCodeKeepsTheReplayRecords) {
  auto code = this->store_->RedeemAuthCode(MakeRedemption("nope", "j1"), kNow + 1, nullptr);
  EXPECT_EQ(code.status().reason(), "not_found");
  EXPECT_TRUE(this->Recorded(ReplayScope::kClientAssertion, "client-a j1"));
}

TYPED_TEST(TokenRequestTest, ExpiredCodeIsExpired) {
  this->SaveCode("e");
  auto code = this->store_->RedeemAuthCode(MakeRedemption("e", "j1"), kNow + 60, nullptr);
  EXPECT_EQ(code.status().reason(), "expired");
}

TYPED_TEST(TokenRequestTest, ReusedCodeRevokesTheGrantAndRecordsIt) {
  this->SaveCode("c");
  ASSERT_TRUE(this->store_->RedeemAuthCode(MakeRedemption("c", "j1"), kNow + 1, nullptr).ok());
  RedeemFailure failure;
  auto again = this->store_->RedeemAuthCode(MakeRedemption("c", "j2"), kNow + 2, &failure);
  EXPECT_EQ(again.status().reason(), "code_reused");
  EXPECT_EQ(failure.reused_grant_id, "grant-c");
  EXPECT_TRUE(this->Recorded(ReplayScope::kRevokedGrant, "grant-c"));
  EXPECT_TRUE(this->Recorded(ReplayScope::kClientAssertion, "client-a j2"));
  // The refresh token issued from the first use no longer rotates.
  auto refresh =
      this->store_->RedeemRefreshToken(MakeRefresh("rt-c", "rt-c2", "j3"), kNow + 3, nullptr);
  EXPECT_EQ(refresh.status().reason(), "revoked");
  // A later reuse keeps the grant recorded.
  EXPECT_EQ(this->store_->RedeemAuthCode(MakeRedemption("c", "j4"), kNow + 4, nullptr)
                .status()
                .reason(),
            "code_reused");
}

TYPED_TEST(TokenRequestTest, MismatchesKeepTheCodeConsumedAndWriteNothingElse) {
  struct Case {
    const char* label;
    void (*change)(CodeRedemption&);
    const char* reason;
  };
  const Case cases[] = {
      {"m1", [](CodeRedemption& r) { r.client_id = "client-b"; }, "wrong_client"},
      {"m2", [](CodeRedemption& r) { r.redirect_uri = "https://rp.example/other"; },
       "redirect_uri_mismatch"},
      {"m3", [](CodeRedemption& r) { r.code_challenge = "x" + r.code_challenge.substr(1); },
       "pkce_mismatch"},
      {"m4", [](CodeRedemption& r) { r.dpop_jkt = "jkt-2"; }, "dpop_key_mismatch"},
      {"m5", [](CodeRedemption& r) { r.dpop_jkt = ""; }, "dpop_key_mismatch"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    this->SaveCode(c.label);
    CodeRedemption r = MakeRedemption(c.label, std::string(c.label) + "-j1");
    c.change(r);
    auto got = this->store_->RedeemAuthCode(r, kNow + 1, nullptr);
    EXPECT_EQ(got.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(got.status().reason(), c.reason);
    // No family was created; the code is burnt.
    EXPECT_EQ(this->store_
                  ->RedeemRefreshToken(MakeRefresh("rt-" + std::string(c.label), "x",
                                                   std::string(c.label) + "-j2"),
                                       kNow + 2, nullptr)
                  .status()
                  .reason(),
              "not_found");
    EXPECT_EQ(this->store_
                  ->RedeemAuthCode(MakeRedemption(c.label, std::string(c.label) + "-j3"), kNow + 3,
                                   nullptr)
                  .status()
                  .reason(),
              "code_reused");
  }
}

TYPED_TEST(TokenRequestTest, ExactlyOneConcurrentRedemptionWins) {
  this->SaveCode("race");
  std::atomic<int> wins{0};
  std::atomic<int> reused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      CodeRedemption r = MakeRedemption("race", "j" + std::to_string(i));
      r.family_id = "fam-race-" + std::to_string(i);
      r.refresh_token_hash = H("rt-race-" + std::to_string(i));
      auto got = this->store_->RedeemAuthCode(r, kNow + 1, nullptr);
      if (got.ok()) wins.fetch_add(1);
      if (got.status().reason() == "code_reused") reused.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(reused.load(), 15);
}

// An exchange that writes nothing but its decision: no refresh family (the code's scope lacks
// refresh_scope) and no session-client row (SaveAuthCode wrote it). With the replay journal it is
// decided there (docs/store.md, "Code exchanges in the journal"); every backend must answer alike.
CodeRedemption LoginOnly(std::string_view code, std::string_view jti) {
  CodeRedemption r = MakeRedemption(code, jti);
  r.refresh_scope = "offline_access";
  r.session_client_expires_at = 0;
  return r;
}

TYPED_TEST(TokenRequestTest, SavingACodeRecordsTheSessionsClient) {
  AuthCode code = MakeCode("s");
  code.session_client_expires_at = kNow + 3600;
  ASSERT_TRUE(this->store_->SaveAuthCode(code).ok());
  AuthCode other = MakeCode("s2");
  other.client_id = "client-b";  // no row asked for
  ASSERT_TRUE(this->store_->SaveAuthCode(other).ok());
  auto clients = this->store_->ListSessionClients("sid-1", kNow + 1);
  ASSERT_TRUE(clients.ok()) << clients.status().ToString();
  EXPECT_EQ(*clients, std::vector<std::string>{"client-a"});
  EXPECT_TRUE(this->store_->ListSessionClients("sid-1", kNow + 3600)->empty());
}

TYPED_TEST(TokenRequestTest, LoginOnlyExchangeIsSingleUseAndItsReuseRevokes) {
  Session live;
  live.secret_hash = H("cookie-1");
  live.sid = "sid-1";
  live.subject = "subject-1";
  live.auth_time = kNow;
  live.created_at = kNow;
  live.expires_at = kNow + 3600;
  ASSERT_TRUE(this->store_->CreateSession(live).ok());
  this->SaveCode("l");
  RedeemFailure failure;
  auto first = this->store_->RedeemAuthCode(LoginOnly("l", "j1"), kNow + 1, &failure);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->code.grant_id, "grant-l");
  EXPECT_EQ(first->code.nonce, "");
  ASSERT_TRUE(first->session.has_value());
  EXPECT_EQ(first->session->sid, "sid-1");
  EXPECT_TRUE(this->Recorded(ReplayScope::kClientAssertion, "client-a j1"));
  EXPECT_TRUE(this->Recorded(ReplayScope::kDpopProof, "jkt-1 j1"));
  EXPECT_TRUE(this->store_->ListSessionClients("sid-1", kNow + 1)->empty());  // none asked for
  // The same request again is a replay of its records: refused, nothing revoked.
  RedeemFailure replayed;
  auto replay = this->store_->RedeemAuthCode(LoginOnly("l", "j1"), kNow + 2, &replayed);
  EXPECT_EQ(replay.status().reason(), "replay");
  EXPECT_EQ(replayed.replayed_index, 0);
  EXPECT_FALSE(this->Recorded(ReplayScope::kRevokedGrant, "grant-l"));
  // A new request with the spent code is a reuse: refused, and the grant is revoked.
  RedeemFailure reused;
  auto again = this->store_->RedeemAuthCode(LoginOnly("l", "j2"), kNow + 3, &reused);
  EXPECT_EQ(again.status().reason(), "code_reused");
  EXPECT_EQ(reused.reused_grant_id, "grant-l");
  EXPECT_TRUE(this->Recorded(ReplayScope::kRevokedGrant, "grant-l"));
  EXPECT_TRUE(this->Recorded(ReplayScope::kClientAssertion, "client-a j2"));
  // So is one after the code's expiry, while an access token from it may live.
  EXPECT_EQ(this->store_->RedeemAuthCode(LoginOnly("l", "j3"), kNow + 150, nullptr)
                .status()
                .reason(),
            "code_reused");
  // Through the table's way too (an exchange that writes a family).
  EXPECT_EQ(this->store_->RedeemAuthCode(MakeRedemption("l", "j4"), kNow + 4, nullptr)
                .status()
                .reason(),
            "code_reused");
}

TYPED_TEST(TokenRequestTest, LoginOnlyExchangeLaterIsDecidedAlike) {
  this->SaveCode("d");
  auto redeem_later = [this](std::string_view jti, Status* decided) {
    return this->RedeemLater(LoginOnly("d", jti), decided);
  };
  Status decided;
  auto code = redeem_later("j1", &decided);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  ASSERT_TRUE(decided.ok()) << decided.ToString();
  EXPECT_EQ(code->code.grant_id, "grant-d");
  Status again;
  auto second = redeem_later("j2", &again);
  const std::string reason = second.ok() ? again.reason() : second.status().reason();
  EXPECT_EQ(reason == "decided_later" ? again.reason() : reason, "code_reused")
      << second.status().ToString() << " " << again.ToString();
  EXPECT_TRUE(this->Recorded(ReplayScope::kRevokedGrant, "grant-d"));
  EXPECT_TRUE(this->Recorded(ReplayScope::kClientAssertion, "client-a j2"));
}

// A code exchanged only through the table (it wrote a family) is a reuse for the index's way.
TYPED_TEST(TokenRequestTest, TableExchangedCodeIsReusedForALoginOnlyExchange) {
  this->SaveCode("t");
  ASSERT_TRUE(this->store_->RedeemAuthCode(MakeRedemption("t", "j1"), kNow + 1, nullptr).ok());
  EXPECT_EQ(this->store_->RedeemAuthCode(LoginOnly("t", "j2"), kNow + 2, nullptr)
                .status()
                .reason(),
            "code_reused");
  EXPECT_TRUE(this->Recorded(ReplayScope::kRevokedGrant, "grant-t"));
}

TYPED_TEST(TokenRequestTest, ExactlyOneConcurrentLoginOnlyRedemptionWins) {
  this->SaveCode("race2");
  std::atomic<int> wins{0};
  std::atomic<int> reused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      auto got = this->store_->RedeemAuthCode(LoginOnly("race2", "j" + std::to_string(i)),
                                              kNow + 1, nullptr);
      if (got.ok()) wins.fetch_add(1);
      if (got.status().reason() == "code_reused") reused.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(reused.load(), 15);
  EXPECT_TRUE(this->Recorded(ReplayScope::kRevokedGrant, "grant-race2"));
}

// Exchanges of one code decided different ways (one writes a family and a session-client row,
// the table's way; one writes nothing else, the index's way with the journal): still one winner.
TYPED_TEST(TokenRequestTest, ExactlyOneOfMixedConcurrentRedemptionsWins) {
  for (int round = 0; round < 50; ++round) {  // a race: many tries
    const std::string label = "mixed-" + std::to_string(round);
    this->SaveCode(label);
    std::atomic<int> wins{0};
    std::atomic<int> reused{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&, i] {
        const std::string jti = label + "-j" + std::to_string(i);
        CodeRedemption r = i % 2 == 0 ? LoginOnly(label, jti) : MakeRedemption(label, jti);
        r.family_id = "fam-" + jti;
        r.refresh_token_hash = H("rt-" + jti);
        auto got = this->store_->RedeemAuthCode(r, kNow + 1, nullptr);
        if (got.ok()) wins.fetch_add(1);
        if (got.status().reason() == "code_reused") reused.fetch_add(1);
      });
    }
    for (auto& t : threads) t.join();
    ASSERT_EQ(wins.load(), 1) << label;
    ASSERT_EQ(reused.load(), 7) << label;
  }
}

TYPED_TEST(TokenRequestTest, RefreshByAnotherClientDoesNotRotateOrRevoke) {
  this->SaveCode("r1");
  ASSERT_TRUE(this->store_->RedeemAuthCode(MakeRedemption("r1", "j1"), kNow + 1, nullptr).ok());
  RefreshRedemption wrong = MakeRefresh("rt-r1", "rt-r1-x", "j2");
  wrong.client_id = "client-b";
  EXPECT_EQ(this->store_->RedeemRefreshToken(wrong, kNow + 2, nullptr).status().reason(),
            "wrong_client");
  EXPECT_TRUE(this->Recorded(ReplayScope::kClientAssertion, "client-a j2"));
  // The real holder still rotates it, once.
  EXPECT_TRUE(
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r1", "rt-r1-2", "j3"), kNow + 3, nullptr)
          .ok());
  EXPECT_FALSE(this->store_->RedeemRefreshToken(wrong, kNow + 4, nullptr).ok());
}

TYPED_TEST(TokenRequestTest, RefreshWithAnotherDpopKeyDoesNotRotate) {
  this->SaveCode("r2");
  ASSERT_TRUE(this->store_->RedeemAuthCode(MakeRedemption("r2", "j1"), kNow + 1, nullptr).ok());
  for (const char* jkt : {"jkt-2", ""}) {
    RefreshRedemption wrong = MakeRefresh("rt-r2", "rt-r2-x", std::string("j-") + jkt);
    wrong.dpop_jkt = jkt;
    EXPECT_EQ(this->store_->RedeemRefreshToken(wrong, kNow + 2, nullptr).status().reason(),
              "dpop_key_mismatch");
  }
  auto ok =
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r2", "rt-r2-2", "j3"), kNow + 3, nullptr);
  EXPECT_TRUE(ok.ok()) << ok.status().ToString();
}

TYPED_TEST(TokenRequestTest, RefreshReuseRevokesTheFamily) {
  this->SaveCode("r3");
  ASSERT_TRUE(this->store_->RedeemAuthCode(MakeRedemption("r3", "j1"), kNow + 1, nullptr).ok());
  ASSERT_TRUE(
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r3", "rt-r3-2", "j2"), kNow + 2, nullptr)
          .ok());
  // The replacement is used: its holder got it, so the first token is stale.
  ASSERT_TRUE(
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r3-2", "rt-r3-3", "j3"), kNow + 3, nullptr)
          .ok());
  RedeemFailure failure;
  auto reused =
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r3", "rt-r3-x", "j4"), kNow + 4, &failure);
  EXPECT_EQ(reused.status().reason(), "refresh_token_reused");
  EXPECT_EQ(failure.reused_family_id, "fam-r3");
  EXPECT_EQ(this->store_->RedeemRefreshToken(MakeRefresh("rt-r3-3", "rt-r3-4", "j5"), kNow + 5,
                                              nullptr)
                .status()
                .reason(),
            "revoked");
}

// FAPI 2.0 Security Profile 5.3.2.1, clause 10: a client that never received the replacement
// (a lost response) retries with the token it holds, and that succeeds.
TYPED_TEST(TokenRequestTest, ARefreshRetriedBeforeItsReplacementIsUsedSucceeds) {
  this->SaveCode("r6");
  ASSERT_TRUE(this->store_->RedeemAuthCode(MakeRedemption("r6", "j1"), kNow + 1, nullptr).ok());
  ASSERT_TRUE(
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r6", "rt-r6-lost", "j2"), kNow + 2, nullptr)
          .ok());
  // Retried twice (the second response lost too), then the last replacement is used.
  RedeemFailure retry;
  auto retried =
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r6", "rt-r6-lost2", "j3"), kNow + 3, &retry);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_EQ(retried->family_id, "fam-r6");
  EXPECT_TRUE(retry.refresh_retried);
  ASSERT_TRUE(
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r6", "rt-r6-kept", "j4"), kNow + 4, nullptr)
          .ok());
  RedeemFailure rotation;
  ASSERT_TRUE(
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r6-kept", "rt-r6-next", "j5"), kNow + 5,
                                       &rotation)
          .ok());
  EXPECT_FALSE(rotation.refresh_retried);  // an ordinary rotation
  // A replacement that was superseded is spent: presenting it is a reuse, and revokes.
  RedeemFailure failure;
  EXPECT_EQ(this->store_->RedeemRefreshToken(MakeRefresh("rt-r6-lost", "rt-r6-y", "j6"),
                                              kNow + 6, &failure)
                .status()
                .reason(),
            "refresh_token_reused");
  EXPECT_EQ(failure.reused_family_id, "fam-r6");
  EXPECT_EQ(this->store_->RedeemRefreshToken(MakeRefresh("rt-r6-next", "rt-r6-z", "j7"), kNow + 7,
                                              nullptr)
                .status()
                .reason(),
            "revoked");
}

// Once the replacement has been used, a retry with the first token is too late: a reuse.
TYPED_TEST(TokenRequestTest, ARetryAfterTheReplacementWasUsedIsAReuse) {
  this->SaveCode("r7");
  ASSERT_TRUE(this->store_->RedeemAuthCode(MakeRedemption("r7", "j1"), kNow + 1, nullptr).ok());
  ASSERT_TRUE(
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r7", "rt-r7-2", "j2"), kNow + 2, nullptr)
          .ok());
  ASSERT_TRUE(
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r7", "rt-r7-3", "j3"), kNow + 3, nullptr)
          .ok());
  ASSERT_TRUE(
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r7-3", "rt-r7-4", "j4"), kNow + 4, nullptr)
          .ok());
  EXPECT_EQ(this->store_->RedeemRefreshToken(MakeRefresh("rt-r7", "rt-r7-5", "j5"), kNow + 5,
                                              nullptr)
                .status()
                .reason(),
            "refresh_token_reused");
  EXPECT_EQ(this->store_->RedeemRefreshToken(MakeRefresh("rt-r7-4", "rt-r7-6", "j6"), kNow + 6,
                                              nullptr)
                .status()
                .reason(),
            "revoked");
}

TYPED_TEST(TokenRequestTest, RefreshReplayWritesNothing) {
  this->SaveCode("r4");
  ASSERT_TRUE(this->store_->RedeemAuthCode(MakeRedemption("r4", "j1"), kNow + 1, nullptr).ok());
  RedeemFailure failure;
  auto replayed =
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r4", "rt-r4-x", "j1"), kNow + 2, &failure);
  EXPECT_EQ(replayed.status().reason(), "replay");
  EXPECT_EQ(failure.replayed_index, 0);
  EXPECT_TRUE(
      this->store_->RedeemRefreshToken(MakeRefresh("rt-r4", "rt-r4-2", "j2"), kNow + 3, nullptr)
          .ok());
}

TYPED_TEST(TokenRequestTest, RecordAllIsAllOrNothing) {
  ASSERT_TRUE(this->store_->RecordOnce(ReplayScope::kDpopProof, "k2", kNow + 100, kNow).ok());
  std::vector<ReplayRecord> records = {{ReplayScope::kClientAssertion, "k1", kNow + 100},
                                       {ReplayScope::kDpopProof, "k2", kNow + 100}};
  RedeemFailure failure;
  EXPECT_EQ(this->store_->RecordAll(records, kNow + 1, &failure).reason(), "replay");
  EXPECT_EQ(failure.replayed_index, 1);
  EXPECT_FALSE(this->Recorded(ReplayScope::kClientAssertion, "k1"));
  records[1].key = "k3";
  EXPECT_TRUE(this->store_->RecordAll(records, kNow + 1, nullptr).ok());
  EXPECT_TRUE(this->Recorded(ReplayScope::kClientAssertion, "k1"));
  EXPECT_TRUE(this->Recorded(ReplayScope::kDpopProof, "k3"));
}

}  // namespace
}  // namespace accord::store::testing
