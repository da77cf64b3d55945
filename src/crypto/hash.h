// SHA-2 digests and HMAC through OpenSSL 3 EVP (EVP_MD / EVP_MAC fetched once and cached).
//
// Thread safety: free functions are safe to call concurrently; a Sha256Hasher instance is not.
#ifndef ACCORD_CRYPTO_HASH_H_
#define ACCORD_CRYPTO_HASH_H_

#include <array>
#include <cstdint>
#include <memory>

#include "common/bytes.h"
#include "common/status.h"

namespace accord::crypto {

enum class HashAlgorithm { kSha256, kSha384, kSha512 };

size_t DigestSize(HashAlgorithm alg);  // 32, 48, 64
Bytes Hash(HashAlgorithm alg, BytesView data);
std::array<uint8_t, 32> Sha256(BytesView data);

// HMAC (RFC 2104). Any key length is accepted by HMAC itself; callers enforce their own minimums.
Bytes Hmac(HashAlgorithm alg, BytesView key, BytesView data);

// Incremental SHA-256 for hashing pieces without concatenating them (Merkle leaves and nodes).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(BytesView data);
  // Returns the digest and resets the hasher for reuse.
  std::array<uint8_t, 32> Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_HASH_H_
