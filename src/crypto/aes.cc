// AES-GCM, AES_CBC_HMAC_SHA2 (RFC 7518 section 5.2) and AES Key Wrap (RFC 3394) from cipher.h.
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>

#include "crypto/cipher.h"
#include "crypto/constant_time.h"
#include "crypto/internal/evp_cache.h"
#include "crypto/internal/key_util.h"
#include "crypto/internal/ssl_ptr.h"

namespace accord::crypto {

using internal::ClearSslErrors;
using internal::SslPtr;

namespace {

// EVP takes int lengths; JOSE payloads are far smaller than this.
constexpr size_t kMaxInput = size_t{1} << 30;
constexpr size_t kGcmIvSize = 12;
constexpr size_t kGcmTagSize = 16;
constexpr size_t kCbcIvSize = 16;
constexpr size_t kAesBlock = 16;
constexpr size_t kMaxWrappedKey = 4096;

Status BadTag() { return ClearSslErrors(Unauthenticated("authentication failed", "bad_tag")); }

Status CheckSizes(BytesView aad, BytesView data) {
  if (aad.size() > kMaxInput || data.size() > kMaxInput) {
    return OutOfRange("input too large", "too_large");
  }
  return Status::Ok();
}

int Len(size_t n) { return static_cast<int>(n); }

// ---- AES_CBC_HMAC_SHA2 ---------------------------------------------------------------------

struct CbcHmacParams {
  HashAlgorithm hash;
  size_t half;  // MAC key length = encryption key length = tag length
};

Result<CbcHmacParams> CbcHmacParamsFor(size_t key_size) {
  switch (key_size) {
    case 32:
      return CbcHmacParams{HashAlgorithm::kSha256, 16};
    case 48:
      return CbcHmacParams{HashAlgorithm::kSha384, 24};
    case 64:
      return CbcHmacParams{HashAlgorithm::kSha512, 32};
    default:
      return InvalidArgument("AES_CBC_HMAC_SHA2 key must be 32, 48 or 64 bytes", "invalid_key");
  }
}

// M = HMAC(MAC_KEY, A || IV || E || AL), AL = bit length of A as a 64-bit big-endian integer.
std::array<uint8_t, 64> CbcHmacMac(HashAlgorithm hash, BytesView mac_key, BytesView aad,
                                   BytesView iv, BytesView ciphertext) {
  std::array<uint8_t, 8> al;
  const uint64_t aad_bits = static_cast<uint64_t>(aad.size()) * 8;
  for (int i = 0; i < 8; ++i) al[i] = static_cast<uint8_t>(aad_bits >> (56 - 8 * i));
  SslPtr<EVP_MAC_CTX> ctx(EVP_MAC_CTX_new(internal::HmacMac()));
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                       const_cast<char*>(internal::MdName(hash)), 0),
      OSSL_PARAM_construct_end()};
  std::array<uint8_t, 64> mac{};
  size_t len = 0;
  if (ctx == nullptr || EVP_MAC_init(ctx.get(), mac_key.data(), mac_key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), aad.data(), aad.size()) != 1 ||
      EVP_MAC_update(ctx.get(), iv.data(), iv.size()) != 1 ||
      EVP_MAC_update(ctx.get(), ciphertext.data(), ciphertext.size()) != 1 ||
      EVP_MAC_update(ctx.get(), al.data(), al.size()) != 1 ||
      EVP_MAC_final(ctx.get(), mac.data(), &len, mac.size()) != 1) {
    internal::FatalSslError("HMAC");
  }
  return mac;
}

}  // namespace

