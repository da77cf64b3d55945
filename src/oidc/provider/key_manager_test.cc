#include "oidc/provider/key_manager.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "crypto/random.h"
#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

class KeyManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::StoreConfig sc;
    sc.sqlite_path = dir_.File("k.db");
    auto s = store::OpenStore(sc);
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    auto km = KeyManager::Create(*store_, kek_.Clone(), clock_);
    ASSERT_TRUE(km.ok());
    keys_ = std::move(*km);
  }
  void TearDown() override {
    keys_.reset();
    store_.reset();
  }
  FixedClock clock_{testing::kNow};
  crypto::SecretBytes kek_ = crypto::RandomSecret(32);
  ::accord::testing::TempDir dir_{"accord-oidc-"};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<KeyManager> keys_;
};

TEST_F(KeyManagerTest, FirstStartCreatesActiveAndNext) {
  ASSERT_TRUE(keys_->EnsureKeys().ok());
  auto list = keys_->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  int active = 0, next = 0;
  for (const auto& k : *list) {
    active += k.status == store::KeyStatus::kActive;
    next += k.status == store::KeyStatus::kNext;
  }
  EXPECT_EQ(active, 1);
  EXPECT_EQ(next, 1);
  auto snap = keys_->Current();
  ASSERT_NE(snap, nullptr);
  EXPECT_EQ(snap->public_jwks.size(), 2u);  // next is published before it signs
}

TEST_F(KeyManagerTest, EnsureKeysIsIdempotent) {
  ASSERT_TRUE(keys_->EnsureKeys().ok());
  ASSERT_TRUE(keys_->EnsureKeys().ok());
  EXPECT_EQ(keys_->List()->size(), 2u);
}

TEST_F(KeyManagerTest, RotatePromotesNextAndRetiresActive) {
  ASSERT_TRUE(keys_->EnsureKeys().ok());
  auto before = *keys_->List();
  std::string old_active, old_next;
  for (const auto& k : before) {
    if (k.status == store::KeyStatus::kActive) old_active = k.kid;
    if (k.status == store::KeyStatus::kNext) old_next = k.kid;
  }
  clock_.AdvanceSeconds(10);
  ASSERT_TRUE(keys_->Rotate().ok());
  auto after = *keys_->List();
  ASSERT_EQ(after.size(), 3u);
  for (const auto& k : after) {
    if (k.kid == old_active) {
      EXPECT_EQ(k.status, store::KeyStatus::kRetired);
    }
    if (k.kid == old_next) {
      EXPECT_EQ(k.status, store::KeyStatus::kActive);
    }
  }
  auto snap = keys_->Current();
  EXPECT_EQ(snap->id_token_signer->jws_signer().kid(), old_next);
  EXPECT_EQ(snap->public_jwks.size(), 3u);  // retired still published
  clock_.AdvanceSeconds(kRetiredPublishSeconds + 1);
  ASSERT_TRUE(keys_->Reload().ok());
  EXPECT_EQ(keys_->Current()->public_jwks.size(), 2u);
}

TEST_F(KeyManagerTest, StoredKeyIsSealedAndBoundToKid) {
  ASSERT_TRUE(keys_->EnsureKeys().ok());
  auto stored = *store_->ListSigningKeys();
  const auto& k = stored[0];
  std::string sealed_text(AsStringView(k.sealed_private_key));
  EXPECT_EQ(sealed_text.find("PRIVATE KEY"), std::string::npos);
  EXPECT_TRUE(OpenPrivateKey(kek_.view(), k.kid, k.sealed_private_key).ok());
  EXPECT_EQ(OpenPrivateKey(kek_.view(), "other-kid", k.sealed_private_key).status().reason(),
            "bad_kek");
  auto wrong = crypto::RandomSecret(32);
  EXPECT_FALSE(OpenPrivateKey(wrong.view(), k.kid, k.sealed_private_key).ok());
}

TEST_F(KeyManagerTest, WrongKekFailsToLoad) {
  ASSERT_TRUE(keys_->EnsureKeys().ok());
  auto other = KeyManager::Create(*store_, crypto::RandomSecret(32), clock_);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE((*other)->Reload().ok());
}

TEST_F(KeyManagerTest, JwksHasNoPrivateMembers) {
  ASSERT_TRUE(keys_->EnsureKeys().ok());
  std::string jwks = keys_->Current()->jwks_json;
  EXPECT_EQ(jwks.find("\"d\""), std::string::npos);
  EXPECT_TRUE(jose::Jwks::ParsePublic(jwks).ok());
}


