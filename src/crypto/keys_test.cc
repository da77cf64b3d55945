#include "crypto/keys.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "common/base64url.h"
#include "crypto/internal/key_util.h"
#include "crypto/internal/ssl_ptr.h"
#include "crypto/internal/test_vectors.h"

namespace accord::crypto {
namespace {

using internal::SslPtr;
using testing::CachedOtherRsaKey;
using testing::CachedRsaKey;
using testing::HexField;
using testing::LoadVectors;

PrivateKey Generate(Curve curve) {
  if (curve == Curve::kEd25519 || curve == Curve::kX25519) return PrivateKey::GenerateOkp(curve).value();
  return PrivateKey::GenerateEc(curve).value();
}

// A key pair made with OpenSSL directly, for inputs keys.h itself refuses to create.
SslPtr<EVP_PKEY> RawKeygen(const char* type, const char* group, int rsa_bits) {
  SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* out = nullptr;
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1) return nullptr;
  if (group != nullptr) EVP_PKEY_CTX_set_group_name(ctx.get(), group);
  if (rsa_bits != 0) EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), rsa_bits);
  if (EVP_PKEY_generate(ctx.get(), &out) != 1) return nullptr;
  return SslPtr<EVP_PKEY>(out);
}

class CurveKeyTest : public ::testing::TestWithParam<Curve> {};

TEST_P(CurveKeyTest, PrivateComponentsRoundTrip) {
  const PrivateKey key = Generate(GetParam());
  const PrivateComponents c = key.ExportPrivateComponents();
  EXPECT_EQ(c.d.size(), CurveFieldSize(GetParam()));
  auto back = PrivateKey::FromComponents(c);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->public_key().Equals(key.public_key()));
  EXPECT_EQ(back->curve(), GetParam());
}

TEST_P(CurveKeyTest, PublicComponentsRoundTrip) {
  const PrivateKey key = Generate(GetParam());
  const PublicComponents c = key.public_key().Components();
  EXPECT_EQ(c.x.size(), CurveFieldSize(GetParam()));
  auto back = PublicKey::FromComponents(c);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->Equals(key.public_key()));
}

TEST_P(CurveKeyTest, PemRoundTrip) {
  const PrivateKey key = Generate(GetParam());
  const SecretBytes pem = key.ExportPkcs8Pem();
  EXPECT_EQ(AsStringView(pem.view()).substr(0, 27), "-----BEGIN PRIVATE KEY-----");
  auto priv = PrivateKey::FromPem(AsStringView(pem.view()));
  ASSERT_TRUE(priv.ok()) << priv.status().ToString();
  EXPECT_TRUE(priv->public_key().Equals(key.public_key()));
  auto pub = PublicKey::FromPem(key.public_key().ToPem());
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_TRUE(pub->Equals(key.public_key()));
}

TEST_P(CurveKeyTest, PrivateKeyNotMatchingPublicIsRejected) {
  PrivateComponents a = Generate(GetParam()).ExportPrivateComponents();
  PrivateComponents b = Generate(GetParam()).ExportPrivateComponents();
  a.d = std::move(b.d);
  auto key = PrivateKey::FromComponents(a);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().reason(), "invalid_key");
}

INSTANTIATE_TEST_SUITE_P(AllCurves, CurveKeyTest,
                         ::testing::Values(Curve::kP256, Curve::kP384, Curve::kP521,
                                           Curve::kEd25519, Curve::kX25519));

TEST(KeysTest, CurveNamesRoundTrip) {
  for (Curve c : {Curve::kP256, Curve::kP384, Curve::kP521, Curve::kEd25519, Curve::kX25519}) {
    EXPECT_EQ(CurveFromName(CurveName(c)).value(), c);
  }
  EXPECT_EQ(CurveFromName("P-257").status().reason(), "unsupported_key");
  EXPECT_EQ(CurveFieldSize(Curve::kP521), 66u);
}

