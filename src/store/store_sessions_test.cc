// Sessions and replay caches on every backend.
#include "store/store_test_env.h"

namespace accord::store::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000;

Session MakeSession(std::string_view secret, std::string_view sid) {
  Session s;
  s.sid = std::string(sid);
  s.secret_hash = H(secret);
  s.subject = "subject-1";
  s.auth_time = kNow - 3;
  s.acr = "urn:accord:loa:substantial";
  s.amr = {"pwd", "otp"};
  s.upstream = "gov_uk_one_login";
  s.created_at = kNow;
  s.expires_at = kNow + 1800;
  return s;
}

template <typename B>
class SessionTest : public StoreTest<B> {};
TYPED_TEST_SUITE(SessionTest, Backends, BackendNames);

TYPED_TEST(SessionTest, GetReturnsTheSession) {
  const Session s = MakeSession("cookie-1", "sid-1");
  ASSERT_TRUE(this->store_->CreateSession(s).ok());
  auto got = this->store_->GetSession(H("cookie-1"), kNow + 1);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->sid, s.sid);
  EXPECT_EQ(got->secret_hash, s.secret_hash);
  EXPECT_EQ(got->subject, s.subject);
  EXPECT_EQ(got->auth_time, s.auth_time);
  EXPECT_EQ(got->acr, s.acr);
  EXPECT_EQ(got->amr, s.amr);
  EXPECT_EQ(got->upstream, s.upstream);
  EXPECT_EQ(got->created_at, s.created_at);
  EXPECT_EQ(got->expires_at, s.expires_at);
}

TYPED_TEST(SessionTest, ExpiredSessionIsRejected) {
  ASSERT_TRUE(this->store_->CreateSession(MakeSession("cookie-2", "sid-2")).ok());
  EXPECT_EQ(this->store_->GetSession(H("cookie-2"), kNow + 1800).status().reason(), "expired");
  EXPECT_EQ(this->store_->GetSession(H("other"), kNow).status().reason(), "not_found");
}

TYPED_TEST(SessionTest, DeleteReturnsTheSessionOnce) {
  ASSERT_TRUE(this->store_->CreateSession(MakeSession("cookie-3", "sid-3")).ok());
  auto gone = this->store_->DeleteSession(H("cookie-3"));
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->sid, "sid-3");
  EXPECT_EQ(this->store_->DeleteSession(H("cookie-3")).status().reason(), "not_found");
  EXPECT_EQ(this->store_->GetSession(H("cookie-3"), kNow).status().reason(), "not_found");
}

TYPED_TEST(SessionTest, SidIsUnique) {
  ASSERT_TRUE(this->store_->CreateSession(MakeSession("cookie-4", "sid-4")).ok());
  EXPECT_EQ(this->store_->CreateSession(MakeSession("cookie-5", "sid-4")).reason(), "duplicate");
}

TYPED_TEST(SessionTest, AmrValuesWithSpacesAreRejected) {
  Session s = MakeSession("cookie-6", "sid-6");
  s.amr = {"pwd otp"};
  EXPECT_EQ(this->store_->CreateSession(s).reason(), "bad_value");
}

TYPED_TEST(SessionTest, ReplayCacheRejectsASecondUse) {
  EXPECT_TRUE(this->store_->RecordOnce(ReplayScope::kDpopProof, "jkt|jti-1", kNow + 60, kNow).ok());
  Status again =
      this->store_->RecordOnce(ReplayScope::kDpopProof, "jkt|jti-1", kNow + 60, kNow + 1);
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.reason(), "replay");
}

TYPED_TEST(SessionTest, ReplayScopesAreSeparate) {
  EXPECT_TRUE(this->store_->RecordOnce(ReplayScope::kClientAssertion, "j", kNow + 60, kNow).ok());
  EXPECT_TRUE(this->store_->RecordOnce(ReplayScope::kDpopProof, "j", kNow + 60, kNow).ok());
  EXPECT_TRUE(this->store_->RecordOnce(ReplayScope::kLogoutToken, "j", kNow + 60, kNow).ok());
}

