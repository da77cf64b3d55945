#include "jose/jwe.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/base64url.h"
#include "jose/test_util.h"

namespace accord::jose {
namespace {

using testing::LoadVector;
using testing::ParseJwkOrDie;
using testing::Str;

constexpr JweAlg kAllAlgs[] = {JweAlg::kEcdhEs, JweAlg::kEcdhEsA128Kw, JweAlg::kEcdhEsA192Kw,
                               JweAlg::kEcdhEsA256Kw, JweAlg::kRsaOaep256};
constexpr JweEnc kAllEncs[] = {JweEnc::kA128Gcm,      JweEnc::kA192Gcm,      JweEnc::kA256Gcm,
                               JweEnc::kA128CbcHs256, JweEnc::kA192CbcHs384, JweEnc::kA256CbcHs512};

JweDecryptOptions AllowAll() {
  JweDecryptOptions o;
  o.allowed_algs.assign(std::begin(kAllAlgs), std::end(kAllAlgs));
  o.allowed_encs.assign(std::begin(kAllEncs), std::end(kAllEncs));
  return o;
}

JweDecrypter DecrypterFor(const Jwk& key, JweDecryptOptions options = AllowAll()) {
  auto d = JweDecrypter::Create(key, std::move(options));
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return std::move(*d);
}

std::string Encrypt(const Jwk& key, JweAlg alg, JweEnc enc, std::string_view plaintext = "secret",
                    const JweHeaderOptions& options = {}) {
  auto e = JweEncrypter::Create(key.PublicOnly(), alg, enc);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  auto token = e->Encrypt(plaintext, options);
  EXPECT_TRUE(token.ok()) << token.status().ToString();
  return *token;
}

// ---- Known-answer vectors ----

TEST(JweVectorTest, Rfc7520Section5_4And5_5Decrypt) {
  auto v = LoadVector("rfc7520_jwe.json");
  for (const auto& item : v["vectors"].as_array()) {
    const auto& vec = item.as_object();
    SCOPED_TRACE(Str(vec.at("section")));
    Jwk key = ParseJwkOrDie(vec.at("key"));
    auto r = DecrypterFor(key).Decrypt(Str(vec.at("compact")));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->plaintext_string(), Str(vec.at("plaintext")));
    EXPECT_EQ(JweAlgName(r->alg()), Str(vec.at("alg")));
    EXPECT_EQ(JweEncName(r->enc()), Str(vec.at("enc")));
    EXPECT_EQ(r->key_id(), key.kid());
  }
}

TEST(JweVectorTest, CookbookX25519EcdhEsDecrypts) {
  auto v = LoadVector("cookbook_x25519_ecdh_es.json");
  auto r = DecrypterFor(ParseJwkOrDie(v["key"])).Decrypt(Str(v["compact"]));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->plaintext_string(), Str(v["plaintext"]));
}

TEST(JweVectorTest, Rfc7520Section5_4WithWrongKeyFails) {
  auto v = LoadVector("rfc7520_jwe.json");
  const auto& vec = v["vectors"].as_array()[0].as_object();
  Jwk other = testing::EcKey(crypto::Curve::kP384, Str(vec.at("key").as_object().at("kid")));
  auto r = DecrypterFor(other).Decrypt(Str(vec.at("compact")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "decrypt_failed");
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
}

// ---- Round trips ----

TEST(JweTest, RoundTripEveryAlgorithmAndEncryption) {
  std::vector<Jwk> ec_keys = {testing::EcKey(crypto::Curve::kP256),
                              testing::EcKey(crypto::Curve::kP384),
                              testing::EcKey(crypto::Curve::kP521),
                              testing::OkpKey(crypto::Curve::kX25519)};
  for (JweAlg alg : kAllAlgs) {
    std::vector<Jwk> keys = alg == JweAlg::kRsaOaep256 ? std::vector<Jwk>{testing::RsaKey()}
                                                       : ec_keys;
    for (const Jwk& key : keys) {
      for (JweEnc enc : kAllEncs) {
        SCOPED_TRACE(std::string(JweAlgName(alg)) + " " + std::string(JweEncName(enc)));
        JweHeaderOptions opts;
        opts.typ = "JWT";
        opts.apu = ToBytes("Alice");
        std::string token = Encrypt(key, alg, enc, "the plaintext", opts);
        auto r = DecrypterFor(key).Decrypt(token);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        EXPECT_EQ(r->plaintext_string(), "the plaintext");
        EXPECT_EQ(r->typ(), "JWT");
      }
    }
  }
}

TEST(JweTest, EncrypterRejectsKeyOfWrongType) {
  auto r = JweEncrypter::Create(testing::OkpKey(crypto::Curve::kEd25519).PublicOnly(),
                                JweAlg::kEcdhEs, JweEnc::kA256Gcm);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "alg_key_mismatch");
  r = JweEncrypter::Create(testing::EcKey(crypto::Curve::kP256).PublicOnly(),
                           JweAlg::kRsaOaep256, JweEnc::kA256Gcm);
  EXPECT_EQ(r.status().reason(), "alg_key_mismatch");
}

