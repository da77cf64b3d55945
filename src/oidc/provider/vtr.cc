#include "oidc/provider/vtr.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "common/json.h"

namespace accord::oidc {
namespace {

Status Invalid(std::string message) { return InvalidArgument(std::move(message), "invalid_request"); }

}  // namespace

Result<TrustVector> ParseTrustVector(std::string_view text) {
  if (text.empty() || text.size() > 32) return Invalid("vtr: a vector must be 1 to 32 characters");
  std::vector<std::string_view> parts;
  while (true) {
    size_t dot = text.find('.');
    parts.push_back(text.substr(0, dot));
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  TrustVector v;
  size_t i = 0;
  if (i < parts.size() && parts[i] == "Cl") {
    v.credential = "Cl";
    ++i;
    if (i < parts.size() && parts[i] == "Cm") {
      v.credential = "Cl.Cm";
      ++i;
    }
  }
  if (i < parts.size() && (parts[i] == "P1" || parts[i] == "P2")) {
    v.identity = std::string(parts[i]);
    ++i;
  }
  if (i != parts.size()) {
    return Invalid("vtr: unknown or misplaced component " + std::string(parts[i]).substr(0, 8));
  }
  if (v.credential.empty() && v.identity.empty()) return Invalid("vtr: empty vector");
  if (v.credential.empty()) v.credential = "Cl.Cm";  // identity-only vector implies Cl.Cm
  if (v.identity == "P2" && v.credential != "Cl.Cm") return Invalid("vtr: P2 needs Cl.Cm");
  return v;
}

Result<std::vector<TrustVector>> ParseVtr(std::string_view json) {
  if (json.size() > kMaxVtrBytes) return Invalid("vtr too long");
  JsonLimits limits;
  limits.max_bytes = kMaxVtrBytes;
  limits.max_depth = 2;
  auto parsed = ParseJson(json, limits);
  if (!parsed.ok() || !parsed->is_array()) return Invalid("vtr must be a JSON array of strings");
  const auto& arr = parsed->get_array();
  if (arr.empty() || arr.size() > kMaxVectors) return Invalid("vtr must hold 1 to 4 vectors");
  std::vector<TrustVector> out;
  for (const auto& item : arr) {
    if (!item.is_string()) return Invalid("vtr must be a JSON array of strings");
    ACCORD_ASSIGN_OR_RETURN(TrustVector v, ParseTrustVector(item.get_string()));
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::string> NormalizeVtr(std::string_view json) {
  if (json.empty()) return std::string(kDefaultVtr);
  ACCORD_ASSIGN_OR_RETURN(std::vector<TrustVector> vectors, ParseVtr(json));
  boost::json::array arr;
  for (const auto& v : vectors) arr.emplace_back(v.ToString());
  return boost::json::serialize(arr);
}

}  // namespace accord::oidc
