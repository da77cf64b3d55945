#include "jose/jwk.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "common/json.h"
#include "jose/test_util.h"

namespace accord::jose {
namespace {

using testing::LoadVector;
using testing::ParseJwkOrDie;
using testing::Str;

TEST(JwkTest, Rfc7638ThumbprintOfRsaKey) {
  auto v = LoadVector("rfc7638.json");
  auto jwk = Jwk::Parse(boost::json::serialize(v["key"]));
  ASSERT_TRUE(jwk.ok()) << jwk.status().ToString();
  EXPECT_EQ(jwk->Thumbprint(), Str(v["thumbprint"]));
  EXPECT_EQ(jwk->ThumbprintUri(), Str(v["thumbprint_uri"]));
  EXPECT_EQ(jwk->kid(), "2011-04-29");
  EXPECT_EQ(jwk->alg(), "RS256");
  EXPECT_FALSE(jwk->has_private_key());
}

TEST(JwkTest, Rfc8037Ed25519PrivateKeyAndThumbprint) {
  auto v = LoadVector("rfc8037.json");
  Jwk priv = ParseJwkOrDie(v["ed25519_private"]);
  Jwk pub = ParseJwkOrDie(v["ed25519_public"]);
  EXPECT_TRUE(priv.has_private_key());
  EXPECT_EQ(priv.curve(), crypto::Curve::kEd25519);
  // A.2: the public key derived from d is the published x.
  EXPECT_TRUE(priv.public_key().Equals(pub.public_key()));
  EXPECT_EQ(pub.Thumbprint(), Str(v["thumbprint"]));
  EXPECT_EQ(priv.Thumbprint(), Str(v["thumbprint"]));
}

TEST(JwkTest, X25519KeyParses) {
  auto v = LoadVector("rfc8037.json");
  Jwk k = ParseJwkOrDie(v["x25519_recipient_private"]);
  EXPECT_EQ(k.kty(), "OKP");
  EXPECT_EQ(k.curve(), crypto::Curve::kX25519);
  EXPECT_EQ(k.kid(), "Bob");
}

TEST(JwkTest, OctKeyIsUnsupportedKty) {
  auto r = Jwk::Parse(R"({"kty":"oct","k":"hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "unsupported_kty");
}

TEST(JwkTest, UnknownKtyIsUnsupportedKty) {
  auto r = Jwk::Parse(R"({"kty":"PQC","x":"AAAA"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "unsupported_kty");
}

TEST(JwkTest, MissingKtyIsMalformed) {
  auto r = Jwk::Parse(R"({"crv":"P-256","x":"AAAA","y":"AAAA"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "malformed_jwk");
}

TEST(JwkTest, UnsupportedCurveIsRejected) {
  auto r = Jwk::Parse(R"({"kty":"EC","crv":"secp256k1","x":"AAAA","y":"AAAA"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "unsupported_crv");
}

TEST(JwkTest, OffCurvePointIsInvalidKey) {
  // RFC 7515 A.3 x with a different y: not on P-256.
  auto r = Jwk::Parse(
      R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
      R"("y":"y_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "invalid_key");
}

TEST(JwkTest, PaddedBase64IsRejected) {
  auto r = Jwk::Parse(
      R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo="})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "bad_base64url");
}

TEST(JwkTest, DuplicateMemberIsRejected) {
  auto r = Jwk::Parse(
      R"({"kty":"OKP","kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "duplicate_key");
}

// Found by jwk_fuzzer: an RSA JWK with 'dq' but no 'd' parsed as a public key through Parse()
// while ParsePublic() rejected it. A half-private key is malformed for both.
TEST(JwkTest, PrivateMemberWithoutDIsMalformed) {
  auto v = LoadVector("rfc8037.json");
  boost::json::object pub = v["ed25519_private"].as_object();
  pub.erase("d");
  ASSERT_TRUE(Jwk::Parse(boost::json::serialize(pub)).ok());
  for (const char* member : {"p", "q", "dp", "dq", "qi", "oth", "k"}) {
    boost::json::object half = pub;
    half[member] = "AQAB";
    auto r = Jwk::Parse(boost::json::serialize(half));
    ASSERT_FALSE(r.ok()) << member;
    EXPECT_EQ(r.status().reason(), "malformed_jwk") << member;
  }
}

TEST(JwkTest, ParsePublicRejectsPrivateMembers) {
  auto v = LoadVector("rfc8037.json");
  auto r = Jwk::ParsePublic(boost::json::serialize(v["ed25519_private"]));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "unexpected_private_key");
}

TEST(JwkTest, PublicJsonNeverContainsPrivateMembers) {
  auto v = LoadVector("rfc7520_jws.json");
  Jwk rsa = ParseJwkOrDie(v["vectors"].as_array()[0].as_object().at("key"));
  ASSERT_TRUE(rsa.has_private_key());
  auto o = ParseJsonObject(rsa.ToPublicJson());
  ASSERT_TRUE(o.ok());
  for (const char* name : {"d", "p", "q", "dp", "dq", "qi"}) EXPECT_FALSE(o->contains(name));
  EXPECT_EQ(o->at("kid").as_string(), "bilbo.baggins@hobbiton.example");
  EXPECT_EQ(o->at("use").as_string(), "sig");
}

TEST(JwkTest, PrivateJsonRoundTrips) {
  for (Jwk key : {testing::RsaKey(), testing::EcKey(crypto::Curve::kP384),
                  testing::OkpKey(crypto::Curve::kEd25519), testing::OkpKey(crypto::Curve::kX25519)}) {
    auto secret = key.ToPrivateJson();
    ASSERT_TRUE(secret.ok());
    auto back = Jwk::Parse(AsStringView(secret->view()));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(back->has_private_key());
    EXPECT_TRUE(back->public_key().Equals(key.public_key()));
    EXPECT_EQ(back->kid(), key.kid());
  }
}

TEST(JwkTest, PrivateJsonOfPublicKeyFails) {
  auto r = testing::EcKey(crypto::Curve::kP256).PublicOnly().ToPrivateJson();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "no_private_key");
}

TEST(JwkTest, KeyOpsWithDuplicatesIsMalformed) {
  auto r = Jwk::Parse(R"({"kty":"OKP","crv":"Ed25519","key_ops":["verify","verify"],)"
                      R"("x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "malformed_jwk");
}

TEST(JwkTest, CheckForSignatureHonoursAlgUseAndKeyOps) {
  Jwk k = testing::EcKey(crypto::Curve::kP256);
  EXPECT_TRUE(k.CheckForSignature(crypto::SignatureAlgorithm::kEs256, false).ok());
  EXPECT_EQ(k.CheckForSignature(crypto::SignatureAlgorithm::kEs384, false).reason(),
            "alg_key_mismatch");
  EXPECT_EQ(k.CheckForSignature(crypto::SignatureAlgorithm::kRs256, false).reason(),
            "alg_key_mismatch");
  k.set_alg("ES384");
  EXPECT_EQ(k.CheckForSignature(crypto::SignatureAlgorithm::kEs256, false).reason(),
            "alg_key_mismatch");
  k.set_alg("");
  k.set_use("enc");
  EXPECT_EQ(k.CheckForSignature(crypto::SignatureAlgorithm::kEs256, false).reason(),
            "alg_key_mismatch");
  k.set_use("");
  k.set_key_ops({"sign"});
  EXPECT_EQ(k.CheckForSignature(crypto::SignatureAlgorithm::kEs256, false).reason(),
            "alg_key_mismatch");
  EXPECT_TRUE(k.CheckForSignature(crypto::SignatureAlgorithm::kEs256, true).ok());
}

TEST(JwksTest, ParseSkipsUnsupportedKeys) {
  auto v = LoadVector("rfc8037.json");
  std::string json = R"({"keys":[{"kty":"PQC","x":"AAAA"},)"
                     R"({"kty":"EC","crv":"secp256k1","x":"AAAA","y":"AAAA"},)" +
                     boost::json::serialize(v["ed25519_public"]) + "]}";
  auto set = Jwks::ParsePublic(json);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->size(), 1u);
  EXPECT_EQ(set->skipped(), 2u);
}

TEST(JwksTest, ParsePublicRejectsSecretOctKey) {
  // A symmetric secret in a published set is a leak, not just an unsupported key.
  auto set = Jwks::ParsePublic(R"({"keys":[{"kty":"oct","k":"AAAA"}]})");
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().reason(), "unexpected_private_key");
  auto lenient = Jwks::Parse(R"({"keys":[{"kty":"oct","k":"AAAA"}]})");
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(lenient->skipped(), 1u);
}

TEST(JwksTest, ParseFailsOnMalformedSupportedKey) {
  auto set = Jwks::Parse(R"({"keys":[{"kty":"EC","crv":"P-256","x":"AAAA"}]})");
  ASSERT_FALSE(set.ok());
}

TEST(JwksTest, ParsePublicRejectsPrivateKeys) {
  Jwk k = testing::EcKey(crypto::Curve::kP256);
  std::string json = "{\"keys\":[" + std::string(AsStringView(k.ToPrivateJson()->view())) + "]}";
  auto set = Jwks::ParsePublic(json);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().reason(), "unexpected_private_key");
}

TEST(JwksTest, TooManyKeysIsRejected) {
  std::string json = "{\"keys\":[";
  std::string one = testing::EcKey(crypto::Curve::kP256).PublicOnly().ToPublicJson();
  for (size_t i = 0; i <= kMaxJwksKeys; ++i) json += (i ? "," : "") + one;
  json += "]}";
  auto set = Jwks::Parse(json);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().reason(), "too_many_keys");
}

