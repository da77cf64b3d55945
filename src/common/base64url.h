// base64url without padding (RFC 4648 section 5, as JOSE uses it: RFC 7515 section 2).
//
// Decoding is strict: padding ('='), whitespace and characters outside the URL-safe alphabet are
// rejected, as are lengths of 1 mod 4 and non-zero trailing bits (non-canonical encodings), so each
// byte string has exactly one accepted encoding.
#ifndef ACCORD_COMMON_BASE64URL_H_
#define ACCORD_COMMON_BASE64URL_H_

#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/status.h"

namespace accord {

std::string Base64UrlEncode(BytesView data);
inline std::string Base64UrlEncode(std::string_view data) { return Base64UrlEncode(AsBytes(data)); }

// Appends to *out; returns false (leaving *out unspecified) on any invalid input.
bool Base64UrlDecodeTo(std::string_view encoded, Bytes* out);
Result<Bytes> Base64UrlDecode(std::string_view encoded);

// Standard base64 with padding (RFC 4648 section 4), for PEM bodies, x5c and HTTP Basic.
std::string Base64Encode(BytesView data);
Result<Bytes> Base64Decode(std::string_view encoded);

}  // namespace accord

#endif  // ACCORD_COMMON_BASE64URL_H_
