// A bounded, process-wide cache of public keys that already passed PublicKey::FromComponents'
// validation, keyed by the exact components they were built from (type, curve, x, y, n, e).
//
// Why: keys from the outside world arrive as JWK JSON on every request (a DPoP proof's "jwk", a
// client's or upstream's JWKS after a refetch, a DID document key), and building an EVP_PKEY from
// components (EVP_PKEY_fromdata, a provider key-manager fetch, the point-on-curve check) costs far
// more than the signature it is then used for. The same key is usually seen many times (one DPoP
// key signs every proof of a login), so the validated EVP_PKEY is kept and shared.
//
// Equivalence: an entry is only ever made from a key that passed every check, from exactly the
// bytes of the lookup key, so a hit returns what a fresh parse of the same components would
// return. Failures are never cached: invalid input is parsed and rejected every time.
//
// Bounds: at most kPublicKeyCacheEntries keys (least recently used evicted first); components
// larger than kMaxCachedComponentBytes are not cached. Hostile input can only evict entries, which
// costs a re-parse, never a wrong answer.
//
// Thread safety: every function is safe to call concurrently (one mutex, held for the map
// operations only, never across OpenSSL calls). The EVP_PKEYs are immutable and shared, as
// PublicKey copies already share them. For src/crypto internals only.
#ifndef ACCORD_CRYPTO_INTERNAL_PUBLIC_KEY_CACHE_H_
#define ACCORD_CRYPTO_INTERNAL_PUBLIC_KEY_CACHE_H_

#include <openssl/types.h>

#include <cstddef>
#include <memory>
#include <string>

#include "crypto/keys.h"

namespace accord::crypto::internal {

inline constexpr size_t kPublicKeyCacheEntries = 1024;
// An 8192-bit RSA modulus is 1025 bytes; anything larger is rejected by validation anyway.
inline constexpr size_t kMaxCachedComponentBytes = 2048;

// The lookup key for `c`: its type, curve and every component, length-prefixed. Empty when the
// components are too large to be cached.
std::string PublicKeyCacheKey(const PublicComponents& c);

// The validated key cached under `key`, or nullptr. A hit becomes the most recently used entry.
std::shared_ptr<EVP_PKEY> FindCachedPublicKey(const std::string& key);

// Caches `pkey` (which MUST have passed PublicKey validation for exactly these components) under
// `key`, evicting the least recently used entry when full. A key already present is kept.
void CachePublicKey(const std::string& key, std::shared_ptr<EVP_PKEY> pkey);

// Number of cached keys (tests).
size_t CachedPublicKeyCount();

}  // namespace accord::crypto::internal

#endif  // ACCORD_CRYPTO_INTERNAL_PUBLIC_KEY_CACHE_H_
