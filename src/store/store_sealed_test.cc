// Sealed columns (KEK rotation support) on every backend.
#include "store/store_test_env.h"

namespace accord::store::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000;

template <typename B>
class SealedColumnTest : public StoreTest<B> {
 protected:
  Status AddSession(const std::string& sid, const std::string& identity) {
    Session s;
    s.sid = sid;
    s.secret_hash = HashToken("cookie-" + sid);
    s.subject = "subject";
    s.auth_time = kNow;
    s.created_at = kNow;
    s.expires_at = kNow + 3600;
    s.identity_json = identity;
    return this->store_->CreateSession(s);
  }
};
TYPED_TEST_SUITE(SealedColumnTest, Backends, BackendNames);

TYPED_TEST(SealedColumnTest, ListsNonEmptyValuesInPages) {
  ASSERT_TRUE(this->AddSession("s1", "acf1.b").ok());
  ASSERT_TRUE(this->AddSession("s2", "acf1.a").ok());
  ASSERT_TRUE(this->AddSession("s3", "acf1.c").ok());
  ASSERT_TRUE(this->AddSession("s4", "").ok());
  auto first = this->store_->ListSealedValues(SealedColumn::kSessionIdentity, "", 2);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, (std::vector<std::string>{"acf1.a", "acf1.b"}));
  auto second = this->store_->ListSealedValues(SealedColumn::kSessionIdentity, first->back(), 2);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, (std::vector<std::string>{"acf1.c"}));
}

TYPED_TEST(SealedColumnTest, ReplaceIsCompareAndSet) {
  ASSERT_TRUE(this->AddSession("s1", "acf1.old").ok());
  auto changed = this->store_->ReplaceSealedValue(SealedColumn::kSessionIdentity, "acf1.old",
                                                  "acf1.new");
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 1);
  EXPECT_EQ(this->store_->GetSessionBySid("s1", kNow)->identity_json, "acf1.new");
  // The old value is gone: a second replace (a lost race) changes nothing.
  EXPECT_EQ(*this->store_->ReplaceSealedValue(SealedColumn::kSessionIdentity, "acf1.old", "acf1.x"),
            0);
}

TYPED_TEST(SealedColumnTest, CoversConsentsParAndLogoutQueue) {
  Consent c{"subject", "client", {"openid"}, "acf1.consent", kNow, 0};
  ASSERT_TRUE(this->store_->PutConsent(c).ok());
  PushedRequest p{"urn:accord:upstream:st", "client", "acf1.par", kNow, kNow + 60};
  ASSERT_TRUE(this->store_->SavePushedRequest(p).ok());
  LogoutDelivery d;
  d.client_id = "client";
  d.endpoint = "https://rp.example/logout";
  d.logout_token = "acf1.logout";
  d.next_attempt_at = kNow;
  d.created_at = kNow;
  d.expires_at = kNow + 60;
  ASSERT_TRUE(this->store_->EnqueueLogout(d).ok());
  for (auto [column, value] : {std::pair{SealedColumn::kConsentClaims, "acf1.consent"},
                               std::pair{SealedColumn::kPushedRequestParams, "acf1.par"},
                               std::pair{SealedColumn::kLogoutToken, "acf1.logout"}}) {
    auto values = this->store_->ListSealedValues(column, "", 10);
    ASSERT_TRUE(values.ok()) << values.status().ToString();
    EXPECT_EQ(*values, std::vector<std::string>{value});
    EXPECT_EQ(*this->store_->ReplaceSealedValue(column, value, std::string(value) + "2"), 1);
  }
  EXPECT_EQ(this->store_->GetConsent("subject", "client")->claims_json, "acf1.consent2");
}

TYPED_TEST(SealedColumnTest, RejectsBadLimit) {
  EXPECT_EQ(this->store_->ListSealedValues(SealedColumn::kSessionIdentity, "", 0).status().reason(),
            "bad_value");
  EXPECT_EQ(
      this->store_->ListSealedValues(SealedColumn::kSessionIdentity, "", 1001).status().reason(),
      "bad_value");
}

}  // namespace
}  // namespace accord::store::testing