TEST(JwksTest, FindByKid) {
  Jwks set({testing::EcKey(crypto::Curve::kP256, "a"), testing::EcKey(crypto::Curve::kP256, "b")});
  auto b = set.FindByKid("b");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)->kid(), "b");
  auto missing = set.FindByKid("c");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().reason(), "unknown_kid");
}

TEST(JwksTest, FindByKidRejectsDuplicates) {
  Jwks set({testing::EcKey(crypto::Curve::kP256, "a"), testing::EcKey(crypto::Curve::kP256, "a")});
  EXPECT_EQ(set.FindByKid("a").status().reason(), "duplicate_kid");
}

TEST(JwksTest, SelectForSignatureFiltersByAlgAndKid) {
  Jwks set({testing::EcKey(crypto::Curve::kP256, "a"), testing::EcKey(crypto::Curve::kP384, "b"),
            testing::OkpKey(crypto::Curve::kEd25519, "c")});
  EXPECT_EQ(set.SelectForSignature(crypto::SignatureAlgorithm::kEs256, false, std::nullopt).size(),
            1u);
  EXPECT_EQ(set.SelectForSignature(crypto::SignatureAlgorithm::kEs256, false, "b").size(), 0u);
  EXPECT_EQ(set.SelectForSignature(crypto::SignatureAlgorithm::kEdDsa, false, "c").size(), 1u);
}

TEST(JwksTest, PublicJsonRoundTrips) {
  Jwks set({testing::EcKey(crypto::Curve::kP256, "a"), testing::RsaKey("r")});
  auto back = Jwks::ParsePublic(set.ToPublicJson());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), 2u);
  EXPECT_FALSE(back->keys()[1].has_private_key());
  EXPECT_EQ(back->keys()[1].Thumbprint(), set.keys()[1].Thumbprint());
}

}  // namespace
}  // namespace accord::jose
