// Test helpers for src/jose: known-answer vector files (tests/vectors/jose) and cached keys.
#ifndef ACCORD_JOSE_TEST_UTIL_H_
#define ACCORD_JOSE_TEST_UTIL_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "jose/jwk.h"

namespace accord::jose::testing {

// Parses tests/vectors/jose/<name>; aborts the test binary if the file is missing or invalid.
boost::json::object LoadVector(std::string_view name);
std::string Str(const boost::json::value& v);  // the string member's text
Jwk ParseJwkOrDie(const boost::json::value& v);

// Freshly generated keys (RSA generated once per process and cached) with the given kid.
Jwk RsaKey(std::string kid = "rsa-1");
Jwk EcKey(crypto::Curve curve, std::string kid = "ec-1");
Jwk OkpKey(crypto::Curve curve, std::string kid = "okp-1");

// Re-encodes a compact token's first segment (the protected header) after `edit` changes it.
std::string EditHeader(std::string_view token,
                       void (*edit)(boost::json::object& header));
// Flips one character of segment `index` of a compact token (keeping it valid base64url).
std::string TamperSegment(std::string_view token, size_t index);

}  // namespace accord::jose::testing

#endif  // ACCORD_JOSE_TEST_UTIL_H_
