// Signing keys and consents on every backend.
#include "store/store_test_env.h"

namespace accord::store::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000;

SigningKey MakeKey(std::string_view kid, int64_t created_at) {
  SigningKey k;
  k.kid = std::string(kid);
  k.algorithm = "PS256";
  k.created_at = created_at;
  k.activates_at = created_at + 3600;
  k.sealed_private_key = Bytes{0x00, 0x01, 0xfe, 0xff, 0x00};  // binary-safe, NUL bytes included
  k.public_jwk_json = R"({"kty":"RSA","kid":")" + std::string(kid) + R"("})";
  return k;
}

template <typename B>
class KeyTest : public StoreTest<B> {};
TYPED_TEST_SUITE(KeyTest, Backends, BackendNames);

TYPED_TEST(KeyTest, AddedKeysAreListedOldestFirst) {
  ASSERT_TRUE(this->store_->AddSigningKey(MakeKey("k2", kNow + 5)).ok());
  ASSERT_TRUE(this->store_->AddSigningKey(MakeKey("k1", kNow)).ok());
  auto keys = this->store_->ListSigningKeys();
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  ASSERT_EQ(keys->size(), 2u);
  const SigningKey want = MakeKey("k1", kNow);
  EXPECT_EQ((*keys)[0].kid, "k1");
  EXPECT_EQ((*keys)[0].algorithm, want.algorithm);
  EXPECT_EQ((*keys)[0].status, KeyStatus::kNext);
  EXPECT_EQ((*keys)[0].created_at, want.created_at);
  EXPECT_EQ((*keys)[0].activates_at, want.activates_at);
  EXPECT_EQ((*keys)[0].retires_at, 0);
  EXPECT_EQ((*keys)[0].sealed_private_key, want.sealed_private_key);
  EXPECT_EQ((*keys)[0].public_jwk_json, want.public_jwk_json);
  EXPECT_EQ((*keys)[1].kid, "k2");
}

TYPED_TEST(KeyTest, ActivationRetiresThePreviousActiveKey) {
  ASSERT_TRUE(this->store_->AddSigningKey(MakeKey("k1", kNow)).ok());
  ASSERT_TRUE(this->store_->AddSigningKey(MakeKey("k2", kNow + 1)).ok());
  ASSERT_TRUE(this->store_->ActivateSigningKey("k1", kNow + 10).ok());
  ASSERT_TRUE(this->store_->ActivateSigningKey("k2", kNow + 20).ok());
  auto keys = this->store_->ListSigningKeys();
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ((*keys)[0].status, KeyStatus::kRetired);
  EXPECT_EQ((*keys)[0].retires_at, kNow + 20);
  EXPECT_EQ((*keys)[1].status, KeyStatus::kActive);
  EXPECT_EQ((*keys)[1].activates_at, kNow + 20);
}

TYPED_TEST(KeyTest, OnlyNextKeysActivate) {
  ASSERT_TRUE(this->store_->AddSigningKey(MakeKey("k1", kNow)).ok());
  ASSERT_TRUE(this->store_->ActivateSigningKey("k1", kNow).ok());
  EXPECT_EQ(this->store_->ActivateSigningKey("k1", kNow + 1).reason(), "bad_state");
  EXPECT_EQ(this->store_->ActivateSigningKey("missing", kNow).reason(), "not_found");
  SigningKey active = MakeKey("k9", kNow);
  active.status = KeyStatus::kActive;
  EXPECT_EQ(this->store_->AddSigningKey(active).reason(), "bad_state");
}

TYPED_TEST(KeyTest, OnlyRetiredKeysAreDeleted) {
  ASSERT_TRUE(this->store_->AddSigningKey(MakeKey("k1", kNow)).ok());
  ASSERT_TRUE(this->store_->AddSigningKey(MakeKey("k2", kNow + 1)).ok());
  ASSERT_TRUE(this->store_->ActivateSigningKey("k1", kNow).ok());
  EXPECT_EQ(this->store_->DeleteSigningKey("k1").reason(), "bad_state");
  ASSERT_TRUE(this->store_->ActivateSigningKey("k2", kNow + 5).ok());
  EXPECT_TRUE(this->store_->DeleteSigningKey("k1").ok());
  EXPECT_EQ(this->store_->DeleteSigningKey("k1").reason(), "not_found");
  EXPECT_EQ(this->store_->ListSigningKeys()->size(), 1u);
}

TYPED_TEST(KeyTest, DuplicateKidIsRejected) {
  ASSERT_TRUE(this->store_->AddSigningKey(MakeKey("k1", kNow)).ok());
  EXPECT_EQ(this->store_->AddSigningKey(MakeKey("k1", kNow)).reason(), "duplicate");
}

Consent MakeConsent(std::string_view client) {
  Consent c;
  c.subject = "subject-1";
  c.client_id = std::string(client);
  c.scopes = {"openid", "profile"};
  c.claims_json = R"(["given_name"])";
  c.granted_at = kNow;
  return c;
}

TYPED_TEST(KeyTest, ConsentRoundTripsAndRevokes) {
  ASSERT_TRUE(this->store_->PutConsent(MakeConsent("client-a")).ok());
  auto got = this->store_->GetConsent("subject-1", "client-a");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->scopes, MakeConsent("client-a").scopes);
  EXPECT_EQ(got->claims_json, MakeConsent("client-a").claims_json);
  EXPECT_EQ(got->granted_at, kNow);
  EXPECT_EQ(got->revoked_at, 0);
  ASSERT_TRUE(this->store_->RevokeConsent("subject-1", "client-a", kNow + 9).ok());
  EXPECT_EQ(this->store_->GetConsent("subject-1", "client-a")->revoked_at, kNow + 9);
  EXPECT_EQ(this->store_->RevokeConsent("subject-1", "client-z", kNow).reason(), "not_found");
  EXPECT_EQ(this->store_->GetConsent("subject-1", "client-z").status().reason(), "not_found");
}

TYPED_TEST(KeyTest, PutConsentReplacesAndClearsRevocation) {
  ASSERT_TRUE(this->store_->PutConsent(MakeConsent("client-a")).ok());
  ASSERT_TRUE(this->store_->RevokeConsent("subject-1", "client-a", kNow + 1).ok());
  Consent c = MakeConsent("client-a");
  c.scopes = {"openid"};
  c.granted_at = kNow + 2;
  ASSERT_TRUE(this->store_->PutConsent(c).ok());
  auto got = this->store_->GetConsent("subject-1", "client-a");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->scopes, std::vector<std::string>{"openid"});
  EXPECT_EQ(got->granted_at, kNow + 2);
  EXPECT_EQ(got->revoked_at, 0);
}

TYPED_TEST(KeyTest, ListConsentsIsPerSubject) {
  ASSERT_TRUE(this->store_->PutConsent(MakeConsent("client-b")).ok());
  ASSERT_TRUE(this->store_->PutConsent(MakeConsent("client-a")).ok());
  Consent other = MakeConsent("client-a");
  other.subject = "subject-2";
  ASSERT_TRUE(this->store_->PutConsent(other).ok());
  auto list = this->store_->ListConsents("subject-1");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].client_id, "client-a");
  EXPECT_EQ((*list)[1].client_id, "client-b");
}

}  // namespace
}  // namespace accord::store::testing