TEST(JweTest, EncrypterRejectsSignatureKey) {
  Jwk key = testing::EcKey(crypto::Curve::kP256).PublicOnly();
  key.set_use("sig");
  EXPECT_EQ(JweEncrypter::Create(key, JweAlg::kEcdhEs, JweEnc::kA256Gcm).status().reason(),
            "alg_key_mismatch");
}

TEST(JweTest, DecrypterNeedsPrivateKeys) {
  auto r = JweDecrypter::Create(testing::EcKey(crypto::Curve::kP256).PublicOnly(), AllowAll());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "no_private_key");
}

TEST(JweTest, DecrypterNeedsNonEmptyPolicy) {
  JweDecryptOptions o = AllowAll();
  o.allowed_encs.clear();
  EXPECT_EQ(JweDecrypter::Create(testing::EcKey(crypto::Curve::kP256), o).status().reason(),
            "empty_policy");
}

TEST(JweTest, AlgorithmNamesRoundTrip) {
  for (JweAlg alg : kAllAlgs) EXPECT_EQ(*JweAlgFromName(JweAlgName(alg)), alg);
  for (JweEnc enc : kAllEncs) EXPECT_EQ(*JweEncFromName(JweEncName(enc)), enc);
  EXPECT_EQ(JweAlgFromName("RSA-OAEP").status().reason(), "unsupported_alg");
  EXPECT_EQ(JweAlgFromName("dir").status().reason(), "unsupported_alg");
  EXPECT_EQ(JweEncFromName("A128CBC+HS256").status().reason(), "unsupported_enc");
}

// ---- Negative cases ----

class JweRejectTest : public ::testing::Test {
 protected:
  Jwk key_ = testing::EcKey(crypto::Curve::kP256, "k1");
  JweDecrypter decrypter_ = DecrypterFor(key_);
  std::string token_ = Encrypt(key_, JweAlg::kEcdhEsA128Kw, JweEnc::kA128Gcm);

  void ExpectReason(std::string_view token, std::string_view reason) {
    auto r = decrypter_.Decrypt(token);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().reason(), reason) << r.status().ToString();
  }
};

TEST_F(JweRejectTest, TamperedHeader) {
  ExpectReason(testing::EditHeader(token_, [](boost::json::object& h) { h["typ"] = "x"; }),
               "decrypt_failed");
}
TEST_F(JweRejectTest, TamperedEncryptedKey) {
  ExpectReason(testing::TamperSegment(token_, 1), "decrypt_failed");
}
TEST_F(JweRejectTest, TamperedIv) { ExpectReason(testing::TamperSegment(token_, 2), "decrypt_failed"); }
TEST_F(JweRejectTest, TamperedCiphertext) {
  ExpectReason(testing::TamperSegment(token_, 3), "decrypt_failed");
}
TEST_F(JweRejectTest, TamperedTag) { ExpectReason(testing::TamperSegment(token_, 4), "decrypt_failed"); }

