// Algorithm objects (EVP_MD, EVP_CIPHER, EVP_MAC) fetched explicitly from the default library context
// once, on first use, and kept for the life of the process. OpenSSL 3 implicit fetching (EVP_sha256(),
// EVP_aes_128_gcm()) repeats the provider lookup on every operation; these do it once.
//
// A fetch failure means OpenSSL is installed without its default provider: not recoverable, so the
// process aborts with a message rather than running without the algorithm.
//
// Thread safety: every function is safe to call concurrently (function-local statics); the returned
// objects are immutable and shared. For src/crypto internals only.
#ifndef ACCORD_CRYPTO_INTERNAL_EVP_CACHE_H_
#define ACCORD_CRYPTO_INTERNAL_EVP_CACHE_H_

#include <openssl/evp.h>

#include <cstddef>
#include <string_view>

#include "crypto/hash.h"

namespace accord::crypto::internal {

const EVP_MD* Md(HashAlgorithm alg);
const EVP_MD* Sha256Md();
// OpenSSL digest name ("SHA2-256", ...), as HMAC and PSS parameters take it.
const char* MdName(HashAlgorithm alg);

EVP_MAC* HmacMac();

// key_size 16, 24 or 32; nullptr for any other size.
const EVP_CIPHER* AesGcmCipher(size_t key_size);
const EVP_CIPHER* AesCbcCipher(size_t key_size);
const EVP_CIPHER* AesWrapCipher(size_t key_size);

// Prints what failed and aborts. Only for failures no input can cause (allocation, a missing
// default provider).
[[noreturn]] void FatalSslError(std::string_view what);

}  // namespace accord::crypto::internal

#endif  // ACCORD_CRYPTO_INTERNAL_EVP_CACHE_H_
