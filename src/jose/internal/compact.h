// Helpers shared by the JWS and JWE code: compact-serialisation splitting, strict segment
// decoding, protected-header parsing and "crit" processing (RFC 7515 sections 4.1.11, 7.1;
// RFC 7516 section 7.1). Internal to src/jose.
//
// Thread safety: stateless.
#ifndef ACCORD_JOSE_INTERNAL_COMPACT_H_
#define ACCORD_JOSE_INTERNAL_COMPACT_H_

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"

namespace accord::jose::internal {

// OutOfRange "too_large" when token.size() > max_bytes; InvalidArgument "malformed" unless the
// token has exactly `parts` '.'-separated segments.
Result<std::vector<std::string_view>> SplitCompact(std::string_view token, size_t parts,
                                                   size_t max_bytes);

// Strict base64url (no padding, canonical); InvalidArgument "bad_base64url".
Result<Bytes> DecodeSegment(std::string_view segment);

// Decodes and parses a protected header: a JSON object of at most kMaxHeaderBytes, no duplicate
// member names ("duplicate_key"); anything else is "malformed".
Result<boost::json::object> ParseProtectedHeader(std::string_view encoded);

// True for header names registered by RFC 7515/7516/7518 (JWE ones when `jwe`).
bool IsRegisteredHeader(std::string_view name, bool jwe);

// Processes "crit": absent is fine; otherwise it must be a non-empty array of distinct strings,
// each naming a non-registered header present in `header` ("malformed"), and each must be in
// `understood` (PermissionDenied "unsupported_crit"). A "b64" member (RFC 7797) is always
// "unsupported_crit".
Status CheckCrit(const boost::json::object& header, const std::vector<std::string>& understood,
                 bool jwe);

// Optional string member: nullopt when absent; InvalidArgument "malformed" when not a string.
Result<std::optional<std::string>> OptionalString(const boost::json::object& object,
                                                  std::string_view name);

// Validates a caller's configuration: 0 < max_bytes <= kHardMaxTokenBytes ("bad_limit") and no
// registered header in `understood` ("registered_crit").
Status CheckVerifierConfig(size_t max_bytes, const std::vector<std::string>& understood, bool jwe);

// ASCII case-insensitive equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace accord::jose::internal

#endif  // ACCORD_JOSE_INTERNAL_COMPACT_H_
