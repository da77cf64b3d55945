// Helpers shared by keys.cc, private_key.cc and the operations that use keys.
//
// For src/crypto internals only.
#ifndef ACCORD_CRYPTO_INTERNAL_KEY_UTIL_H_
#define ACCORD_CRYPTO_INTERNAL_KEY_UTIL_H_

#include <openssl/evp.h>

#include <string_view>
#include <utility>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/internal/ssl_ptr.h"
#include "crypto/keys.h"

namespace accord::crypto::internal {

inline constexpr int kMinRsaBits = 2048;
// Upper bound so a hostile JWKS cannot make every verification arbitrarily slow.
inline constexpr int kMaxRsaBits = 8192;
// PEM input bound (an 8192-bit RSA PKCS#8 PEM is about 6.5 KiB).
inline constexpr size_t kMaxPemSize = 64 * 1024;

// Clears OpenSSL's thread-local error queue so a failure here cannot surface in a later, unrelated
// call, and returns `status` unchanged.
Status ClearSslErrors(Status status);

// OpenSSL group name ("prime256v1", ...) for an EC curve; nullptr for non-EC curves.
const char* EcGroupName(Curve curve);

// Type and curve of a key OpenSSL produced (PEM decoding, generation). Only the key types of keys.h
// are accepted (InvalidArgument "unsupported_key" otherwise).
Result<std::pair<KeyType, Curve>> IdentifyKey(const EVP_PKEY* pkey);

// The checks every public key passes (keys.h): EC point validity, RSA size and exponent.
Status CheckPublicKey(EVP_PKEY* pkey, KeyType type, Curve curve);

// A new EVP_PKEY holding only the public half of `pkey`.
Result<SslPtr<EVP_PKEY>> PublicOnly(EVP_PKEY* pkey, KeyType type);

// Builds a key with EVP_PKEY_fromdata ("EC", "RSA", ...); selection is EVP_PKEY_PUBLIC_KEY or
// EVP_PKEY_KEYPAIR.
Result<SslPtr<EVP_PKEY>> KeyFromData(const char* type_name, int selection, OSSL_PARAM* params);

// Reads a BIGNUM parameter as big-endian bytes; pad_to = 0 means minimal length.
bool GetBnParam(const EVP_PKEY* pkey, const char* name, size_t pad_to, Bytes* out);

// A BIGNUM from big-endian bytes; `secure` allocates it on the secure heap.
SslPtr<BIGNUM> BnFromBytes(BytesView bytes, bool secure);

// The PEM body between "-----BEGIN <label>-----" and the matching END line must be the only content
// (surrounding whitespace allowed); InvalidArgument "bad_pem" otherwise.
Status CheckPemLabel(std::string_view pem, std::string_view label);

}  // namespace accord::crypto::internal

#endif  // ACCORD_CRYPTO_INTERNAL_KEY_UTIL_H_
