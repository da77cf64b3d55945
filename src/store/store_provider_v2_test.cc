// Schema version 2 on every backend: key owners, sessions by sid with their identity, the
// clients of a session, RFC 7009 / logout revocation and revoked access-token lookups.
#include <string>
#include <vector>

#include "store/store_test_env.h"

namespace accord::store::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000;

SigningKey Key(std::string_view kid, std::string_view owner, std::string_view alg,
               int64_t created_at) {
  SigningKey k;
  k.kid = std::string(kid);
  k.owner = std::string(owner);
  k.algorithm = std::string(alg);
  k.created_at = created_at;
  k.activates_at = created_at;
  k.sealed_private_key = Bytes{1, 2, 3};
  k.public_jwk_json = R"({"kid":")" + std::string(kid) + R"("})";
  return k;
}

Session MakeSession(std::string_view secret, std::string_view sid) {
  Session s;
  s.sid = std::string(sid);
  s.secret_hash = H(secret);
  s.subject = "subject-1";
  s.auth_time = kNow;
  s.identity_json = R"({"upstream_id":"sandbox-uk","attributes":{"given_name":"Ann"}})";
  s.created_at = kNow;
  s.expires_at = kNow + 600;
  return s;
}

RefreshFamily Family(std::string_view id, std::string_view client, std::string_view sid) {
  RefreshFamily f;
  f.family_id = std::string(id);
  f.grant_id = "grant-" + std::string(id);
  f.client_id = std::string(client);
  f.subject = "subject-1";
  f.session_id = std::string(sid);
  f.scope = "openid";
  f.created_at = kNow;
  f.expires_at = kNow + 86400;
  return f;
}

template <typename B>
class V2Test : public StoreTest<B> {
 protected:
  KeyStatus StatusOf(std::string_view kid) {
    auto keys = this->store_->ListSigningKeys();
    EXPECT_TRUE(keys.ok());
    for (const auto& k : *keys) {
      if (k.kid == kid) return k.status;
    }
    ADD_FAILURE() << "no key " << kid;
    return KeyStatus::kNext;
  }
};
TYPED_TEST_SUITE(V2Test, Backends, BackendNames);

TYPED_TEST(V2Test, KeysAreListedPerOwner) {
  ASSERT_TRUE(this->store_->AddSigningKey(Key("a1", "accord", "ES256", kNow)).ok());
  ASSERT_TRUE(this->store_->AddSigningKey(Key("u1", "sandbox-uk", "ES256", kNow + 1)).ok());
  ASSERT_TRUE(this->store_->AddSigningKey(Key("a2", "accord", "PS256", kNow + 2)).ok());
  auto accord = this->store_->ListSigningKeys("accord");
  ASSERT_TRUE(accord.ok()) << accord.status().ToString();
  ASSERT_EQ(accord->size(), 2u);
  EXPECT_EQ((*accord)[0].kid, "a1");
  EXPECT_EQ((*accord)[0].owner, "accord");
  EXPECT_EQ((*accord)[1].kid, "a2");
  auto uk = this->store_->ListSigningKeys("sandbox-uk");
  ASSERT_EQ(uk->size(), 1u);
  EXPECT_EQ((*uk)[0].owner, "sandbox-uk");
  EXPECT_TRUE(this->store_->ListSigningKeys("nobody")->empty());
  EXPECT_EQ(this->store_->ListSigningKeys()->size(), 3u);
}

TYPED_TEST(V2Test, ActivationRetiresOnlySameOwnerAndAlgorithm) {
  for (const auto& k :
       {Key("a-es-1", "accord", "ES256", kNow), Key("a-ps-1", "accord", "PS256", kNow),
        Key("u-es-1", "sandbox-uk", "ES256", kNow), Key("a-es-2", "accord", "ES256", kNow + 1)}) {
    ASSERT_TRUE(this->store_->AddSigningKey(k).ok());
  }
  ASSERT_TRUE(this->store_->ActivateSigningKey("a-es-1", kNow).ok());
  ASSERT_TRUE(this->store_->ActivateSigningKey("a-ps-1", kNow).ok());
  ASSERT_TRUE(this->store_->ActivateSigningKey("u-es-1", kNow).ok());
  ASSERT_TRUE(this->store_->ActivateSigningKey("a-es-2", kNow + 5).ok());
  EXPECT_EQ(this->StatusOf("a-es-1"), KeyStatus::kRetired);
  EXPECT_EQ(this->StatusOf("a-es-2"), KeyStatus::kActive);
  EXPECT_EQ(this->StatusOf("a-ps-1"), KeyStatus::kActive);  // other algorithm
  EXPECT_EQ(this->StatusOf("u-es-1"), KeyStatus::kActive);  // other owner
}