TEST_F(KeyManagerTest, Ps256KeysLiveBesideEs256Keys) {
  auto km = KeyManager::Create(*store_, kek_.Clone(), clock_, "accord",
                               {crypto::SignatureAlgorithm::kPs256});
  ASSERT_TRUE(km.ok());
  ASSERT_TRUE((*km)->EnsureKeys().ok());
  auto list = *(*km)->List();
  ASSERT_EQ(list.size(), 4u);  // active + next for ES256 and PS256
  int ps_active = 0;
  for (const auto& k : list) {
    ps_active += k.algorithm == "PS256" && k.status == store::KeyStatus::kActive;
  }
  EXPECT_EQ(ps_active, 1);
  auto snap = (*km)->Current();
  ASSERT_NE(snap->IdTokenSigner(crypto::SignatureAlgorithm::kPs256), nullptr);
  ASSERT_NE(snap->IdTokenSigner(crypto::SignatureAlgorithm::kEs256), nullptr);
  ASSERT_NE(snap->LogoutTokenSigner(crypto::SignatureAlgorithm::kPs256), nullptr);
  EXPECT_EQ(snap->IdTokenSigner(crypto::SignatureAlgorithm::kRs256), nullptr);
  EXPECT_EQ(snap->IdTokenSigner(crypto::SignatureAlgorithm::kPs256)->jws_signer().alg(),
            crypto::SignatureAlgorithm::kPs256);
  EXPECT_EQ(snap->public_jwks.size(), 4u);
  EXPECT_EQ((*km)->algorithms().size(), 2u);
}

TEST_F(KeyManagerTest, RotatingOneAlgorithmLeavesTheOtherAlone) {
  auto km = KeyManager::Create(*store_, kek_.Clone(), clock_, "accord",
                               {crypto::SignatureAlgorithm::kPs256});
  ASSERT_TRUE(km.ok());
  ASSERT_TRUE((*km)->EnsureKeys().ok());
  auto before = (*km)->Current();
  std::string es = before->IdTokenSigner(crypto::SignatureAlgorithm::kEs256)->jws_signer().kid();
  std::string ps = before->IdTokenSigner(crypto::SignatureAlgorithm::kPs256)->jws_signer().kid();
  ASSERT_TRUE((*km)->Rotate(crypto::SignatureAlgorithm::kPs256).ok());
  auto after = (*km)->Current();
  EXPECT_EQ(after->IdTokenSigner(crypto::SignatureAlgorithm::kEs256)->jws_signer().kid(), es);
  EXPECT_NE(after->IdTokenSigner(crypto::SignatureAlgorithm::kPs256)->jws_signer().kid(), ps);
  EXPECT_EQ(after->public_jwks.size(), 5u);  // the retired PS256 key stays published
  ASSERT_TRUE((*km)->Rotate().ok());           // every algorithm
  EXPECT_NE((*km)->Current()->IdTokenSigner(crypto::SignatureAlgorithm::kEs256)->jws_signer().kid(),
            es);
}

TEST_F(KeyManagerTest, RotatingAnAlgorithmNotInUseFails) {
  ASSERT_TRUE(keys_->EnsureKeys().ok());
  EXPECT_EQ(keys_->Rotate(crypto::SignatureAlgorithm::kPs256).reason(), "bad_alg");
}

TEST_F(KeyManagerTest, OnlyEs256AndPs256KeysAreManaged) {
  EXPECT_EQ(KeyManager::Create(*store_, kek_.Clone(), clock_, "accord",
                               {crypto::SignatureAlgorithm::kRs256})
                .status()
                .reason(),
            "bad_alg");
  EXPECT_EQ(KeyManager::Create(*store_, kek_.Clone(), clock_, "").status().reason(), "bad_owner");
}

TEST_F(KeyManagerTest, OwnersKeepSeparateKeys) {
  auto uk = KeyManager::Create(*store_, kek_.Clone(), clock_, "sandbox-uk");
  ASSERT_TRUE(uk.ok());
  ASSERT_TRUE(keys_->EnsureKeys().ok());
  ASSERT_TRUE((*uk)->EnsureKeys().ok());
  EXPECT_EQ(keys_->List()->size(), 2u);
  EXPECT_EQ((*uk)->List()->size(), 2u);
  std::string accord_kid = keys_->Current()->id_token_signer->jws_signer().kid();
  // Rotating one provider's keys never retires another's.
  ASSERT_TRUE((*uk)->Rotate().ok());
  ASSERT_TRUE(keys_->Reload().ok());
  EXPECT_EQ(keys_->Current()->id_token_signer->jws_signer().kid(), accord_kid);
  EXPECT_EQ(keys_->Current()->public_jwks.size(), 2u);
  EXPECT_EQ((*uk)->Current()->public_jwks.size(), 3u);
}

}  // namespace
}  // namespace accord::oidc