Result<Sealed> AesGcmSeal(BytesView key, BytesView iv, BytesView aad, BytesView plaintext) {
  const EVP_CIPHER* cipher = internal::AesGcmCipher(key.size());
  if (cipher == nullptr) return InvalidArgument("AES-GCM key must be 16, 24 or 32 bytes", "invalid_key");
  if (iv.size() != kGcmIvSize) return InvalidArgument("AES-GCM IV must be 12 bytes", "invalid_iv");
  ACCORD_RETURN_IF_ERROR(CheckSizes(aad, plaintext));
  SslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  Sealed out{Bytes(plaintext.size()), Bytes(kGcmTagSize)};
  std::array<uint8_t, kAesBlock> scratch;
  int len = 0;
  if (ctx == nullptr || EVP_EncryptInit_ex2(ctx.get(), cipher, key.data(), iv.data(), nullptr) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), Len(aad.size())) != 1) ||
      (!plaintext.empty() && EVP_EncryptUpdate(ctx.get(), out.ciphertext.data(), &len,
                                               plaintext.data(), Len(plaintext.size())) != 1) ||
      EVP_EncryptFinal_ex(ctx.get(), scratch.data(), &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, Len(kGcmTagSize), out.tag.data()) != 1) {
    return ClearSslErrors(Internal("AES-GCM encryption failed"));
  }
  return out;
}

Result<Bytes> AesGcmOpen(BytesView key, BytesView iv, BytesView aad, BytesView ciphertext,
                         BytesView tag) {
  const EVP_CIPHER* cipher = internal::AesGcmCipher(key.size());
  if (cipher == nullptr) return InvalidArgument("AES-GCM key must be 16, 24 or 32 bytes", "invalid_key");
  if (iv.size() != kGcmIvSize) return InvalidArgument("AES-GCM IV must be 12 bytes", "invalid_iv");
  if (tag.size() != kGcmTagSize) return BadTag();
  ACCORD_RETURN_IF_ERROR(CheckSizes(aad, ciphertext));
  std::array<uint8_t, kGcmTagSize> tag_copy;
  std::copy(tag.begin(), tag.end(), tag_copy.begin());
  SslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  Bytes plaintext(ciphertext.size());
  std::array<uint8_t, kAesBlock> scratch;
  int len = 0;
  if (ctx == nullptr || EVP_DecryptInit_ex2(ctx.get(), cipher, key.data(), iv.data(), nullptr) != 1 ||
      (!aad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), Len(aad.size())) != 1) ||
      (!ciphertext.empty() && EVP_DecryptUpdate(ctx.get(), plaintext.data(), &len,
                                                ciphertext.data(), Len(ciphertext.size())) != 1) ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, Len(kGcmTagSize), tag_copy.data()) != 1) {
    return ClearSslErrors(Internal("AES-GCM decryption setup failed"));
  }
  if (EVP_DecryptFinal_ex(ctx.get(), scratch.data(), &len) != 1) {
    // Never release unauthenticated plaintext.
    if (!plaintext.empty()) OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return BadTag();
  }
  return plaintext;
}

Result<Sealed> AesCbcHmacSeal(BytesView key, BytesView iv, BytesView aad, BytesView plaintext) {
  ACCORD_ASSIGN_OR_RETURN(const CbcHmacParams p, CbcHmacParamsFor(key.size()));
  if (iv.size() != kCbcIvSize) return InvalidArgument("AES-CBC IV must be 16 bytes", "invalid_iv");
  ACCORD_RETURN_IF_ERROR(CheckSizes(aad, plaintext));
  const BytesView mac_key = key.first(p.half);
  const BytesView enc_key = key.subspan(p.half);
  SslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  // PKCS#7 padding (EVP's default) always adds 1..16 bytes.
  Sealed out{Bytes((plaintext.size() / kAesBlock + 1) * kAesBlock), {}};
  int len = 0;
  int final_len = 0;
  if (ctx == nullptr ||
      EVP_EncryptInit_ex2(ctx.get(), internal::AesCbcCipher(p.half), enc_key.data(), iv.data(),
                          nullptr) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out.ciphertext.data(), &len, plaintext.data(),
                        Len(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.ciphertext.data() + len, &final_len) != 1 ||
      static_cast<size_t>(len + final_len) != out.ciphertext.size()) {
    return ClearSslErrors(Internal("AES-CBC encryption failed"));
  }
  const std::array<uint8_t, 64> mac = CbcHmacMac(p.hash, mac_key, aad, iv, out.ciphertext);
  out.tag.assign(mac.begin(), mac.begin() + static_cast<std::ptrdiff_t>(p.half));
  return out;
}