TYPED_TEST(V2Test, KeyWithoutOwnerIsRejected) {
  EXPECT_EQ(this->store_->AddSigningKey(Key("k", "", "ES256", kNow)).reason(), "bad_value");
}

TYPED_TEST(V2Test, SessionIsFoundAndDeletedBySid) {
  const Session s = MakeSession("cookie-1", "sid-1");
  ASSERT_TRUE(this->store_->CreateSession(s).ok());
  auto got = this->store_->GetSessionBySid("sid-1", kNow + 1);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->secret_hash, s.secret_hash);
  EXPECT_EQ(got->identity_json, s.identity_json);
  EXPECT_EQ(this->store_->GetSession(H("cookie-1"), kNow)->identity_json, s.identity_json);
  EXPECT_EQ(this->store_->GetSessionBySid("sid-1", kNow + 600).status().reason(), "expired");
  EXPECT_EQ(this->store_->GetSessionBySid("sid-9", kNow).status().reason(), "not_found");
  auto gone = this->store_->DeleteSessionBySid("sid-1");
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->subject, "subject-1");
  EXPECT_EQ(this->store_->DeleteSessionBySid("sid-1").status().reason(), "not_found");
  EXPECT_EQ(this->store_->GetSession(H("cookie-1"), kNow).status().reason(), "not_found");
}

TYPED_TEST(V2Test, OversizedIdentityIsRejected) {
  Session s = MakeSession("cookie-2", "sid-2");
  s.identity_json.assign(kMaxJsonBytes + 1, 'x');
  EXPECT_EQ(this->store_->CreateSession(s).reason(), "too_large");
}

TYPED_TEST(V2Test, SessionClientsAreListedOnceUntilExpiry) {
  ASSERT_TRUE(this->store_->AddSessionClient("sid-1", "client-b", kNow + 100).ok());
  ASSERT_TRUE(this->store_->AddSessionClient("sid-1", "client-a", kNow + 10).ok());
  ASSERT_TRUE(this->store_->AddSessionClient("sid-1", "client-b", kNow + 50).ok());  // idempotent
  ASSERT_TRUE(this->store_->AddSessionClient("sid-2", "client-c", kNow + 100).ok());
  auto clients = this->store_->ListSessionClients("sid-1", kNow);
  ASSERT_TRUE(clients.ok()) << clients.status().ToString();
  EXPECT_EQ(*clients, (std::vector<std::string>{"client-a", "client-b"}));
  // client-a's row expired; client-b kept the later expiry.
  EXPECT_EQ(*this->store_->ListSessionClients("sid-1", kNow + 60),
            std::vector<std::string>{"client-b"});
  auto swept = this->store_->SweepExpired(kNow + 60);
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(swept->session_clients, 1);
  EXPECT_TRUE(this->store_->ListSessionClients("sid-9", kNow)->empty());
}

TYPED_TEST(V2Test, ClientRevokesOnlyItsOwnRefreshToken) {
  ASSERT_TRUE(
      this->store_->CreateRefreshFamily(Family("f1", "client-a", "sid-1"), H("rt-1"), kNow + 3600)
          .ok());
  auto denied = this->store_->RevokeRefreshTokenOfClient(H("rt-1"), "client-b", kNow);
  EXPECT_EQ(denied.status().reason(), "wrong_client");
  EXPECT_TRUE(
      this->store_->RotateRefreshToken(H("rt-1"), H("rt-2"), kNow + 3600, kNow + 1, nullptr).ok());
  // The rotated (used) token still names its family: revoking it revokes the family.
  auto revoked = this->store_->RevokeRefreshTokenOfClient(H("rt-1"), "client-a", kNow + 2);
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(revoked->family_id, "f1");
  EXPECT_EQ(revoked->revoked_at, kNow + 2);
  EXPECT_EQ(this->store_->RotateRefreshToken(H("rt-2"), H("rt-3"), kNow + 3600, kNow + 3, nullptr)
                .status()
                .reason(),
            "revoked");
  EXPECT_TRUE(this->store_->RevokeRefreshTokenOfClient(H("rt-2"), "client-a", kNow + 4).ok());
  EXPECT_EQ(this->store_->RevokeRefreshTokenOfClient(H("nope"), "client-a", kNow).status().reason(),
            "not_found");
}

