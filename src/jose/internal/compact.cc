#include "jose/internal/compact.h"

#include <algorithm>
#include <array>
#include <set>

#include "common/base64url.h"
#include "common/json.h"
#include "jose/limits.h"

namespace accord::jose::internal {
namespace {

constexpr std::array<std::string_view, 11> kJwsRegistered = {
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"};
constexpr std::array<std::string_view, 9> kJweRegistered = {
    "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c"};

}  // namespace

Result<std::vector<std::string_view>> SplitCompact(std::string_view token, size_t parts,
                                                   size_t max_bytes) {
  if (token.size() > max_bytes) return OutOfRange("token exceeds the size limit", "too_large");
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t dot = token.find('.', start);
    if (dot == std::string_view::npos) {
      out.push_back(token.substr(start));
      break;
    }
    out.push_back(token.substr(start, dot - start));
    start = dot + 1;
    if (out.size() > parts) break;
  }
  if (out.size() != parts) {
    return InvalidArgument("compact serialisation must have exactly " + std::to_string(parts) +
                               " segments",
                           "malformed");
  }
  return out;
}

Result<Bytes> DecodeSegment(std::string_view segment) {
  Bytes out;
  if (!Base64UrlDecodeTo(segment, &out)) {
    return InvalidArgument("segment is not strict base64url", "bad_base64url");
  }
  return out;
}

Result<boost::json::object> ParseProtectedHeader(std::string_view encoded) {
  if (encoded.size() > kMaxHeaderBytes * 4 / 3 + 4) {
    return OutOfRange("protected header exceeds the size limit", "too_large");
  }
  ACCORD_ASSIGN_OR_RETURN(Bytes raw, DecodeSegment(encoded));
  JsonLimits limits;
  limits.max_bytes = kMaxHeaderBytes;
  limits.max_depth = kMaxJsonDepth;
  auto parsed = ParseJson(AsStringView(raw), limits);
  if (!parsed.ok()) {
    const Status& s = parsed.status();
    if (s.reason() == "duplicate_key") {
      return InvalidArgument("protected header has a duplicate member name", "duplicate_key");
    }
    if (s.code() == StatusCode::kOutOfRange) return s;
    return InvalidArgument("protected header is not valid JSON", "malformed");
  }
  if (!parsed->is_object()) {
    return InvalidArgument("protected header is not a JSON object", "malformed");
  }
  return std::move(parsed->as_object());
}

bool IsRegisteredHeader(std::string_view name, bool jwe) {
  if (std::find(kJwsRegistered.begin(), kJwsRegistered.end(), name) != kJwsRegistered.end()) {
    return true;
  }
  return jwe && std::find(kJweRegistered.begin(), kJweRegistered.end(), name) !=
                    kJweRegistered.end();
}

Status CheckCrit(const boost::json::object& header, const std::vector<std::string>& understood,
                 bool jwe) {
  if (header.contains("b64")) {
    return PermissionDenied("unencoded payloads (RFC 7797 b64) are not supported",
                            "unsupported_crit");
  }
  const boost::json::value* crit = header.if_contains("crit");
  if (crit == nullptr) return Status::Ok();
  if (!crit->is_array() || crit->as_array().empty()) {
    return InvalidArgument("crit must be a non-empty array", "malformed");
  }
  std::set<std::string_view> seen;
  for (const boost::json::value& v : crit->as_array()) {
    if (!v.is_string()) return InvalidArgument("crit entries must be strings", "malformed");
    std::string_view name = v.as_string();
    if (!seen.insert(name).second) return InvalidArgument("crit repeats a name", "malformed");
    if (IsRegisteredHeader(name, jwe)) {
      return InvalidArgument("crit names a registered header parameter", "malformed");
    }
    if (!header.contains(name)) {
      return InvalidArgument("crit names a header parameter that is absent", "malformed");
    }
    if (std::find(understood.begin(), understood.end(), name) == understood.end()) {
      return PermissionDenied("crit names an extension this verifier does not understand",
                              "unsupported_crit");
    }
  }
  return Status::Ok();
}

Result<std::optional<std::string>> OptionalString(const boost::json::object& object,
                                                  std::string_view name) {
  const boost::json::value* v = object.if_contains(name);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) {
    return InvalidArgument("member '" + std::string(name) + "' must be a string", "malformed");
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

Status CheckVerifierConfig(size_t max_bytes, const std::vector<std::string>& understood,
                           bool jwe) {
  if (max_bytes == 0 || max_bytes > kHardMaxTokenBytes) {
    return InvalidArgument("max_token_bytes must be in (0, kHardMaxTokenBytes]", "bad_limit");
  }
  for (const std::string& name : understood) {
    if (IsRegisteredHeader(name, jwe) || name == "b64") {
      return InvalidArgument("understood_crit may only name extension headers",
                             "registered_crit");
    }
  }
  return Status::Ok();
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace accord::jose::internal