Result<Bytes> AesCbcHmacOpen(BytesView key, BytesView iv, BytesView aad, BytesView ciphertext,
                             BytesView tag) {
  ACCORD_ASSIGN_OR_RETURN(const CbcHmacParams p, CbcHmacParamsFor(key.size()));
  if (iv.size() != kCbcIvSize) return InvalidArgument("AES-CBC IV must be 16 bytes", "invalid_iv");
  ACCORD_RETURN_IF_ERROR(CheckSizes(aad, ciphertext));
  if (tag.size() != p.half || ciphertext.empty() || ciphertext.size() % kAesBlock != 0) {
    return BadTag();
  }
  const BytesView mac_key = key.first(p.half);
  const BytesView enc_key = key.subspan(p.half);
  // Authenticate before decrypting anything (no padding oracle).
  const std::array<uint8_t, 64> mac = CbcHmacMac(p.hash, mac_key, aad, iv, ciphertext);
  if (!ConstantTimeEquals(BytesView(mac.data(), p.half), tag)) return BadTag();

  SslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  Bytes plaintext(ciphertext.size());
  int len = 0;
  int final_len = 0;
  if (ctx == nullptr ||
      EVP_DecryptInit_ex2(ctx.get(), internal::AesCbcCipher(p.half), enc_key.data(), iv.data(),
                          nullptr) != 1 ||
      EVP_DecryptUpdate(ctx.get(), plaintext.data(), &len, ciphertext.data(),
                        Len(ciphertext.size())) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), plaintext.data() + len, &final_len) != 1) {
    // Only reachable with a valid tag, i.e. by a sender holding the key; same error regardless.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return BadTag();
  }
  plaintext.resize(static_cast<size_t>(len + final_len));
  return plaintext;
}

Result<Bytes> AesKeyWrap(BytesView kek, BytesView key) {
  const EVP_CIPHER* cipher = internal::AesWrapCipher(kek.size());
  if (cipher == nullptr) return InvalidArgument("AES-KW key must be 16, 24 or 32 bytes", "invalid_key");
  if (key.size() < 16 || key.size() % 8 != 0 || key.size() > kMaxWrappedKey) {
    return InvalidArgument("key to wrap must be a multiple of 8 bytes, at least 16", "invalid_key");
  }
  SslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr) return ClearSslErrors(Internal("EVP_CIPHER_CTX_new failed"));
  EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  // EVP sizes its output check as input + one block, so leave that much room.
  Bytes out(key.size() + 16);
  int len = 0;
  int final_len = 0;
  if (EVP_EncryptInit_ex2(ctx.get(), cipher, kek.data(), nullptr, nullptr) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out.data(), &len, key.data(), Len(key.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &final_len) != 1 ||
      static_cast<size_t>(len + final_len) != key.size() + 8) {
    return ClearSslErrors(Internal("AES key wrap failed"));
  }
  out.resize(key.size() + 8);
  return out;
}

Result<SecretBytes> AesKeyUnwrap(BytesView kek, BytesView wrapped) {
  const EVP_CIPHER* cipher = internal::AesWrapCipher(kek.size());
  if (cipher == nullptr) return InvalidArgument("AES-KW key must be 16, 24 or 32 bytes", "invalid_key");
  const Status unwrap_failed = Unauthenticated("key unwrap failed", "unwrap_failed");
  if (wrapped.size() < 24 || wrapped.size() % 8 != 0 || wrapped.size() > kMaxWrappedKey + 8) {
    return unwrap_failed;
  }
  SslPtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr) return ClearSslErrors(Internal("EVP_CIPHER_CTX_new failed"));
  EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  SecretBytes out(wrapped.size() + 8);
  int len = 0;
  int final_len = 0;
  if (EVP_DecryptInit_ex2(ctx.get(), cipher, kek.data(), nullptr, nullptr) != 1) {
    return ClearSslErrors(Internal("AES key unwrap setup failed"));
  }
  // The integrity check (the RFC 3394 initial value) fails in DecryptUpdate.
  if (EVP_DecryptUpdate(ctx.get(), out.data(), &len, wrapped.data(), Len(wrapped.size())) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &final_len) != 1 ||
      static_cast<size_t>(len + final_len) != wrapped.size() - 8) {
    return ClearSslErrors(unwrap_failed);
  }
  out.Truncate(wrapped.size() - 8);
  return out;
}

}  // namespace accord::crypto