TEST(KeysTest, BitsReportModulusAndOrderSize) {
  EXPECT_EQ(CachedRsaKey().bits(), 2048);
  EXPECT_EQ(CachedRsaKey().public_key().bits(), 2048);
  EXPECT_EQ(Generate(Curve::kP256).bits(), 256);
  EXPECT_EQ(Generate(Curve::kP521).public_key().bits(), 521);
}

TEST(KeysTest, RsaPrivateComponentsRoundTrip) {
  const PrivateComponents c = CachedRsaKey().ExportPrivateComponents();
  EXPECT_EQ(c.pub.n.size(), 256u);
  EXPECT_EQ(c.pub.e, (Bytes{0x01, 0x00, 0x01}));
  EXPECT_FALSE(c.qi.empty());
  auto back = PrivateKey::FromComponents(c);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->public_key().Equals(CachedRsaKey().public_key()));
  auto pub = PublicKey::FromComponents(c.pub);
  ASSERT_TRUE(pub.ok());
  EXPECT_TRUE(pub->Equals(CachedRsaKey().public_key()));
}

TEST(KeysTest, RsaPemRoundTrip) {
  const SecretBytes pem = CachedRsaKey().ExportPkcs8Pem();
  auto priv = PrivateKey::FromPem(AsStringView(pem.view()));
  ASSERT_TRUE(priv.ok()) << priv.status().ToString();
  EXPECT_TRUE(priv->public_key().Equals(CachedRsaKey().public_key()));
  auto pub = PublicKey::FromPem(CachedRsaKey().public_key().ToPem());
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->type(), KeyType::kRsa);
}

TEST(KeysTest, RsaPrivateExponentFromAnotherKeyIsRejected) {
  PrivateComponents a = CachedRsaKey().ExportPrivateComponents();
  PrivateComponents b = CachedOtherRsaKey().ExportPrivateComponents();
  a.d = std::move(b.d);
  EXPECT_EQ(PrivateKey::FromComponents(a).status().reason(), "invalid_key");
}

TEST(KeysTest, RsaPrivateWithoutCrtParametersIsRejected) {
  PrivateComponents c = CachedRsaKey().ExportPrivateComponents();
  c.qi = SecretBytes();
  EXPECT_EQ(PrivateKey::FromComponents(c).status().reason(), "unsupported_key");
}

TEST(KeysTest, Rsa1024IsRejectedEverywhere) {
  EXPECT_EQ(PrivateKey::GenerateRsa(1024).status().reason(), "weak_key");
  SslPtr<EVP_PKEY> weak = RawKeygen("RSA", nullptr, 1024);
  ASSERT_NE(weak, nullptr);
  PublicComponents c{KeyType::kRsa, Curve::kNone, {}, {}, {}, {}};
  ASSERT_TRUE(internal::GetBnParam(weak.get(), OSSL_PKEY_PARAM_RSA_N, 0, &c.n));
  ASSERT_TRUE(internal::GetBnParam(weak.get(), OSSL_PKEY_PARAM_RSA_E, 0, &c.e));
  EXPECT_EQ(PublicKey::FromComponents(c).status().reason(), "weak_key");

  SslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  ASSERT_EQ(PEM_write_bio_PUBKEY(bio.get(), weak.get()), 1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  EXPECT_EQ(PublicKey::FromPem(std::string_view(data, static_cast<size_t>(len))).status().reason(),
            "weak_key");
}

TEST(KeysTest, RsaEvenOrUnitExponentIsRejected) {
  PublicComponents c = CachedRsaKey().public_key().Components();
  c.e = {0x01, 0x00, 0x00};
  EXPECT_EQ(PublicKey::FromComponents(c).status().reason(), "invalid_key");
  c.e = {0x01};
  EXPECT_FALSE(PublicKey::FromComponents(c).ok());
}

TEST(KeysTest, EcPointWithModifiedYIsRejected) {
  PublicComponents c = Generate(Curve::kP256).public_key().Components();
  c.y.back() ^= 0x01;
  auto key = PublicKey::FromComponents(c);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().reason(), "invalid_key");
}