TYPED_TEST(SessionTest, ExpiredReplayEntryIsReplaced) {
  EXPECT_TRUE(this->store_->RecordOnce(ReplayScope::kLogoutToken, "j2", kNow + 10, kNow).ok());
  EXPECT_TRUE(
      this->store_->RecordOnce(ReplayScope::kLogoutToken, "j2", kNow + 100, kNow + 10).ok());
  EXPECT_EQ(
      this->store_->RecordOnce(ReplayScope::kLogoutToken, "j2", kNow + 100, kNow + 99).reason(),
      "replay");
}

TYPED_TEST(SessionTest, ReplayEntryMustExpireInTheFuture) {
  EXPECT_EQ(this->store_->RecordOnce(ReplayScope::kDpopProof, "j3", kNow, kNow).reason(),
            "bad_lifetime");
}

// Which gateway sessions an upstream login created (oidc/broker/upstream_logout.h).
TYPED_TEST(SessionTest, UpstreamLoginsListTheirLiveSessions) {
  Store& store = *this->store_;
  ASSERT_TRUE(store.AddUpstreamLogin("sub:b:alice", "sid-2", kNow + 100).ok());
  ASSERT_TRUE(store.AddUpstreamLogin("sub:b:alice", "sid-1", kNow + 50).ok());
  ASSERT_TRUE(store.AddUpstreamLogin("sid:b:upstream-session", "sid-1", kNow + 50).ok());
  ASSERT_TRUE(store.AddUpstreamLogin("sub:b:bob", "sid-3", kNow + 100).ok());
  auto alice = store.ListUpstreamLogins("sub:b:alice", kNow);
  ASSERT_TRUE(alice.ok()) << alice.status().ToString();
  EXPECT_EQ(*alice, (std::vector<std::string>{"sid-1", "sid-2"}));
  EXPECT_EQ(*store.ListUpstreamLogins("sid:b:upstream-session", kNow),
            std::vector<std::string>{"sid-1"});
  EXPECT_TRUE(store.ListUpstreamLogins("sub:b:nobody", kNow)->empty());

  // Expired rows are not listed; adding again keeps the later expiry (idempotent).
  EXPECT_EQ(*store.ListUpstreamLogins("sub:b:alice", kNow + 50), std::vector<std::string>{"sid-2"});
  ASSERT_TRUE(store.AddUpstreamLogin("sub:b:alice", "sid-1", kNow + 200).ok());
  ASSERT_TRUE(store.AddUpstreamLogin("sub:b:alice", "sid-1", kNow + 10).ok());
  EXPECT_EQ(*store.ListUpstreamLogins("sub:b:alice", kNow + 150), std::vector<std::string>{"sid-1"});

  // The sweep removes rows past their expiry, and only those.
  auto swept = store.SweepExpired(kNow + 150);
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_EQ(swept->upstream_logins, 3);  // alice's sid-2, the upstream session's, bob's
  EXPECT_EQ(*store.ListUpstreamLogins("sub:b:alice", kNow), std::vector<std::string>{"sid-1"});
}

TYPED_TEST(SessionTest, UpstreamLoginsAreBounded) {
  Store& store = *this->store_;
  EXPECT_EQ(store.AddUpstreamLogin("", "sid-1", kNow + 1).reason(), "bad_value");
  EXPECT_FALSE(store.AddUpstreamLogin(std::string(kMaxIdentifierBytes + 1, 'k'), "sid-1", kNow + 1).ok());
  EXPECT_FALSE(store.AddUpstreamLogin("sub:b:alice", "", kNow + 1).ok());
  EXPECT_EQ(store.AddUpstreamLogin("sub:b:alice", "sid-1", 0).reason(), "bad_lifetime");
  EXPECT_FALSE(store.ListUpstreamLogins("", kNow).ok());
}

}  // namespace
}  // namespace accord::store::testing
