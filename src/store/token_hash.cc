#include "store/token_hash.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace accord::store {

TokenHash HashToken(std::string_view token) {
  TokenHash out(kTokenHashSize);
  unsigned int len = 0;
  // EVP_Digest with a built-in digest only fails on allocation failure, which is fatal anyway.
  if (EVP_Digest(token.data(), token.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != kTokenHashSize) {
    std::abort();
  }
  return out;
}

}  // namespace accord::store