TEST(KeysTest, EcPointFromAnotherCurveIsRejected) {
  // A valid secp256k1 point has P-256-sized coordinates but is not on P-256 (invalid-curve attack).
  SslPtr<EVP_PKEY> other = RawKeygen("EC", "secp256k1", 0);
  ASSERT_NE(other, nullptr);
  PublicComponents c{KeyType::kEc, Curve::kP256, {}, {}, {}, {}};
  ASSERT_TRUE(internal::GetBnParam(other.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32, &c.x));
  ASSERT_TRUE(internal::GetBnParam(other.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32, &c.y));
  EXPECT_EQ(PublicKey::FromComponents(c).status().reason(), "invalid_key");
}

TEST(KeysTest, EcKeyOnUnsupportedCurveFromPemIsRejected) {
  SslPtr<EVP_PKEY> other = RawKeygen("EC", "secp256k1", 0);
  ASSERT_NE(other, nullptr);
  SslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  ASSERT_EQ(PEM_write_bio_PUBKEY(bio.get(), other.get()), 1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  EXPECT_EQ(PublicKey::FromPem(std::string_view(data, static_cast<size_t>(len))).status().reason(),
            "unsupported_key");
}

TEST(KeysTest, EcCoordinatesOfWrongLengthAreRejected) {
  PublicComponents c = Generate(Curve::kP384).public_key().Components();
  c.x.insert(c.x.begin(), 0);
  EXPECT_EQ(PublicKey::FromComponents(c).status().reason(), "invalid_key");
  PublicComponents okp = Generate(Curve::kEd25519).public_key().Components();
  okp.x.pop_back();
  EXPECT_EQ(PublicKey::FromComponents(okp).status().reason(), "invalid_key");
}

TEST(KeysTest, PemWithWrongLabelIsRejected) {
  const PrivateKey key = Generate(Curve::kP256);
  EXPECT_EQ(PrivateKey::FromPem(key.public_key().ToPem()).status().reason(), "bad_pem");
  const SecretBytes pem = key.ExportPkcs8Pem();
  EXPECT_EQ(PublicKey::FromPem(AsStringView(pem.view())).status().reason(), "bad_pem");
  EXPECT_EQ(PrivateKey::FromPem("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----")
                .status()
                .reason(),
            "bad_pem");
}

TEST(KeysTest, MalformedPemBodyIsRejected) {
  EXPECT_EQ(PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
                .status()
                .reason(),
            "bad_pem");
}

TEST(KeysTest, OversizedPemIsRejected) {
  const std::string pem = "-----BEGIN PUBLIC KEY-----\n" + std::string(70000, 'A') +
                          "\n-----END PUBLIC KEY-----\n";
  EXPECT_EQ(PublicKey::FromPem(pem).status().reason(), "too_large");
}

TEST(KeysTest, Rfc7518AppendixCKeysImport) {
  const auto v = LoadVectors("ecdh_es_p256.json");
  const auto& bob = v.at("bob").as_object();
  PrivateComponents c;
  c.pub = {KeyType::kEc, Curve::kP256, HexField(bob, "x"), HexField(bob, "y"), {}, {}};
  c.d = SecretBytes(HexField(bob, "d"));
  auto key = PrivateKey::FromComponents(c);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->public_key().Components().x, c.pub.x);
}

TEST(KeysTest, DifferentKeysAreNotEqual) {
  EXPECT_FALSE(Generate(Curve::kP256).public_key().Equals(Generate(Curve::kP256).public_key()));
  EXPECT_FALSE(Generate(Curve::kP256).public_key().Equals(CachedRsaKey().public_key()));
}

}  // namespace
}  // namespace accord::crypto