TYPED_TEST(V2Test, LogoutRevokesEveryFamilyOfTheSession) {
  ASSERT_TRUE(
      this->store_->CreateRefreshFamily(Family("f1", "client-a", "sid-1"), H("rt-1"), kNow + 3600)
          .ok());
  ASSERT_TRUE(
      this->store_->CreateRefreshFamily(Family("f2", "client-b", "sid-1"), H("rt-2"), kNow + 3600)
          .ok());
  ASSERT_TRUE(
      this->store_->CreateRefreshFamily(Family("f3", "client-a", "sid-2"), H("rt-3"), kNow + 3600)
          .ok());
  auto n = this->store_->RevokeSessionFamilies("sid-1", kNow);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(*this->store_->RevokeSessionFamilies("sid-1", kNow + 1), 0);
  EXPECT_EQ(this->store_->RotateRefreshToken(H("rt-1"), H("x1"), kNow + 3600, kNow + 2, nullptr)
                .status()
                .reason(),
            "revoked");
  EXPECT_TRUE(
      this->store_->RotateRefreshToken(H("rt-3"), H("x3"), kNow + 3600, kNow + 2, nullptr).ok());
}

TYPED_TEST(V2Test, RevokedAccessTokenIsRecordedUntilItsExpiry) {
  EXPECT_FALSE(*this->store_->IsRecorded(ReplayScope::kRevokedAccessToken, "jti-1", kNow));
  ASSERT_TRUE(
      this->store_->RecordOnce(ReplayScope::kRevokedAccessToken, "jti-1", kNow + 300, kNow).ok());
  EXPECT_TRUE(*this->store_->IsRecorded(ReplayScope::kRevokedAccessToken, "jti-1", kNow + 299));
  EXPECT_FALSE(*this->store_->IsRecorded(ReplayScope::kRevokedAccessToken, "jti-1", kNow + 300));
  EXPECT_FALSE(*this->store_->IsRecorded(ReplayScope::kDpopProof, "jti-1", kNow));
  EXPECT_EQ(this->store_->IsRecorded(static_cast<ReplayScope>(9), "j", kNow).status().reason(),
            "bad_value");
}

TYPED_TEST(V2Test, MigrationGivesExistingKeysTheDefaultOwner) {
  this->store_.reset();
  auto all = this->backend_.Migrations();
  ASSERT_GE(all.size(), 2u);
  // A version-1 database holding a key row written before owners existed.
  const std::string v1_with_row =
      std::string(all[0].sql) +
      ";\nINSERT INTO signing_keys (kid, algorithm, status, created_at, activates_at, retires_at,"
      " sealed_private_key, public_jwk) VALUES ('old', 'ES256', 2, 1, 1, 0, " +
      std::string(TypeParam::kKind == StoreKind::kSqlite ? "X'01'" : "'\\x01'") + ", '{}')";
  std::vector<internal::Migration> v1 = {{1, all[0].name, v1_with_row.c_str()}};
  this->backend_.Destroy();
  Status recreated = this->backend_.Create();
  ASSERT_TRUE(recreated.ok()) << recreated.ToString();
  ASSERT_TRUE(this->backend_.Open(v1).ok());
  auto upgraded = this->backend_.Open(all);
  ASSERT_TRUE(upgraded.ok()) << upgraded.status().ToString();
  auto keys = (*upgraded)->ListSigningKeys("accord");
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].kid, "old");
  EXPECT_EQ((*keys)[0].status, KeyStatus::kActive);
}

}  // namespace
}  // namespace accord::store::testing
