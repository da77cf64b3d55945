// Listing every subject's consents (Store::ListAllConsents) and consent retention
// (Store::SweepConsents) on every backend.
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

TYPED_TEST(ConsentListTest, SweepDeletesOldConsentsAndErasesOldSnapshots) {
  Consent old = MakeConsent("s-old", "client-a");
  old.granted_at = kNow - 500;
  ASSERT_TRUE(this->store_->PutConsent(old).ok());
  Consent middle = MakeConsent("s-mid", "client-a");
  middle.granted_at = kNow - 100;
  ASSERT_TRUE(this->store_->PutConsent(middle).ok());
  // Delete granted <= kNow-400; erase snapshots granted <= kNow-50.
  auto stats = this->store_->SweepConsents(kNow - 400, kNow - 50);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->consents, 1);
  EXPECT_EQ(stats->consent_snapshots, 1);
  EXPECT_EQ(this->store_->GetConsent("s-old", "client-a").status().reason(), "not_found");
  auto kept = this->store_->GetConsent("s-mid", "client-a");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->claims_json, "");
  EXPECT_EQ(kept->scopes, (std::vector<std::string>{"openid", "profile"}));
  auto fresh = this->store_->GetConsent("s-1", "client-a");
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->claims_json, R"(["given_name"])");
  // Nothing more to do the second time; zero cutoffs skip.
  stats = this->store_->SweepConsents(kNow - 400, kNow - 50);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->consents + stats->consent_snapshots, 0);
  EXPECT_EQ(this->store_->SweepConsents(0, 0)->Total(), 0);
}

}  // namespace
}  // namespace accord::store::testing
