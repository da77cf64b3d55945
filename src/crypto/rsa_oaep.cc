// RSAES-OAEP with SHA-256 and MGF1-SHA-256 (JWE "RSA-OAEP-256", RFC 7518 section 4.3).
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "crypto/cipher.h"
#include "crypto/internal/evp_cache.h"
#include "crypto/internal/key_util.h"
#include "crypto/internal/ssl_ptr.h"

namespace accord::crypto {

using internal::ClearSslErrors;
using internal::SslPtr;

namespace {

constexpr size_t kOaepOverhead = 2 * 32 + 2;  // 2 * hLen + 2 for SHA-256

bool ConfigureOaep(EVP_PKEY_CTX* ctx) {
  return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_oaep_md(ctx, internal::Sha256Md()) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, internal::Sha256Md()) == 1;
}

}  // namespace

Result<Bytes> RsaOaepSha256Encrypt(const PublicKey& key, BytesView plaintext) {
  if (key.type() != KeyType::kRsa) {
    return PermissionDenied("RSA-OAEP needs an RSA key", "alg_key_mismatch");
  }
  const size_t modulus = static_cast<size_t>(EVP_PKEY_get_size(key.evp()));
  if (plaintext.size() + kOaepOverhead > modulus) {
    return OutOfRange("plaintext too long for RSA-OAEP-256 with this key", "too_large");
  }
  SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.evp(), nullptr));
  Bytes out(modulus);
  size_t len = out.size();
  if (ctx == nullptr || EVP_PKEY_encrypt_init(ctx.get()) != 1 || !ConfigureOaep(ctx.get()) ||
      EVP_PKEY_encrypt(ctx.get(), out.data(), &len, plaintext.data(), plaintext.size()) != 1) {
    return ClearSslErrors(Internal("RSA-OAEP encryption failed"));
  }
  out.resize(len);
  return out;
}

Result<SecretBytes> RsaOaepSha256Decrypt(const PrivateKey& key, BytesView ciphertext) {
  if (key.type() != KeyType::kRsa) {
    return PermissionDenied("RSA-OAEP needs an RSA key", "alg_key_mismatch");
  }
  // One error for every failure, whatever its cause: no padding oracle.
  const Status failed = Unauthenticated("decryption failed", "decrypt_failed");
  const size_t modulus = static_cast<size_t>(EVP_PKEY_get_size(key.evp()));
  if (ciphertext.size() != modulus) return failed;
  SslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.evp(), nullptr));
  SecretBytes out(modulus);
  size_t len = out.size();
  if (ctx == nullptr || EVP_PKEY_decrypt_init(ctx.get()) != 1 || !ConfigureOaep(ctx.get()) ||
      EVP_PKEY_decrypt(ctx.get(), out.data(), &len, ciphertext.data(), ciphertext.size()) != 1 ||
      len > modulus) {
    return ClearSslErrors(failed);
  }
  out.Truncate(len);
  return out;
}

}  // namespace accord::crypto
