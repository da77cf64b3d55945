// application/x-www-form-urlencoded parsing (WHATWG URL "urlencoded parser", RFC 6749 appendix B).
//
// OAuth 2.0 (RFC 6749 section 3.1) says request parameters MUST NOT be included more than once, so
// Params keeps every occurrence in order and lets callers detect repeats (GetUnique,
// FirstDuplicate) instead of silently keeping the first or last value.
//
// Unlike the lenient WHATWG algorithm, malformed percent-encoding ("%zz", a trailing "%") is an
// error: a security protocol should not guess what the sender meant.
//
// Thread safety: value types and pure functions.
#ifndef ACCORD_HTTP_FORM_H_
#define ACCORD_HTTP_FORM_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace accord::http {

// Ordered name/value pairs with duplicates kept (query parameters, form bodies).
class Params {
 public:
  using Param = std::pair<std::string, std::string>;

  void Add(std::string name, std::string value) {
    params_.emplace_back(std::move(name), std::move(value));
  }
  // First value named `name` (names compare exactly), or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  // The single value of `name`: NotFound (reason "missing_parameter") when absent,
  // InvalidArgument (reason "duplicate_parameter") when repeated.
  Result<std::string_view> GetUnique(std::string_view name) const;
  size_t Count(std::string_view name) const;
  // The first name that occurs more than once, or nullopt.
  std::optional<std::string_view> FirstDuplicate() const;

  size_t size() const { return params_.size(); }
  bool empty() const { return params_.empty(); }
  std::vector<Param>::const_iterator begin() const { return params_.begin(); }
  std::vector<Param>::const_iterator end() const { return params_.end(); }

 private:
  std::vector<Param> params_;
};

struct FormLimits {
  size_t max_bytes = 64 * 1024;
  size_t max_params = 256;
};

// Parses `body` as application/x-www-form-urlencoded: '&'-separated, the first '=' splits name from
// value, '+' is a space, %XX is a byte. Empty sequences ("a=1&&b=2") are skipped. Errors
// (InvalidArgument): "bad_encoding" for malformed percent-encoding, "too_large" beyond limits.
Result<Params> ParseForm(std::string_view body, const FormLimits& limits = {});

// Decodes one form component ('+' as space, %XX). Returns nullopt on malformed percent-encoding.
std::optional<std::string> FormDecode(std::string_view component);

// Encodes a component for a form body or a query string (unreserved bytes kept, space as '+').
std::string FormEncode(std::string_view component);

// True when the Content-Type value names application/x-www-form-urlencoded (parameters such as
// "; charset=UTF-8" are allowed; the media type compares case-insensitively).
bool IsFormContentType(std::string_view content_type);

}  // namespace accord::http

#endif  // ACCORD_HTTP_FORM_H_
