// One RAII owner per OpenSSL type (after tink/internal/ssl_unique_ptr.h). Every OpenSSL object created
// in src/crypto is held by one of these from the moment it is returned, so no error path leaks.
//
// For src/crypto internals only.
#ifndef ACCORD_CRYPTO_INTERNAL_SSL_PTR_H_
#define ACCORD_CRYPTO_INTERNAL_SSL_PTR_H_

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include <memory>

namespace accord::crypto::internal {

template <typename T>
struct SslDeleter;

#define ACCORD_SSL_DELETER_(type, free_fn) \
  template <>                              \
  struct SslDeleter<type> {                \
    void operator()(type* p) const { free_fn(p); } \
  }

ACCORD_SSL_DELETER_(EVP_PKEY, EVP_PKEY_free);
ACCORD_SSL_DELETER_(EVP_PKEY_CTX, EVP_PKEY_CTX_free);
ACCORD_SSL_DELETER_(EVP_MD_CTX, EVP_MD_CTX_free);
ACCORD_SSL_DELETER_(EVP_CIPHER_CTX, EVP_CIPHER_CTX_free);
ACCORD_SSL_DELETER_(EVP_MD, EVP_MD_free);
ACCORD_SSL_DELETER_(EVP_CIPHER, EVP_CIPHER_free);
ACCORD_SSL_DELETER_(EVP_MAC, EVP_MAC_free);
ACCORD_SSL_DELETER_(EVP_MAC_CTX, EVP_MAC_CTX_free);
ACCORD_SSL_DELETER_(OSSL_PARAM_BLD, OSSL_PARAM_BLD_free);
ACCORD_SSL_DELETER_(OSSL_PARAM, OSSL_PARAM_free);
ACCORD_SSL_DELETER_(BIGNUM, BN_clear_free);  // clears: BIGNUMs here often hold private scalars
ACCORD_SSL_DELETER_(BIO, BIO_free_all);
ACCORD_SSL_DELETER_(ECDSA_SIG, ECDSA_SIG_free);

#undef ACCORD_SSL_DELETER_

template <typename T>
using SslPtr = std::unique_ptr<T, SslDeleter<T>>;

// For OSSL_PARAM arrays that hold private key material (OpenSSL 3.0 has no OSSL_PARAM_clear_free):
// zeroises every parameter's data, then frees the array.
struct SecretParamsDeleter {
  void operator()(OSSL_PARAM* params) const;
};
using SecretParamsPtr = std::unique_ptr<OSSL_PARAM, SecretParamsDeleter>;

// Shared ownership of an EVP_PKEY (PublicKey / PrivateKey copies share one).
inline std::shared_ptr<EVP_PKEY> SharePkey(SslPtr<EVP_PKEY> pkey) {
  return std::shared_ptr<EVP_PKEY>(pkey.release(), SslDeleter<EVP_PKEY>());
}

}  // namespace accord::crypto::internal

#endif  // ACCORD_CRYPTO_INTERNAL_SSL_PTR_H_
