#include "crypto/constant_time.h"

#include <openssl/crypto.h>

namespace accord::crypto {

bool ConstantTimeEquals(BytesView a, BytesView b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace accord::crypto
