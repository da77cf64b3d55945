#include "crypto/signature.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <atomic>
#include <thread>
#include <vector>

#include "crypto/internal/ssl_ptr.h"
#include "crypto/internal/test_vectors.h"

namespace accord::crypto {
namespace {

using internal::SslPtr;
using testing::CachedRsaKey;
using testing::HexField;
using testing::LoadVectors;

const PrivateKey& KeyFor(SignatureAlgorithm alg) {
  static const PrivateKey p256 = PrivateKey::GenerateEc(Curve::kP256).value();
  static const PrivateKey p384 = PrivateKey::GenerateEc(Curve::kP384).value();
  static const PrivateKey p521 = PrivateKey::GenerateEc(Curve::kP521).value();
  static const PrivateKey ed25519 = PrivateKey::GenerateOkp(Curve::kEd25519).value();
  switch (alg) {
    case SignatureAlgorithm::kEs256:
      return p256;
    case SignatureAlgorithm::kEs384:
      return p384;
    case SignatureAlgorithm::kEs512:
      return p521;
    case SignatureAlgorithm::kEdDsa:
      return ed25519;
    default:
      return CachedRsaKey();
  }
}

const Bytes kMessage = ToBytes("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9");

class SignatureAlgTest : public ::testing::TestWithParam<SignatureAlgorithm> {};

TEST_P(SignatureAlgTest, SignThenVerifySucceeds) {
  const PrivateKey& key = KeyFor(GetParam());
  auto sig = Sign(key, GetParam(), kMessage);
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  EXPECT_TRUE(Verify(key.public_key(), GetParam(), kMessage, *sig).ok());
}

TEST_P(SignatureAlgTest, TamperedDataFailsWithBadSignature) {
  const PrivateKey& key = KeyFor(GetParam());
  const Bytes sig = Sign(key, GetParam(), kMessage).value();
  Bytes data = kMessage;
  data[3] ^= 0x01;
  const Status s = Verify(key.public_key(), GetParam(), data, sig);
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(s.reason(), "bad_signature");
}

TEST_P(SignatureAlgTest, TamperedSignatureFailsWithBadSignature) {
  const PrivateKey& key = KeyFor(GetParam());
  Bytes sig = Sign(key, GetParam(), kMessage).value();
  sig[sig.size() / 2] ^= 0x80;
  EXPECT_EQ(Verify(key.public_key(), GetParam(), kMessage, sig).reason(), "bad_signature");
}

TEST_P(SignatureAlgTest, WrongLengthSignatureFailsWithBadSignature) {
  const PrivateKey& key = KeyFor(GetParam());
  Bytes sig = Sign(key, GetParam(), kMessage).value();
  Bytes longer = sig;
  longer.push_back(0);
  sig.pop_back();
  EXPECT_EQ(Verify(key.public_key(), GetParam(), kMessage, sig).reason(), "bad_signature");
  EXPECT_EQ(Verify(key.public_key(), GetParam(), kMessage, longer).reason(), "bad_signature");
  EXPECT_EQ(Verify(key.public_key(), GetParam(), kMessage, Bytes{}).reason(), "bad_signature");
}

TEST_P(SignatureAlgTest, SignatureFromAnotherKeyFails) {
  const PrivateKey other = GetParam() == SignatureAlgorithm::kEdDsa
                               ? PrivateKey::GenerateOkp(Curve::kEd25519).value()
                           : KeyFor(GetParam()).type() == KeyType::kRsa
                               ? testing::CachedOtherRsaKey()
                               : PrivateKey::GenerateEc(KeyFor(GetParam()).curve()).value();
  const Bytes sig = Sign(other, GetParam(), kMessage).value();
  EXPECT_EQ(Verify(KeyFor(GetParam()).public_key(), GetParam(), kMessage, sig).reason(),
            "bad_signature");
}

TEST_P(SignatureAlgTest, JwaNameRoundTrips) {
  EXPECT_EQ(SignatureAlgorithmFromJwa(JwaName(GetParam())).value(), GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    AllAlgorithms, SignatureAlgTest,
    ::testing::Values(SignatureAlgorithm::kEs256, SignatureAlgorithm::kEs384,
                      SignatureAlgorithm::kEs512, SignatureAlgorithm::kPs256,
                      SignatureAlgorithm::kPs384, SignatureAlgorithm::kPs512,
                      SignatureAlgorithm::kRs256, SignatureAlgorithm::kEdDsa),
    [](const auto& info) { return std::string(JwaName(info.param)); });

TEST(SignatureTest, EcdsaSignatureHasFixedWidth) {
  EXPECT_EQ(Sign(KeyFor(SignatureAlgorithm::kEs256), SignatureAlgorithm::kEs256, kMessage)->size(), 64u);
  EXPECT_EQ(Sign(KeyFor(SignatureAlgorithm::kEs384), SignatureAlgorithm::kEs384, kMessage)->size(), 96u);
  EXPECT_EQ(Sign(KeyFor(SignatureAlgorithm::kEs512), SignatureAlgorithm::kEs512, kMessage)->size(), 132u);
}

// ECDSA contexts come from one prototype per key object (internal/key_ops.h), duplicated per
// operation: many threads signing and verifying with the same key objects and their copies at
// once each get a sound context, and each signature is fresh (a new nonce every time).
TEST(SignatureTest, EcdsaKeysAreSharedAcrossThreads) {
  const PrivateKey key = PrivateKey::GenerateEc(Curve::kP256).value();
  const PublicKey other = PrivateKey::GenerateEc(Curve::kP256).value().public_key();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const PrivateKey copy = key;  // shares the original's prototypes
      const PrivateKey& signer = t % 2 == 0 ? key : copy;
      Bytes previous;
      for (int i = 0; i < 50; ++i) {
        Bytes message(kMessage.begin(), kMessage.end());
        message.push_back(static_cast<uint8_t>(i));
        auto sig = Sign(signer, SignatureAlgorithm::kEs256, message);
        if (!sig.ok() || *sig == previous ||
            !Verify(key.public_key(), SignatureAlgorithm::kEs256, message, *sig).ok() ||
            Verify(other, SignatureAlgorithm::kEs256, message, *sig).reason() != "bad_signature") {
          ++failures;
        }
        if (sig.ok()) previous = *sig;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  // The same message signed twice gives two different signatures, both valid.
  Bytes a = Sign(key, SignatureAlgorithm::kEs256, kMessage).value();
  Bytes b = Sign(key, SignatureAlgorithm::kEs256, kMessage).value();
  EXPECT_NE(a, b);
  EXPECT_TRUE(Verify(key.public_key(), SignatureAlgorithm::kEs256, kMessage, a).ok());
  EXPECT_TRUE(Verify(key.public_key(), SignatureAlgorithm::kEs256, kMessage, b).ok());
}

TEST(SignatureTest, EcdsaZeroROrSIsRejected) {
  const PrivateKey& key = KeyFor(SignatureAlgorithm::kEs256);
  Bytes sig = Sign(key, SignatureAlgorithm::kEs256, kMessage).value();
  Bytes zero_r = sig;
  std::fill(zero_r.begin(), zero_r.begin() + 32, 0);
  EXPECT_EQ(Verify(key.public_key(), SignatureAlgorithm::kEs256, kMessage, zero_r).reason(),
            "bad_signature");
  Bytes zero_s = sig;
  std::fill(zero_s.begin() + 32, zero_s.end(), 0);
  EXPECT_EQ(Verify(key.public_key(), SignatureAlgorithm::kEs256, kMessage, zero_s).reason(),
            "bad_signature");
}

TEST(SignatureTest, EcdsaROrSAboveGroupOrderIsRejected) {
  // All-ones is larger than the P-256 group order.
  const PrivateKey& key = KeyFor(SignatureAlgorithm::kEs256);
  Bytes sig = Sign(key, SignatureAlgorithm::kEs256, kMessage).value();
  Bytes big_r = sig;
  std::fill(big_r.begin(), big_r.begin() + 32, 0xff);
  EXPECT_EQ(Verify(key.public_key(), SignatureAlgorithm::kEs256, kMessage, big_r).reason(),
            "bad_signature");
  Bytes big_s = sig;
  std::fill(big_s.begin() + 32, big_s.end(), 0xff);
  EXPECT_EQ(Verify(key.public_key(), SignatureAlgorithm::kEs256, kMessage, big_s).reason(),
            "bad_signature");
}

TEST(SignatureTest, Ed25519Rfc8032Test1) {
  const auto v = LoadVectors("ed25519.json");
  PrivateComponents c;
  c.pub = {KeyType::kOkp, Curve::kEd25519, HexField(v, "public"), {}, {}, {}};
  c.d = SecretBytes(HexField(v, "private"));
  auto key = PrivateKey::FromComponents(c);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  const Bytes message = HexField(v, "message");
  const Bytes expected = HexField(v, "signature");
  EXPECT_EQ(Sign(*key, SignatureAlgorithm::kEdDsa, message).value(), expected);
  auto pub = PublicKey::FromComponents(c.pub);
  ASSERT_TRUE(pub.ok());
  EXPECT_TRUE(Verify(*pub, SignatureAlgorithm::kEdDsa, message, expected).ok());
}

TEST(SignatureTest, PssSignatureWithOtherSaltLengthIsRejected) {
  // Made with raw EVP and a zero-length salt: valid PSS, but not PS256 as JWA defines it.
  const PrivateKey& key = CachedRsaKey();
  SslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  ASSERT_EQ(EVP_DigestSignInit_ex(ctx.get(), &pctx, "SHA2-256", nullptr, nullptr, key.evp(), nullptr), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 0), 1);
  Bytes sig(256);
  size_t len = sig.size();
  ASSERT_EQ(EVP_DigestSign(ctx.get(), sig.data(), &len, kMessage.data(), kMessage.size()), 1);
  sig.resize(len);
  EXPECT_EQ(Verify(key.public_key(), SignatureAlgorithm::kPs256, kMessage, sig).reason(),
            "bad_signature");
}

TEST(SignatureTest, Pkcs1SignatureDoesNotVerifyAsPss) {
  const PrivateKey& key = CachedRsaKey();
  const Bytes sig = Sign(key, SignatureAlgorithm::kRs256, kMessage).value();
  EXPECT_EQ(Verify(key.public_key(), SignatureAlgorithm::kPs256, kMessage, sig).reason(),
            "bad_signature");
}

TEST(SignatureTest, AlgorithmKeyMismatchIsPermissionDenied) {
  const PrivateKey& p384 = KeyFor(SignatureAlgorithm::kEs384);
  const PrivateKey x25519 = PrivateKey::GenerateOkp(Curve::kX25519).value();
  for (auto [key, alg] : {std::pair{&p384, SignatureAlgorithm::kEs256},
                          std::pair{&p384, SignatureAlgorithm::kRs256},
                          std::pair{&CachedRsaKey(), SignatureAlgorithm::kEs256},
                          std::pair{&CachedRsaKey(), SignatureAlgorithm::kEdDsa},
                          std::pair{&x25519, SignatureAlgorithm::kEdDsa}}) {
    auto signed_result = Sign(*key, alg, kMessage);
    EXPECT_EQ(signed_result.status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(signed_result.status().reason(), "alg_key_mismatch");
    EXPECT_EQ(Verify(key->public_key(), alg, kMessage, Bytes(64)).reason(), "alg_key_mismatch");
  }
}

TEST(SignatureTest, CheckKeyForAlgorithmRules) {
  EXPECT_TRUE(CheckKeyForAlgorithm(KeyType::kEc, Curve::kP521, SignatureAlgorithm::kEs512).ok());
  EXPECT_FALSE(CheckKeyForAlgorithm(KeyType::kEc, Curve::kP256, SignatureAlgorithm::kEs512).ok());
  EXPECT_TRUE(CheckKeyForAlgorithm(KeyType::kRsa, Curve::kNone, SignatureAlgorithm::kPs384).ok());
  EXPECT_TRUE(CheckKeyForAlgorithm(KeyType::kOkp, Curve::kEd25519, SignatureAlgorithm::kEdDsa).ok());
  EXPECT_FALSE(CheckKeyForAlgorithm(KeyType::kOkp, Curve::kX25519, SignatureAlgorithm::kEdDsa).ok());
}

TEST(SignatureTest, UnknownAlgorithmNamesAreUnsupported) {
  for (const char* name : {"none", "HS256", "RS384", "es256", "ES256K", ""}) {
    auto alg = SignatureAlgorithmFromJwa(name);
    EXPECT_EQ(alg.status().code(), StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(alg.status().reason(), "unsupported_alg") << name;
  }
}

}  // namespace
}  // namespace accord::crypto
