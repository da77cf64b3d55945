// Test-only: loads known-answer vectors from tests/vectors/crypto/*.json (see each file's "source").
#ifndef ACCORD_CRYPTO_INTERNAL_TEST_VECTORS_H_
#define ACCORD_CRYPTO_INTERNAL_TEST_VECTORS_H_

#include <boost/json/object.hpp>
#include <string_view>

#include "common/bytes.h"
#include "crypto/keys.h"

namespace accord::crypto::testing {

// Parses tests/vectors/crypto/<name>; fails the current test (and returns an empty object) when
// the file is missing or malformed.
boost::json::object LoadVectors(std::string_view name);

// Hex-decodes obj[key]; fails the current test when absent or not hex.
Bytes HexField(const boost::json::object& obj, std::string_view key);

// Keys generated once per test binary (RSA generation is slow, especially under ASan).
const PrivateKey& CachedRsaKey();      // 2048 bits
const PrivateKey& CachedOtherRsaKey();  // a second, different 2048-bit key

}  // namespace accord::crypto::testing

#endif  // ACCORD_CRYPTO_INTERNAL_TEST_VECTORS_H_
