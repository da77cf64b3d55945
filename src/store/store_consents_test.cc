// Listing every subject's consents (Store::ListAllConsents) on every backend.
#include "store/store_test_env.h"

namespace accord::store::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000;

Consent MakeConsent(std::string_view subject, std::string_view client) {
  Consent c;
  c.subject = std::string(subject);
  c.client_id = std::string(client);
  c.scopes = {"openid", "profile"};
  c.claims_json = R"(["given_name"])";
  c.granted_at = kNow;
  return c;
}

template <typename B>
class ConsentListTest : public StoreTest<B> {
 protected:
  void SetUp() override {
    StoreTest<B>::SetUp();
    if (this->HasFatalFailure()) return;
    constexpr std::pair<const char*, const char*> kGrants[] = {
        {"s-2", "client-b"}, {"s-1", "client-b"}, {"s-1", "client-a"}};
    for (const auto& [subject, client] : kGrants) {
      ASSERT_TRUE(this->store_->PutConsent(MakeConsent(subject, client)).ok());
    }
  }
};
TYPED_TEST_SUITE(ConsentListTest, Backends, BackendNames);

TYPED_TEST(ConsentListTest, AllClientsAreListedByClientThenSubject) {
  auto list = this->store_->ListAllConsents("", 100);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].client_id, "client-a");
  EXPECT_EQ((*list)[1].client_id, "client-b");
  EXPECT_EQ((*list)[1].subject, "s-1");
  EXPECT_EQ((*list)[2].subject, "s-2");
  EXPECT_EQ((*list)[0].claims_json, R"(["given_name"])");
  EXPECT_EQ((*list)[0].scopes, (std::vector<std::string>{"openid", "profile"}));
}

TYPED_TEST(ConsentListTest, OneClientFilters) {
  auto list = this->store_->ListAllConsents("client-b", 100);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].subject, "s-1");
  EXPECT_EQ((*list)[1].subject, "s-2");
  EXPECT_TRUE(this->store_->ListAllConsents("client-z", 100)->empty());
}

TYPED_TEST(ConsentListTest, RevokedConsentsAreListedWithTheirTime) {
  ASSERT_TRUE(this->store_->RevokeConsent("s-1", "client-a", kNow + 7).ok());
  auto list = this->store_->ListAllConsents("client-a", 100);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].revoked_at, kNow + 7);
}

TYPED_TEST(ConsentListTest, LimitIsHonouredAndBounded) {
  auto list = this->store_->ListAllConsents("", 2);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 2u);
  EXPECT_EQ(this->store_->ListAllConsents("", 0).status().reason(), "bad_value");
  EXPECT_EQ(this->store_->ListAllConsents("", 1001).status().reason(), "bad_value");
}

}  // namespace
}  // namespace accord::store::testing
