// Bounded, strict JSON parsing for everything that comes from outside.
//
// On top of RFC 8259 (as Boost.JSON parses it: no comments, no trailing commas, valid UTF-8), the
// parser enforces a size limit, a nesting-depth limit, and by default rejects duplicate member names
// in any object (RFC 7515 section 5.2 / RFC 7519 section 4: JOSE headers and JWT claim sets with
// duplicate names must be rejected; the same rule keeps rules and config unambiguous).
//
// Thread safety: stateless; safe to call concurrently.
#ifndef ACCORD_COMMON_JSON_H_
#define ACCORD_COMMON_JSON_H_

#include <boost/json/value.hpp>
#include <cstddef>
#include <string_view>

#include "common/status.h"

namespace accord {

struct JsonLimits {
  size_t max_bytes = 1 << 20;  // 1 MiB
  size_t max_depth = 32;
  bool allow_duplicate_keys = false;  // loud opt-out; never for JOSE
};

// Parses exactly one JSON text. Errors are kInvalidArgument ("bad_json", "duplicate_key") or
// kOutOfRange ("too_large", "too_deep"); messages name no input content.
Result<boost::json::value> ParseJson(std::string_view text, const JsonLimits& limits = {});

// Parses and requires a top-level object.
Result<boost::json::object> ParseJsonObject(std::string_view text, const JsonLimits& limits = {});

}  // namespace accord

#endif  // ACCORD_COMMON_JSON_H_
