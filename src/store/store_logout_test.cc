// The back-channel logout queue and the expiry sweep on every backend.
#include "store/store_test_env.h"

namespace accord::store::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000;

LogoutDelivery MakeDelivery(std::string_view client, int64_t due) {
  LogoutDelivery d;
  d.client_id = std::string(client);
  d.endpoint = "https://rp.example/backchannel_logout";
  d.logout_token = "eyJhbGciOiJQUzI1NiJ9.e30.sig";
  d.next_attempt_at = due;
  d.created_at = kNow;
  d.expires_at = kNow + 3600;
  return d;
}

template <typename B>
class LogoutTest : public StoreTest<B> {};
TYPED_TEST_SUITE(LogoutTest, Backends, BackendNames);

TYPED_TEST(LogoutTest, ClaimTakesDueDeliveriesWithALease) {
  auto a = this->store_->EnqueueLogout(MakeDelivery("client-a", kNow));
  auto b = this->store_->EnqueueLogout(MakeDelivery("client-b", kNow + 100));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  auto claimed = this->store_->ClaimDueLogouts(kNow, 10, 30);
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  ASSERT_EQ(claimed->size(), 1u);
  const LogoutDelivery& d = (*claimed)[0];
  EXPECT_EQ(d.id, *a);
  EXPECT_EQ(d.client_id, "client-a");
  EXPECT_EQ(d.endpoint, "https://rp.example/backchannel_logout");
  EXPECT_EQ(d.logout_token, "eyJhbGciOiJQUzI1NiJ9.e30.sig");
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.next_attempt_at, kNow + 30);
  // Leased: a second worker gets nothing until the lease runs out.
  EXPECT_TRUE(this->store_->ClaimDueLogouts(kNow + 1, 10, 30)->empty());
  auto again = this->store_->ClaimDueLogouts(kNow + 30, 10, 30);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 2);
}

TYPED_TEST(LogoutTest, CompleteAndRescheduleAct) {
  auto id = this->store_->EnqueueLogout(MakeDelivery("client-a", kNow));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(this->store_->RescheduleLogout(*id, kNow + 500).ok());
  EXPECT_TRUE(this->store_->ClaimDueLogouts(kNow + 499, 10, 30)->empty());
  EXPECT_EQ(this->store_->ClaimDueLogouts(kNow + 500, 10, 30)->size(), 1u);
  ASSERT_TRUE(this->store_->CompleteLogout(*id).ok());
  EXPECT_EQ(this->store_->CompleteLogout(*id).reason(), "not_found");
  EXPECT_EQ(this->store_->RescheduleLogout(*id, kNow).reason(), "not_found");
}

TYPED_TEST(LogoutTest, ClaimHonoursLimitAndSkipsExpired) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        this->store_->EnqueueLogout(MakeDelivery("client-" + std::to_string(i), kNow)).ok());
  }
  EXPECT_EQ(this->store_->ClaimDueLogouts(kNow, 3, 30)->size(), 3u);
  EXPECT_TRUE(this->store_->ClaimDueLogouts(kNow + 3600, 10, 30)->empty());  // all expired
  EXPECT_EQ(this->store_->ClaimDueLogouts(kNow, 0, 30).status().reason(), "bad_value");
  EXPECT_EQ(this->store_->ClaimDueLogouts(kNow, 1, 0).status().reason(), "bad_value");
}

TYPED_TEST(LogoutTest, SweepRemovesOnlyExpiredRows) {
  Store& s = *this->store_;
  AuthCode code;
  code.code_hash = H("code");
  code.grant_id = "g";
  code.client_id = "c";
  code.subject = "s";
  code.redirect_uri = "https://rp.example/cb";
  code.issued_at = kNow;
  code.expires_at = kNow + 60;
  ASSERT_TRUE(s.SaveAuthCode(code).ok());
  ASSERT_TRUE(s.RecordOnce(ReplayScope::kDpopProof, "j", kNow + 60, kNow).ok());
  RefreshFamily f;
  f.family_id = "fam";
  f.grant_id = "g";
  f.client_id = "c";
  f.subject = "s";
  f.created_at = kNow;
  f.expires_at = kNow + 1000;
  ASSERT_TRUE(s.CreateRefreshFamily(f, H("rt"), kNow + 500).ok());
  ASSERT_TRUE(s.EnqueueLogout(MakeDelivery("c", kNow)).ok());

  auto early = s.SweepExpired(kNow + 59);
  ASSERT_TRUE(early.ok()) << early.status().ToString();
  EXPECT_EQ(early->Total(), 0);

  auto mid = s.SweepExpired(kNow + 1000);
  ASSERT_TRUE(mid.ok());
  EXPECT_EQ(mid->replay_entries, 1);
  EXPECT_EQ(mid->refresh_families, 1);
  EXPECT_EQ(mid->auth_codes, 0);  // kept for reuse detection
  EXPECT_EQ(
      s.RotateRefreshToken(H("rt"), H("rt2"), kNow + 2000, kNow + 1000, nullptr).status().reason(),
      "not_found");

  auto late = s.SweepExpired(kNow + 60 + kCodeRetentionSeconds);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->auth_codes, 1);
  EXPECT_EQ(late->logout_deliveries, 1);
  EXPECT_EQ(s.ConsumeAuthCode(H("code"), kNow, nullptr).status().reason(), "not_found");
}

TYPED_TEST(LogoutTest, HealthCheckSucceeds) { EXPECT_TRUE(this->store_->CheckHealth().ok()); }

}  // namespace
}  // namespace accord::store::testing
