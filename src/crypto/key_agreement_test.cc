#include "crypto/key_agreement.h"

#include <gtest/gtest.h>

#include "crypto/internal/test_vectors.h"

namespace accord::crypto {
namespace {

using testing::HexField;
using testing::LoadVectors;

Bytes ToVec(BytesView v) { return Bytes(v.begin(), v.end()); }

PrivateKey X25519Private(const boost::json::object& v, const char* priv, const char* pub) {
  PrivateComponents c;
  c.pub = {KeyType::kOkp, Curve::kX25519, HexField(v, pub), {}, {}, {}};
  c.d = SecretBytes(HexField(v, priv));
  return PrivateKey::FromComponents(c).value();
}

PublicKey X25519Public(Bytes x) {
  return PublicKey::FromComponents({KeyType::kOkp, Curve::kX25519, std::move(x), {}, {}, {}}).value();
}

TEST(EcdhTest, X25519Rfc7748Section61) {
  const auto v = LoadVectors("x25519.json");
  const PrivateKey alice = X25519Private(v, "alice_private", "alice_public");
  const PrivateKey bob = X25519Private(v, "bob_private", "bob_public");
  const Bytes shared = HexField(v, "shared");
  EXPECT_EQ(ToVec(Ecdh(alice, X25519Public(HexField(v, "bob_public"))).value().view()), shared);
  EXPECT_EQ(ToVec(Ecdh(bob, alice.public_key()).value().view()), shared);
}

TEST(EcdhTest, X25519LowOrderPointIsRejected) {
  const PrivateKey mine = PrivateKey::GenerateOkp(Curve::kX25519).value();
  Bytes zero(32, 0);
  Bytes one(32, 0);
  one[0] = 1;
  for (const Bytes& point : {zero, one}) {
    auto shared = Ecdh(mine, X25519Public(point));
    EXPECT_EQ(shared.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(shared.status().reason(), "invalid_key");
  }
}

TEST(EcdhTest, Rfc7518AppendixCSharedSecretAndDerivedKey) {
  const auto v = LoadVectors("ecdh_es_p256.json");
  const auto& bob = v.at("bob").as_object();
  const auto& alice = v.at("alice_ephemeral").as_object();
  PrivateComponents alice_priv;
  alice_priv.pub = {KeyType::kEc, Curve::kP256, HexField(alice, "x"), HexField(alice, "y"), {}, {}};
  alice_priv.d = SecretBytes(HexField(alice, "d"));
  const PrivateKey alice_key = PrivateKey::FromComponents(alice_priv).value();
  PrivateComponents bob_priv;
  bob_priv.pub = {KeyType::kEc, Curve::kP256, HexField(bob, "x"), HexField(bob, "y"), {}, {}};
  bob_priv.d = SecretBytes(HexField(bob, "d"));
  const PrivateKey bob_key = PrivateKey::FromComponents(bob_priv).value();

  const Bytes z = HexField(v, "z");
  auto sender = Ecdh(alice_key, bob_key.public_key());
  ASSERT_TRUE(sender.ok()) << sender.status().ToString();
  EXPECT_EQ(ToVec(sender->view()), z);
  EXPECT_EQ(ToVec(Ecdh(bob_key, alice_key.public_key()).value().view()), z);

  auto derived = ConcatKdfSha256(z, v.at("key_length").to_number<size_t>(), HexField(v, "other_info"));
  ASSERT_TRUE(derived.ok());
  EXPECT_EQ(ToVec(derived->view()), HexField(v, "derived_key"));
}

TEST(EcdhTest, BothSidesAgreeOnEveryCurve) {
  for (Curve curve : {Curve::kP256, Curve::kP384, Curve::kP521, Curve::kX25519}) {
    const PrivateKey a = curve == Curve::kX25519 ? PrivateKey::GenerateOkp(curve).value()
                                                 : PrivateKey::GenerateEc(curve).value();
    const PrivateKey b = curve == Curve::kX25519 ? PrivateKey::GenerateOkp(curve).value()
                                                 : PrivateKey::GenerateEc(curve).value();
    auto ab = Ecdh(a, b.public_key());
    auto ba = Ecdh(b, a.public_key());
    ASSERT_TRUE(ab.ok() && ba.ok()) << CurveName(curve);
    EXPECT_EQ(ab->size(), CurveFieldSize(curve));
    EXPECT_EQ(ToVec(ab->view()), ToVec(ba->view()));
  }
}

TEST(EcdhTest, DifferentCurvesAreRejected) {
  const PrivateKey p256 = PrivateKey::GenerateEc(Curve::kP256).value();
  const PrivateKey p384 = PrivateKey::GenerateEc(Curve::kP384).value();
  const PrivateKey x25519 = PrivateKey::GenerateOkp(Curve::kX25519).value();
  const PrivateKey ed25519 = PrivateKey::GenerateOkp(Curve::kEd25519).value();
  EXPECT_EQ(Ecdh(p256, p384.public_key()).status().reason(), "curve_mismatch");
  EXPECT_EQ(Ecdh(x25519, ed25519.public_key()).status().reason(), "curve_mismatch");
  EXPECT_EQ(Ecdh(x25519, p256.public_key()).status().reason(), "curve_mismatch");
}

TEST(EcdhTest, SigningOnlyKeysAreRejected) {
  const PrivateKey ed25519 = PrivateKey::GenerateOkp(Curve::kEd25519).value();
  EXPECT_EQ(Ecdh(ed25519, ed25519.public_key()).status().reason(), "unsupported_key");
  EXPECT_EQ(Ecdh(testing::CachedRsaKey(), testing::CachedRsaKey().public_key()).status().reason(),
            "unsupported_key");
}

TEST(ConcatKdfTest, LongerOutputExtendsShorterOutput) {
  const Bytes z(32, 7);
  const Bytes info = ToBytes("info");
  const SecretBytes k32 = ConcatKdfSha256(z, 32, info).value();
  const SecretBytes k80 = ConcatKdfSha256(z, 80, info).value();
  EXPECT_EQ(k80.size(), 80u);
  EXPECT_EQ(ToVec(k80.view().first(32)), ToVec(k32.view()));
  EXPECT_NE(ToVec(k80.view().subspan(32, 32)), ToVec(k32.view()));
}

TEST(ConcatKdfTest, OutputLengthIsBounded) {
  const Bytes z(32, 7);
  EXPECT_EQ(ConcatKdfSha256(z, 0, {}).status().reason(), "too_large");
  EXPECT_EQ(ConcatKdfSha256(z, 64 * 32 + 1, {}).status().reason(), "too_large");
  EXPECT_TRUE(ConcatKdfSha256(z, 64 * 32, {}).ok());
}

}  // namespace
}  // namespace accord::crypto
