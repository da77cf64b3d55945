#include "crypto/cipher.h"

#include <gtest/gtest.h>

#include "crypto/internal/test_vectors.h"
#include "crypto/random.h"

namespace accord::crypto {
namespace {

using testing::CachedOtherRsaKey;
using testing::CachedRsaKey;
using testing::HexField;
using testing::LoadVectors;

Bytes ToVec(BytesView v) { return Bytes(v.begin(), v.end()); }

// ---- AES Key Wrap ----------------------------------------------------------------------------

TEST(AesKeyWrapTest, Rfc3394Section4Vectors) {
  const auto v = LoadVectors("aes_kw.json");
  ASSERT_EQ(v.at("cases").as_array().size(), 6u);
  for (const auto& item : v.at("cases").as_array()) {
    const auto& c = item.as_object();
    const Bytes kek = HexField(c, "kek");
    const Bytes key = HexField(c, "key");
    const Bytes wrapped = HexField(c, "wrapped");
    EXPECT_EQ(AesKeyWrap(kek, key).value(), wrapped) << c.at("name").as_string();
    auto unwrapped = AesKeyUnwrap(kek, wrapped);
    ASSERT_TRUE(unwrapped.ok()) << c.at("name").as_string();
    EXPECT_EQ(ToVec(unwrapped->view()), key);
  }
}

TEST(AesKeyWrapTest, TamperedWrappedKeyFailsToUnwrap) {
  const Bytes kek = RandomBytes(32);
  Bytes wrapped = AesKeyWrap(kek, RandomBytes(32)).value();
  for (size_t i : {size_t{0}, size_t{8}, wrapped.size() - 1}) {
    Bytes tampered = wrapped;
    tampered[i] ^= 0x01;
    auto r = AesKeyUnwrap(kek, tampered);
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r.status().reason(), "unwrap_failed");
  }
}

TEST(AesKeyWrapTest, WrongKekFailsToUnwrap) {
  const Bytes wrapped = AesKeyWrap(RandomBytes(16), RandomBytes(16)).value();
  EXPECT_EQ(AesKeyUnwrap(RandomBytes(16), wrapped).status().reason(), "unwrap_failed");
}

TEST(AesKeyWrapTest, BadLengthsAreRejected) {
  EXPECT_EQ(AesKeyWrap(RandomBytes(20), RandomBytes(16)).status().reason(), "invalid_key");
  EXPECT_EQ(AesKeyWrap(RandomBytes(16), RandomBytes(8)).status().reason(), "invalid_key");
  EXPECT_EQ(AesKeyWrap(RandomBytes(16), RandomBytes(20)).status().reason(), "invalid_key");
  EXPECT_EQ(AesKeyUnwrap(RandomBytes(16), RandomBytes(16)).status().reason(), "unwrap_failed");
  EXPECT_EQ(AesKeyUnwrap(RandomBytes(16), RandomBytes(25)).status().reason(), "unwrap_failed");
}

// ---- AES-GCM ---------------------------------------------------------------------------------

TEST(AesGcmTest, McGrewViegaVectors) {
  const auto v = LoadVectors("aes_gcm.json");
  for (const auto& item : v.at("cases").as_array()) {
    const auto& c = item.as_object();
    auto sealed = AesGcmSeal(HexField(c, "key"), HexField(c, "iv"), HexField(c, "aad"),
                             HexField(c, "plaintext"));
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    EXPECT_EQ(sealed->ciphertext, HexField(c, "ciphertext")) << c.at("name").as_string();
    EXPECT_EQ(sealed->tag, HexField(c, "tag")) << c.at("name").as_string();
    auto opened = AesGcmOpen(HexField(c, "key"), HexField(c, "iv"), HexField(c, "aad"),
                             HexField(c, "ciphertext"), HexField(c, "tag"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, HexField(c, "plaintext"));
  }
}

class AesGcmTamperTest : public ::testing::Test {
 protected:
  Bytes key_ = RandomBytes(32);
  Bytes iv_ = RandomBytes(12);
  Bytes aad_ = ToBytes("protected-header");
  Sealed sealed_ = AesGcmSeal(key_, iv_, aad_, ToBytes("attributes")).value();

  void ExpectBadTag(BytesView key, BytesView iv, BytesView aad, BytesView ct, BytesView tag) {
    auto r = AesGcmOpen(key, iv, aad, ct, tag);
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r.status().reason(), "bad_tag");
  }
};

TEST_F(AesGcmTamperTest, RoundTrip) {
  EXPECT_EQ(AesGcmOpen(key_, iv_, aad_, sealed_.ciphertext, sealed_.tag).value(), ToBytes("attributes"));
}

TEST_F(AesGcmTamperTest, WrongTagFails) {
  Bytes tag = sealed_.tag;
  tag[0] ^= 1;
  ExpectBadTag(key_, iv_, aad_, sealed_.ciphertext, tag);
}

TEST_F(AesGcmTamperTest, TruncatedTagFails) {
  ExpectBadTag(key_, iv_, aad_, sealed_.ciphertext, BytesView(sealed_.tag).first(12));
}

TEST_F(AesGcmTamperTest, WrongIvFails) {
  Bytes iv = iv_;
  iv[11] ^= 1;
  ExpectBadTag(key_, iv, aad_, sealed_.ciphertext, sealed_.tag);
}

TEST_F(AesGcmTamperTest, WrongAadFails) {
  ExpectBadTag(key_, iv_, ToBytes("protected-headeR"), sealed_.ciphertext, sealed_.tag);
}

TEST_F(AesGcmTamperTest, TamperedCiphertextFails) {
  Bytes ct = sealed_.ciphertext;
  ct[2] ^= 1;
  ExpectBadTag(key_, iv_, aad_, ct, sealed_.tag);
}

TEST(AesGcmTest, BadKeyOrIvLengthIsRejected) {
  EXPECT_EQ(AesGcmSeal(RandomBytes(20), RandomBytes(12), {}, {}).status().reason(), "invalid_key");
  EXPECT_EQ(AesGcmSeal(RandomBytes(16), RandomBytes(16), {}, {}).status().reason(), "invalid_iv");
}

TEST(AesGcmTest, EmptyPlaintextRoundTrips) {
  const Bytes key = RandomBytes(16);
  const Bytes iv = RandomBytes(12);
  auto sealed = AesGcmSeal(key, iv, ToBytes("aad"), {});
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(sealed->ciphertext.empty());
  EXPECT_TRUE(AesGcmOpen(key, iv, ToBytes("aad"), {}, sealed->tag).value().empty());
}

// ---- AES_CBC_HMAC_SHA2 -----------------------------------------------------------------------

TEST(AesCbcHmacTest, Rfc7518AppendixBVectors) {
  const auto v = LoadVectors("aes_cbc_hmac.json");
  ASSERT_EQ(v.at("cases").as_array().size(), 3u);
  for (const auto& item : v.at("cases").as_array()) {
    const auto& c = item.as_object();
    auto sealed = AesCbcHmacSeal(HexField(c, "key"), HexField(c, "iv"), HexField(c, "aad"),
                                 HexField(c, "plaintext"));
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    EXPECT_EQ(sealed->ciphertext, HexField(c, "ciphertext")) << c.at("name").as_string();
    EXPECT_EQ(sealed->tag, HexField(c, "tag")) << c.at("name").as_string();
    auto opened = AesCbcHmacOpen(HexField(c, "key"), HexField(c, "iv"), HexField(c, "aad"),
                                 HexField(c, "ciphertext"), HexField(c, "tag"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, HexField(c, "plaintext"));
  }
}

class AesCbcHmacTamperTest : public ::testing::Test {
 protected:
  Bytes key_ = RandomBytes(32);
  Bytes iv_ = RandomBytes(16);
  Bytes aad_ = ToBytes("protected-header");
  Sealed sealed_ = AesCbcHmacSeal(key_, iv_, aad_, ToBytes("given_name=Alice")).value();

  void ExpectBadTag(BytesView iv, BytesView aad, BytesView ct, BytesView tag) {
    auto r = AesCbcHmacOpen(key_, iv, aad, ct, tag);
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r.status().reason(), "bad_tag");
  }
};

TEST_F(AesCbcHmacTamperTest, RoundTrip) {
  EXPECT_EQ(sealed_.tag.size(), 16u);
  EXPECT_EQ(sealed_.ciphertext.size(), 32u);  // 16 bytes + a full padding block
  EXPECT_EQ(AesCbcHmacOpen(key_, iv_, aad_, sealed_.ciphertext, sealed_.tag).value(),
            ToBytes("given_name=Alice"));
}

TEST_F(AesCbcHmacTamperTest, WrongTagFails) {
  Bytes tag = sealed_.tag;
  tag[15] ^= 1;
  ExpectBadTag(iv_, aad_, sealed_.ciphertext, tag);
}

TEST_F(AesCbcHmacTamperTest, WrongIvFails) {
  Bytes iv = iv_;
  iv[0] ^= 1;
  ExpectBadTag(iv, aad_, sealed_.ciphertext, sealed_.tag);
}

TEST_F(AesCbcHmacTamperTest, WrongAadFails) {
  ExpectBadTag(iv_, ToBytes("other-header"), sealed_.ciphertext, sealed_.tag);
}

TEST_F(AesCbcHmacTamperTest, TamperedCiphertextFails) {
  Bytes ct = sealed_.ciphertext;
  ct[20] ^= 1;
  ExpectBadTag(iv_, aad_, ct, sealed_.tag);
}

TEST_F(AesCbcHmacTamperTest, TruncatedTagOrPartialBlockFails) {
  ExpectBadTag(iv_, aad_, sealed_.ciphertext, BytesView(sealed_.tag).first(8));
  ExpectBadTag(iv_, aad_, BytesView(sealed_.ciphertext).first(20), sealed_.tag);
  ExpectBadTag(iv_, aad_, {}, sealed_.tag);
}

TEST(AesCbcHmacTest, BadKeyOrIvLengthIsRejected) {
  EXPECT_EQ(AesCbcHmacSeal(RandomBytes(16), RandomBytes(16), {}, {}).status().reason(), "invalid_key");
  EXPECT_EQ(AesCbcHmacSeal(RandomBytes(32), RandomBytes(12), {}, {}).status().reason(), "invalid_iv");
}

// ---- RSA-OAEP-256 ----------------------------------------------------------------------------

TEST(RsaOaepTest, RoundTrip) {
  const Bytes cek = RandomBytes(32);
  auto ct = RsaOaepSha256Encrypt(CachedRsaKey().public_key(), cek);
  ASSERT_TRUE(ct.ok()) << ct.status().ToString();
  EXPECT_EQ(ct->size(), 256u);
  auto pt = RsaOaepSha256Decrypt(CachedRsaKey(), *ct);
  ASSERT_TRUE(pt.ok()) << pt.status().ToString();
  EXPECT_EQ(ToVec(pt->view()), cek);
}

TEST(RsaOaepTest, TamperedCiphertextFailsIndistinguishably) {
  Bytes ct = RsaOaepSha256Encrypt(CachedRsaKey().public_key(), RandomBytes(32)).value();
  ct[100] ^= 0x01;
  auto tampered = RsaOaepSha256Decrypt(CachedRsaKey(), ct);
  auto wrong_key = RsaOaepSha256Decrypt(CachedOtherRsaKey(),
                                        RsaOaepSha256Encrypt(CachedRsaKey().public_key(),
                                                             RandomBytes(32)).value());
  auto wrong_length = RsaOaepSha256Decrypt(CachedRsaKey(), BytesView(ct).first(255));
  for (const auto* r : {&tampered, &wrong_key, &wrong_length}) {
    EXPECT_EQ(r->status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r->status().reason(), "decrypt_failed");
    EXPECT_EQ(r->status().message(), tampered.status().message());
  }
}

TEST(RsaOaepTest, PlaintextTooLongIsRejected) {
  EXPECT_EQ(RsaOaepSha256Encrypt(CachedRsaKey().public_key(), RandomBytes(191)).status().reason(),
            "too_large");
  EXPECT_TRUE(RsaOaepSha256Encrypt(CachedRsaKey().public_key(), RandomBytes(190)).ok());
}

TEST(RsaOaepTest, NonRsaKeyIsRejected) {
  const PrivateKey ec = PrivateKey::GenerateEc(Curve::kP256).value();
  EXPECT_EQ(RsaOaepSha256Encrypt(ec.public_key(), RandomBytes(16)).status().reason(),
            "alg_key_mismatch");
  EXPECT_EQ(RsaOaepSha256Decrypt(ec, RandomBytes(256)).status().reason(), "alg_key_mismatch");
}

}  // namespace
}  // namespace accord::crypto
