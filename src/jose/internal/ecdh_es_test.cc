#include "jose/internal/ecdh_es.h"

#include <gtest/gtest.h>

#include "common/base64url.h"
#include "crypto/key_agreement.h"
#include "jose/test_util.h"

namespace accord::jose::internal {
namespace {

using jose::testing::LoadVector;
using jose::testing::ParseJwkOrDie;
using jose::testing::Str;

TEST(EcdhEsTest, Rfc7518AppendixC) {
  auto v = LoadVector("rfc7518_appendix_c.json");
  Jwk recipient = ParseJwkOrDie(v["recipient"]);
  Jwk ephemeral = ParseJwkOrDie(v["ephemeral"]);
  Bytes apu = *Base64UrlDecode(Str(v["apu"]));
  Bytes apv = *Base64UrlDecode(Str(v["apv"]));

  EXPECT_EQ(HexEncode(BuildOtherInfo(Str(v["enc"]), apu, apv, 16)), Str(v["other_info_hex"]));
  auto z = crypto::Ecdh(*ephemeral.private_key(), recipient.public_key());
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(HexEncode(z->view()), Str(v["z_hex"]));

  // Sender side (ephemeral private, recipient public) and recipient side agree.
  auto sender = DeriveEcdhEsKey(*ephemeral.private_key(), recipient.public_key(), Str(v["enc"]),
                                apu, apv, 16);
  ASSERT_TRUE(sender.ok());
  EXPECT_EQ(Base64UrlEncode(sender->view()), Str(v["derived_key"]));
  auto receiver = DeriveEcdhEsKey(*recipient.private_key(), ephemeral.public_key(), Str(v["enc"]),
                                  apu, apv, 16);
  ASSERT_TRUE(receiver.ok());
  EXPECT_EQ(Base64UrlEncode(receiver->view()), Str(v["derived_key"]));
}

TEST(EcdhEsTest, Rfc8037A6X25519SharedSecret) {
  auto v = LoadVector("rfc8037.json");
  Jwk ephemeral = ParseJwkOrDie(v["x25519_ephemeral_private"]);  // x checked against d on parse
  Jwk recipient = ParseJwkOrDie(v["x25519_recipient_private"]);
  auto z = crypto::Ecdh(*ephemeral.private_key(), recipient.public_key());
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(HexEncode(z->view()), Str(v["x25519_z_hex"]));
  auto z2 = crypto::Ecdh(*recipient.private_key(), ephemeral.public_key());
  ASSERT_TRUE(z2.ok());
  EXPECT_EQ(HexEncode(z2->view()), Str(v["x25519_z_hex"]));
}

TEST(EcdhEsTest, CurveMismatchFails) {
  Jwk a = jose::testing::EcKey(crypto::Curve::kP256);
  Jwk b = jose::testing::EcKey(crypto::Curve::kP384);
  EXPECT_FALSE(DeriveEcdhEsKey(*a.private_key(), b.public_key(), "A128GCM", {}, {}, 16).ok());
}

}  // namespace
}  // namespace accord::jose::internal
