// Refresh-token families: rotation, reuse detection, revocation, on every backend.
#include "store/store_test_env.h"

namespace accord::store::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000;

RefreshFamily MakeFamily(std::string_view id, std::string_view grant = "grant-1") {
  RefreshFamily f;
  f.family_id = std::string(id);
  f.grant_id = std::string(grant);
  f.client_id = "client-a";
  f.subject = "subject-1";
  f.session_id = "sid-1";
  f.scope = "openid offline_access";
  f.dpop_jkt = "jkt";
  f.created_at = kNow;
  f.expires_at = kNow + 86400;
  return f;
}

template <typename B>
class RefreshTest : public StoreTest<B> {
 protected:
  void Issue(std::string_view family, std::string_view token, std::string_view grant = "grant-1") {
    Status s = this->store_->CreateRefreshFamily(MakeFamily(family, grant), H(token), kNow + 3600);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
};
TYPED_TEST_SUITE(RefreshTest, Backends, BackendNames);

TYPED_TEST(RefreshTest, RotationReturnsTheFamily) {
  this->Issue("fam-1", "rt-1");
  auto fam =
      this->store_->RotateRefreshToken(H("rt-1"), H("rt-2"), kNow + 7200, kNow + 10, nullptr);
  ASSERT_TRUE(fam.ok()) << fam.status().ToString();
  const RefreshFamily want = MakeFamily("fam-1");
  EXPECT_EQ(fam->family_id, want.family_id);
  EXPECT_EQ(fam->grant_id, want.grant_id);
  EXPECT_EQ(fam->client_id, want.client_id);
  EXPECT_EQ(fam->subject, want.subject);
  EXPECT_EQ(fam->session_id, want.session_id);
  EXPECT_EQ(fam->scope, want.scope);
  EXPECT_EQ(fam->dpop_jkt, want.dpop_jkt);
  EXPECT_EQ(fam->expires_at, want.expires_at);
  EXPECT_EQ(fam->revoked_at, 0);
  // The replacement rotates in turn.
  EXPECT_TRUE(
      this->store_->RotateRefreshToken(H("rt-2"), H("rt-3"), kNow + 7200, kNow + 20, nullptr).ok());
}

TYPED_TEST(RefreshTest, ReusedTokenRevokesTheFamily) {
  this->Issue("fam-2", "rt-1");
  ASSERT_TRUE(
      this->store_->RotateRefreshToken(H("rt-1"), H("rt-2"), kNow + 7200, kNow + 10, nullptr).ok());
  std::string family;
  auto reused =
      this->store_->RotateRefreshToken(H("rt-1"), H("rt-x"), kNow + 7200, kNow + 20, &family);
  EXPECT_EQ(reused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(reused.status().reason(), "refresh_token_reused");
  EXPECT_EQ(family, "fam-2");
  // The legitimate holder's newer token is dead too, and the attacker's replacement never existed.
  auto legit =
      this->store_->RotateRefreshToken(H("rt-2"), H("rt-3"), kNow + 7200, kNow + 30, nullptr);
  EXPECT_EQ(legit.status().reason(), "revoked");
  EXPECT_EQ(this->store_->RotateRefreshToken(H("rt-x"), H("rt-y"), kNow + 7200, kNow + 30, nullptr)
                .status()
                .reason(),
            "not_found");
}

TYPED_TEST(RefreshTest, ExpiredTokenIsRejected) {
  this->Issue("fam-3", "rt-1");
  auto r =
      this->store_->RotateRefreshToken(H("rt-1"), H("rt-2"), kNow + 7200, kNow + 3600, nullptr);
  EXPECT_EQ(r.status().reason(), "expired");
}

TYPED_TEST(RefreshTest, ReplacementNeverOutlivesTheFamily) {
  RefreshFamily f = MakeFamily("fam-4");
  f.expires_at = kNow + 100;
  ASSERT_TRUE(this->store_->CreateRefreshFamily(f, H("rt-1"), kNow + 50).ok());
  ASSERT_TRUE(
      this->store_->RotateRefreshToken(H("rt-1"), H("rt-2"), kNow + 999999, kNow + 10, nullptr)
          .ok());
  EXPECT_EQ(
      this->store_->RotateRefreshToken(H("rt-2"), H("rt-3"), kNow + 999999, kNow + 100, nullptr)
          .status()
          .reason(),
      "expired");
}

TYPED_TEST(RefreshTest, UnknownTokenIsNotFound) {
  auto r = this->store_->RotateRefreshToken(H("nope"), H("new"), kNow + 10, kNow, nullptr);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TYPED_TEST(RefreshTest, ReplacementMustDifferFromPresented) {
  this->Issue("fam-5", "rt-1");
  auto r = this->store_->RotateRefreshToken(H("rt-1"), H("rt-1"), kNow + 10, kNow, nullptr);
  EXPECT_EQ(r.status().reason(), "bad_value");
}

TYPED_TEST(RefreshTest, RevokedFamilyCannotRotateAndKeepsItsToken) {
  this->Issue("fam-6", "rt-1");
  ASSERT_TRUE(this->store_->RevokeRefreshFamily("fam-6", kNow + 1).ok());
  ASSERT_TRUE(this->store_->RevokeRefreshFamily("fam-6", kNow + 2).ok());  // idempotent
  auto r = this->store_->RotateRefreshToken(H("rt-1"), H("rt-2"), kNow + 100, kNow + 3, nullptr);
  EXPECT_EQ(r.status().reason(), "revoked");
  // The failed rotation rolled back: presenting it again is "revoked", not "reused".
  r = this->store_->RotateRefreshToken(H("rt-1"), H("rt-2"), kNow + 100, kNow + 4, nullptr);
  EXPECT_EQ(r.status().reason(), "revoked");
  EXPECT_EQ(this->store_->RevokeRefreshFamily("fam-none", kNow).reason(), "not_found");
}

TYPED_TEST(RefreshTest, RevokeByTokenRevokesItsFamily) {
  this->Issue("fam-7", "rt-1");
  ASSERT_TRUE(this->store_->RevokeRefreshToken(H("rt-1"), kNow + 1).ok());
  auto r = this->store_->RotateRefreshToken(H("rt-1"), H("rt-2"), kNow + 100, kNow + 2, nullptr);
  EXPECT_EQ(r.status().reason(), "revoked");
  EXPECT_EQ(this->store_->RevokeRefreshToken(H("unknown"), kNow).reason(), "not_found");
}

TYPED_TEST(RefreshTest, RevokeGrantRevokesEveryFamilyOfTheGrant) {
  this->Issue("fam-8", "rt-8", "grant-x");
  this->Issue("fam-9", "rt-9", "grant-x");
  this->Issue("fam-10", "rt-10", "grant-y");
  auto n = this->store_->RevokeGrant("grant-x", kNow + 1);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(this->store_->RotateRefreshToken(H("rt-8"), H("n8"), kNow + 99, kNow + 2, nullptr)
                .status()
                .reason(),
            "revoked");
  EXPECT_TRUE(
      this->store_->RotateRefreshToken(H("rt-10"), H("n10"), kNow + 99, kNow + 2, nullptr).ok());
}

TYPED_TEST(RefreshTest, DuplicateFamilyIsRejectedAtomically) {
  this->Issue("fam-11", "rt-a");
  Status s = this->store_->CreateRefreshFamily(MakeFamily("fam-11"), H("rt-b"), kNow + 10);
  EXPECT_EQ(s.reason(), "duplicate");
  // rt-b was not left behind by the failed transaction.
  EXPECT_EQ(this->store_->RevokeRefreshToken(H("rt-b"), kNow).reason(), "not_found");
}

}  // namespace
}  // namespace accord::store::testing
