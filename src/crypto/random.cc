#include "crypto/random.h"

#include <openssl/rand.h>

#include <algorithm>
#include <climits>

#include "common/base64url.h"
#include "crypto/internal/evp_cache.h"

namespace accord::crypto {

void RandomFill(uint8_t* out, size_t n) {
  while (n > 0) {
    const int chunk = static_cast<int>(std::min<size_t>(n, INT_MAX));
    if (RAND_bytes(out, chunk) != 1) internal::FatalSslError("RAND_bytes");
    out += chunk;
    n -= static_cast<size_t>(chunk);
  }
}

Bytes RandomBytes(size_t n) {
  Bytes out(n);
  RandomFill(out.data(), n);
  return out;
}

SecretBytes RandomSecret(size_t n) {
  SecretBytes out(n);
  RandomFill(out.data(), n);
  return out;
}

std::string RandomToken(size_t n) { return Base64UrlEncode(RandomBytes(n)); }

}  // namespace accord::crypto
