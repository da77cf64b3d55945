#include "crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/internal/evp_cache.h"
#include "crypto/internal/ssl_ptr.h"

namespace accord::crypto {

using internal::FatalSslError;
using internal::SslPtr;

size_t DigestSize(HashAlgorithm alg) {
  switch (alg) {
    case HashAlgorithm::kSha256:
      return 32;
    case HashAlgorithm::kSha384:
      return 48;
    case HashAlgorithm::kSha512:
      return 64;
  }
  return 0;
}

Bytes Hash(HashAlgorithm alg, BytesView data) {
  Bytes out(DigestSize(alg));
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, internal::Md(alg), nullptr) != 1 ||
      len != out.size()) {
    FatalSslError("EVP_Digest");
  }
  return out;
}

std::array<uint8_t, 32> Sha256(BytesView data) {
  std::array<uint8_t, 32> out;
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, internal::Sha256Md(), nullptr) != 1 ||
      len != out.size()) {
    FatalSslError("EVP_Digest");
  }
  return out;
}

Bytes Hmac(HashAlgorithm alg, BytesView key, BytesView data) {
  SslPtr<EVP_MAC_CTX> ctx(EVP_MAC_CTX_new(internal::HmacMac()));
  if (ctx == nullptr) FatalSslError("EVP_MAC_CTX_new");
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                       const_cast<char*>(internal::MdName(alg)), 0),
      OSSL_PARAM_construct_end()};
  // HMAC accepts an empty key; OpenSSL wants a non-null pointer for it.
  static const uint8_t kEmpty = 0;
  const uint8_t* key_data = key.empty() ? &kEmpty : key.data();
  Bytes out(DigestSize(alg));
  size_t len = 0;
  if (EVP_MAC_init(ctx.get(), key_data, key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1 || len != out.size()) {
    FatalSslError("HMAC");
  }
  return out;
}

struct Sha256Hasher::Impl {
  SslPtr<EVP_MD_CTX> ctx;
};

Sha256Hasher::Sha256Hasher() : impl_(std::make_unique<Impl>()) {
  impl_->ctx.reset(EVP_MD_CTX_new());
  if (impl_->ctx == nullptr || EVP_DigestInit_ex2(impl_->ctx.get(), internal::Sha256Md(), nullptr) != 1) {
    FatalSslError("EVP_DigestInit_ex2");
  }
}

Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::Update(BytesView data) {
  if (EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()) != 1) {
    FatalSslError("EVP_DigestUpdate");
  }
}

std::array<uint8_t, 32> Sha256Hasher::Finish() {
  std::array<uint8_t, 32> out;
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(impl_->ctx.get(), out.data(), &len) != 1 || len != out.size() ||
      EVP_DigestInit_ex2(impl_->ctx.get(), nullptr, nullptr) != 1) {
    FatalSslError("EVP_DigestFinal_ex");
  }
  return out;
}

}  // namespace accord::crypto
