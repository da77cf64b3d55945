#include "crypto/internal/evp_cache.h"

#include <openssl/err.h>

#include <cstdio>
#include <cstdlib>

namespace accord::crypto::internal {
namespace {

const EVP_MD* FetchMd(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) FatalSslError(name);
  return md;  // Intentionally kept for the life of the process.
}

const EVP_CIPHER* FetchCipher(const char* name) {
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, name, nullptr);
  if (cipher == nullptr) FatalSslError(name);
  return cipher;
}

// Picks one of three ciphers by AES key size.
const EVP_CIPHER* ByKeySize(size_t key_size, const EVP_CIPHER* aes128, const EVP_CIPHER* aes192,
                            const EVP_CIPHER* aes256) {
  switch (key_size) {
    case 16:
      return aes128;
    case 24:
      return aes192;
    case 32:
      return aes256;
    default:
      return nullptr;
  }
}

}  // namespace

void FatalSslError(std::string_view what) {
  std::fprintf(stderr, "accord: fatal OpenSSL failure: %.*s\n", static_cast<int>(what.size()),
               what.data());
  ERR_print_errors_fp(stderr);
  std::abort();
}

const EVP_MD* Sha256Md() {
  static const EVP_MD* const md = FetchMd("SHA2-256");
  return md;
}

const EVP_MD* Md(HashAlgorithm alg) {
  static const EVP_MD* const sha384 = FetchMd("SHA2-384");
  static const EVP_MD* const sha512 = FetchMd("SHA2-512");
  switch (alg) {
    case HashAlgorithm::kSha256:
      return Sha256Md();
    case HashAlgorithm::kSha384:
      return sha384;
    case HashAlgorithm::kSha512:
      return sha512;
  }
  FatalSslError("unknown hash algorithm");
}

const char* MdName(HashAlgorithm alg) {
  switch (alg) {
    case HashAlgorithm::kSha256:
      return "SHA2-256";
    case HashAlgorithm::kSha384:
      return "SHA2-384";
    case HashAlgorithm::kSha512:
      return "SHA2-512";
  }
  FatalSslError("unknown hash algorithm");
}

EVP_MAC* HmacMac() {
  static EVP_MAC* const mac = [] {
    EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (m == nullptr) FatalSslError("HMAC");
    return m;
  }();
  return mac;
}

const EVP_CIPHER* AesGcmCipher(size_t key_size) {
  static const EVP_CIPHER* const a128 = FetchCipher("AES-128-GCM");
  static const EVP_CIPHER* const a192 = FetchCipher("AES-192-GCM");
  static const EVP_CIPHER* const a256 = FetchCipher("AES-256-GCM");
  return ByKeySize(key_size, a128, a192, a256);
}

const EVP_CIPHER* AesCbcCipher(size_t key_size) {
  static const EVP_CIPHER* const a128 = FetchCipher("AES-128-CBC");
  static const EVP_CIPHER* const a192 = FetchCipher("AES-192-CBC");
  static const EVP_CIPHER* const a256 = FetchCipher("AES-256-CBC");
  return ByKeySize(key_size, a128, a192, a256);
}

const EVP_CIPHER* AesWrapCipher(size_t key_size) {
  static const EVP_CIPHER* const a128 = FetchCipher("AES-128-WRAP");
  static const EVP_CIPHER* const a192 = FetchCipher("AES-192-WRAP");
  static const EVP_CIPHER* const a256 = FetchCipher("AES-256-WRAP");
  return ByKeySize(key_size, a128, a192, a256);
}

}  // namespace accord::crypto::internal
