// CSPRNG (OpenSSL RAND_bytes, DRBG seeded from the OS). A failure of the system's randomness is not
// recoverable: these functions abort the process rather than return predictable bytes.
//
// Thread safety: safe to call concurrently.
#ifndef ACCORD_CRYPTO_RANDOM_H_
#define ACCORD_CRYPTO_RANDOM_H_

#include <cstddef>
#include <string>

#include "common/bytes.h"
#include "crypto/secret.h"

namespace accord::crypto {

Bytes RandomBytes(size_t n);
void RandomFill(uint8_t* out, size_t n);
SecretBytes RandomSecret(size_t n);
// n random bytes, base64url-encoded (e.g. 32 -> a 43-character opaque token).
std::string RandomToken(size_t n = 32);

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_RANDOM_H_
