// crypto_count: an LD_PRELOAD library that counts the public-key operations a process asks
// OpenSSL for, so bench/broker/run.sh can state the crypto cost of one brokered login from the
// operations actually done (not from a hand count) and set it against `openssl speed`.
//
// It interposes the EVP entry points src/crypto calls (EVP_PKEY_sign / EVP_PKEY_verify for ECDSA
// and RSA, EVP_DigestSign / EVP_DigestVerify for Ed25519, EVP_PKEY_derive for ECDH,
// EVP_PKEY_generate, EVP_PKEY_encrypt / EVP_PKEY_decrypt for RSA-OAEP, and the key checks done
// when a key is imported), forwards each call to the real function (dlsym RTLD_NEXT) and counts
// the successful ones by operation and key type. Size queries (a null output buffer) are not
// counted. At exit the counts are appended, one "name count" line each, to the file named by
// ACCORD_CRYPTO_COUNT_FILE (nothing is written without it).
//
// Thread safety: counters are relaxed atomics. Not part of Accord; used by the benchmark only.
#include <dlfcn.h>
#include <openssl/evp.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace {

enum Op { kSign, kVerify, kDerive, kGenerate, kEncrypt, kDecrypt, kPairwiseCheck, kPublicCheck,
          kOpCount };
enum KeyType { kEc, kRsa, kEd25519, kOther, kKeyCount };

constexpr const char* kOpNames[kOpCount] = {"sign",    "verify",  "derive",         "generate",
                                            "encrypt", "decrypt", "pairwise_check", "public_check"};
constexpr const char* kKeyNames[kKeyCount] = {"ec", "rsa", "ed25519", "other"};

std::atomic<long> counts[kOpCount][kKeyCount];

KeyType TypeOf(const EVP_PKEY* key) {
  if (key == nullptr) return kOther;
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC: return kEc;
    case EVP_PKEY_RSA: case EVP_PKEY_RSA_PSS: return kRsa;
    case EVP_PKEY_ED25519: return kEd25519;
    default: return kOther;
  }
}

KeyType TypeOf(EVP_PKEY_CTX* ctx) { return TypeOf(EVP_PKEY_CTX_get0_pkey(ctx)); }

KeyType TypeOf(EVP_MD_CTX* ctx) { return TypeOf(EVP_PKEY_CTX_get0_pkey(EVP_MD_CTX_get_pkey_ctx(ctx))); }

void Count(Op op, KeyType type, int rc) {
  if (rc == 1) counts[op][type].fetch_add(1, std::memory_order_relaxed);
}

template <typename F>
F Real(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

struct Dump {
  ~Dump() {
    const char* path = std::getenv("ACCORD_CRYPTO_COUNT_FILE");
    if (path == nullptr) return;
    FILE* f = std::fopen(path, "a");
    if (f == nullptr) return;
    for (int o = 0; o < kOpCount; ++o) {
      for (int k = 0; k < kKeyCount; ++k) {
        long n = counts[o][k].load();
        if (n != 0) std::fprintf(f, "%s_%s %ld\n", kOpNames[o], kKeyNames[k], n);
      }
    }
    std::fclose(f);
  }
} dump;

}  // namespace

extern "C" {

int EVP_PKEY_sign(EVP_PKEY_CTX* ctx, unsigned char* sig, size_t* siglen, const unsigned char* tbs,
                  size_t tbslen) {
  static auto real = Real<decltype(&EVP_PKEY_sign)>("EVP_PKEY_sign");
  int rc = real(ctx, sig, siglen, tbs, tbslen);
  if (sig != nullptr) Count(kSign, TypeOf(ctx), rc);
  return rc;
}

int EVP_PKEY_verify(EVP_PKEY_CTX* ctx, const unsigned char* sig, size_t siglen,
                    const unsigned char* tbs, size_t tbslen) {
  static auto real = Real<decltype(&EVP_PKEY_verify)>("EVP_PKEY_verify");
  int rc = real(ctx, sig, siglen, tbs, tbslen);
  // A failed verification costs the same work: count every completed call.
  if (rc >= 0) Count(kVerify, TypeOf(ctx), 1);
  return rc;
}

int EVP_DigestSign(EVP_MD_CTX* ctx, unsigned char* sig, size_t* siglen, const unsigned char* tbs,
                   size_t tbslen) {
  static auto real = Real<decltype(&EVP_DigestSign)>("EVP_DigestSign");
  int rc = real(ctx, sig, siglen, tbs, tbslen);
  if (sig != nullptr) Count(kSign, TypeOf(ctx), rc);
  return rc;
}

int EVP_DigestVerify(EVP_MD_CTX* ctx, const unsigned char* sig, size_t siglen,
                     const unsigned char* tbs, size_t tbslen) {
  static auto real = Real<decltype(&EVP_DigestVerify)>("EVP_DigestVerify");
  int rc = real(ctx, sig, siglen, tbs, tbslen);
  if (rc >= 0) Count(kVerify, TypeOf(ctx), 1);
  return rc;
}

int EVP_PKEY_derive(EVP_PKEY_CTX* ctx, unsigned char* key, size_t* keylen) {
  static auto real = Real<decltype(&EVP_PKEY_derive)>("EVP_PKEY_derive");
  int rc = real(ctx, key, keylen);
  if (key != nullptr) Count(kDerive, TypeOf(ctx), rc);
  return rc;
}

int EVP_PKEY_generate(EVP_PKEY_CTX* ctx, EVP_PKEY** ppkey) {
  static auto real = Real<decltype(&EVP_PKEY_generate)>("EVP_PKEY_generate");
  int rc = real(ctx, ppkey);
  if (rc == 1 && ppkey != nullptr) Count(kGenerate, TypeOf(*ppkey), rc);
  return rc;
}

int EVP_PKEY_encrypt(EVP_PKEY_CTX* ctx, unsigned char* out, size_t* outlen,
                     const unsigned char* in, size_t inlen) {
  static auto real = Real<decltype(&EVP_PKEY_encrypt)>("EVP_PKEY_encrypt");
  int rc = real(ctx, out, outlen, in, inlen);
  if (out != nullptr) Count(kEncrypt, TypeOf(ctx), rc);
  return rc;
}

int EVP_PKEY_decrypt(EVP_PKEY_CTX* ctx, unsigned char* out, size_t* outlen,
                     const unsigned char* in, size_t inlen) {
  static auto real = Real<decltype(&EVP_PKEY_decrypt)>("EVP_PKEY_decrypt");
  int rc = real(ctx, out, outlen, in, inlen);
  if (out != nullptr) Count(kDecrypt, TypeOf(ctx), rc);
  return rc;
}

int EVP_PKEY_pairwise_check(EVP_PKEY_CTX* ctx) {
  static auto real = Real<decltype(&EVP_PKEY_pairwise_check)>("EVP_PKEY_pairwise_check");
  int rc = real(ctx);
  Count(kPairwiseCheck, TypeOf(ctx), rc);
  return rc;
}

int EVP_PKEY_public_check_quick(EVP_PKEY_CTX* ctx) {
  static auto real = Real<decltype(&EVP_PKEY_public_check_quick)>("EVP_PKEY_public_check_quick");
  int rc = real(ctx);
  Count(kPublicCheck, TypeOf(ctx), rc);
  return rc;
}

}  // extern "C"
