// Per-key ECDSA operation contexts: initialised once per key and duplicated for each operation.
// EVP_PKEY_CTX_new_from_pkey + EVP_PKEY_sign_init / EVP_PKEY_verify_init cost about 1.4 us every
// time in OpenSSL 3.0 (a key-manager name lookup and a signature algorithm fetch), duplicating an
// initialised context about 0.1 us; a token request makes two or three of these operations.
// The KeyOps of a key object is shared by its copies (crypto/keys.h).
//
// Thread safety: each prototype is created once (std::call_once) and then only read;
// EVP_PKEY_CTX_dup takes its source as const and copies it, so concurrent duplicates of one
// prototype are safe (openssl-threads(7): objects not being modified may be shared).
// For src/crypto internals only.
#ifndef ACCORD_CRYPTO_INTERNAL_KEY_OPS_H_
#define ACCORD_CRYPTO_INTERNAL_KEY_OPS_H_

#include <openssl/evp.h>

#include <mutex>

#include "crypto/internal/ssl_ptr.h"

namespace accord::crypto::internal {

struct KeyOps {
  std::once_flag sign_once, verify_once;
  SslPtr<EVP_PKEY_CTX> sign, verify;  // initialised prototypes; null when their set-up failed
};

// A context ready for EVP_PKEY_sign / EVP_PKEY_verify with `pkey` (the key `ops` belongs to), or
// null when OpenSSL cannot set one up.
SslPtr<EVP_PKEY_CTX> NewSignContext(KeyOps& ops, EVP_PKEY* pkey);
SslPtr<EVP_PKEY_CTX> NewVerifyContext(KeyOps& ops, EVP_PKEY* pkey);

}  // namespace accord::crypto::internal

#endif  // ACCORD_CRYPTO_INTERNAL_KEY_OPS_H_