TEST_F(JweRejectTest, TamperedRsaOaepEncryptedKeyLooksLikeTagFailure) {
  Jwk rsa = testing::RsaKey("r1");
  std::string token = Encrypt(rsa, JweAlg::kRsaOaep256, JweEnc::kA256Gcm);
  auto r = DecrypterFor(rsa).Decrypt(testing::TamperSegment(token, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "decrypt_failed");
  auto r2 = DecrypterFor(rsa).Decrypt(testing::TamperSegment(token, 4));
  EXPECT_EQ(r2.status(), r.status());
}

TEST_F(JweRejectTest, CbcHmacTamperedCiphertext) {
  std::string token = Encrypt(key_, JweAlg::kEcdhEs, JweEnc::kA128CbcHs256);
  ExpectReason(testing::TamperSegment(token, 3), "decrypt_failed");
}

TEST_F(JweRejectTest, InvalidCurvePointInEpk) {
  std::string t = testing::EditHeader(token_, [](boost::json::object& h) {
    std::string y(h["epk"].as_object()["y"].as_string());
    y[0] = y[0] == 'A' ? 'B' : 'A';  // same length, almost surely off the curve
    h["epk"].as_object()["y"] = y;
  });
  ExpectReason(t, "bad_epk");
}

TEST_F(JweRejectTest, EpkOnAnotherCurve) {
  Jwk other = testing::EcKey(crypto::Curve::kP384);
  static std::string epk;
  epk = other.PublicOnly().ToPublicJson();
  std::string t = testing::EditHeader(token_, [](boost::json::object& h) {
    h["epk"] = boost::json::parse(epk);
  });
  ExpectReason(t, "bad_epk");
}

TEST_F(JweRejectTest, EpkWithPrivateKey) {
  std::string t = testing::EditHeader(token_, [](boost::json::object& h) {
    h["epk"].as_object()["d"] = "AAAA";
  });
  ExpectReason(t, "bad_epk");
}

TEST_F(JweRejectTest, MissingEpk) {
  ExpectReason(testing::EditHeader(token_, [](boost::json::object& h) { h.erase("epk"); }),
               "bad_epk");
}

TEST_F(JweRejectTest, ZipPresent) {
  ExpectReason(testing::EditHeader(token_, [](boost::json::object& h) { h["zip"] = "DEF"; }),
               "unsupported_zip");
}

TEST_F(JweRejectTest, UnknownCrit) {
  ExpectReason(testing::EditHeader(token_, [](boost::json::object& h) {
                 h["ext"] = 1;
                 h["crit"] = boost::json::array{"ext"};
               }),
               "unsupported_crit");
}

TEST_F(JweRejectTest, AlgNotAllowed) {
  JweDecryptOptions o = AllowAll();
  o.allowed_algs = {JweAlg::kEcdhEs};
  auto r = DecrypterFor(key_, o).Decrypt(token_);
  EXPECT_EQ(r.status().reason(), "unsupported_alg");
}

TEST_F(JweRejectTest, EncNotAllowed) {
  JweDecryptOptions o = AllowAll();
  o.allowed_encs = {JweEnc::kA256Gcm};
  auto r = DecrypterFor(key_, o).Decrypt(token_);
  EXPECT_EQ(r.status().reason(), "unsupported_enc");
}

TEST_F(JweRejectTest, UnsupportedAlgName) {
  ExpectReason(testing::EditHeader(token_, [](boost::json::object& h) { h["alg"] = "RSA1_5"; }),
               "unsupported_alg");
}

TEST_F(JweRejectTest, RsaTokenForEcKeyIsAlgKeyMismatch) {
  std::string token = Encrypt(testing::RsaKey("k1"), JweAlg::kRsaOaep256, JweEnc::kA256Gcm);
  ExpectReason(token, "alg_key_mismatch");
}

TEST_F(JweRejectTest, UnknownKid) {
  ExpectReason(Encrypt(testing::EcKey(crypto::Curve::kP256, "k2"), JweAlg::kEcdhEs,
                       JweEnc::kA256Gcm),
               "unknown_kid");
}

TEST_F(JweRejectTest, FourSegments) {
  ExpectReason(token_.substr(0, token_.rfind('.')), "malformed");
}

TEST_F(JweRejectTest, SixSegments) { ExpectReason(token_ + ".AAAA", "malformed"); }

TEST_F(JweRejectTest, BadBase64) { ExpectReason(token_ + "=", "bad_base64url"); }

TEST_F(JweRejectTest, Oversized) {
  ExpectReason(Encrypt(key_, JweAlg::kEcdhEs, JweEnc::kA256Gcm,
                       std::string(kDefaultMaxTokenBytes, 'x')),
               "too_large");
}

TEST_F(JweRejectTest, DuplicateHeaderName) {
  std::string t = token_;
  std::string header = R"({"alg":"ECDH-ES","alg":"ECDH-ES","enc":"A128GCM"})";
  t = Base64UrlEncode(header) + t.substr(t.find('.'));
  ExpectReason(t, "duplicate_key");
}

TEST_F(JweRejectTest, DirectAgreementWithEncryptedKey) {
  std::string token = Encrypt(key_, JweAlg::kEcdhEs, JweEnc::kA256Gcm);
  size_t first = token.find('.');
  token.insert(first + 1, "AAAA");
  ExpectReason(token, "malformed");
}

// ---- Nested JWT ----

TEST(JweNestedTest, DecryptAndVerifyNested) {
  Jwk sig_key = testing::EcKey(crypto::Curve::kP256, "sig");
  Jwk enc_key = testing::EcKey(crypto::Curve::kP256, "enc");
  auto signer = JwsSigner::Create(sig_key, crypto::SignatureAlgorithm::kEs256);
  std::string inner = *signer->Sign(R"({"sub":"s"})", {{"typ", "JWT"}});
  JweHeaderOptions opts;
  opts.cty = "JWT";
  std::string outer = Encrypt(enc_key, JweAlg::kEcdhEsA256Kw, JweEnc::kA256Gcm, inner, opts);

  JwsVerifyOptions vo;
  vo.allowed_algs = {crypto::SignatureAlgorithm::kEs256};
  auto verifier = JwsVerifier::Create(sig_key.PublicOnly(), vo);
  auto r = DecryptAndVerifyNested(DecrypterFor(enc_key), *verifier, outer);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->payload_string(), R"({"sub":"s"})");

  std::string not_nested = Encrypt(enc_key, JweAlg::kEcdhEsA256Kw, JweEnc::kA256Gcm, inner);
  EXPECT_EQ(DecryptAndVerifyNested(DecrypterFor(enc_key), *verifier, not_nested).status().reason(),
            "not_nested");
}

}  // namespace
}  // namespace accord::jose
