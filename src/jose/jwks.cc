// Jwks (declared in jwk.h).
#include <boost/json/serialize.hpp>

#include "common/json.h"
#include "jose/jwk.h"
#include "jose/limits.h"

namespace accord::jose {

Result<Jwks> Jwks::Parse(std::string_view json) { return ParseImpl(json, false); }
Result<Jwks> Jwks::ParsePublic(std::string_view json) { return ParseImpl(json, true); }

Result<Jwks> Jwks::ParseImpl(std::string_view json, bool public_only) {
  if (json.size() > kMaxJwksBytes) return OutOfRange("JWK Set exceeds the size limit", "too_large");
  JsonLimits limits;
  limits.max_bytes = kMaxJwksBytes;
  limits.max_depth = kMaxJsonDepth;
  ACCORD_ASSIGN_OR_RETURN(boost::json::object o, ParseJsonObject(json, limits));
  const boost::json::value* keys = o.if_contains("keys");
  if (keys == nullptr || !keys->is_array()) {
    return InvalidArgument("JWK Set needs a 'keys' array", "malformed_jwk");
  }
  if (keys->as_array().size() > kMaxJwksKeys) {
    return OutOfRange("JWK Set holds too many keys", "too_many_keys");
  }
  Jwks set;
  for (const boost::json::value& v : keys->as_array()) {
    if (!v.is_object()) return InvalidArgument("JWK Set entries must be objects", "malformed_jwk");
    auto jwk = public_only ? Jwk::FromPublicJson(v.as_object()) : Jwk::FromJson(v.as_object());
    if (!jwk.ok()) {
      const std::string& reason = jwk.status().reason();
      if (reason == "unsupported_kty" || reason == "unsupported_crv") {
        ++set.skipped_;  // RFC 7517 section 5: ignore keys we do not understand
        continue;
      }
      return jwk.status();
    }
    set.keys_.push_back(std::move(*jwk));
  }
  return set;
}

Result<const Jwk*> Jwks::FindByKid(std::string_view kid) const {
  const Jwk* found = nullptr;
  for (const Jwk& k : keys_) {
    if (k.kid() != kid) continue;
    if (found != nullptr) {
      return InvalidArgument("several keys share this kid", "duplicate_kid");
    }
    found = &k;
  }
  if (found == nullptr) return NotFound("no key with this kid", "unknown_kid");
  return found;
}

std::vector<const Jwk*> Jwks::SelectForSignature(crypto::SignatureAlgorithm alg, bool signing,
                                                 std::optional<std::string_view> kid) const {
  std::vector<const Jwk*> out;
  for (const Jwk& k : keys_) {
    if (kid && !k.kid().empty() && k.kid() != *kid) continue;
    if (k.CheckForSignature(alg, signing).ok()) out.push_back(&k);
  }
  return out;
}

boost::json::object Jwks::ToPublicJsonObject() const {
  boost::json::array arr;
  for (const Jwk& k : keys_) arr.emplace_back(k.ToPublicJsonObject());
  boost::json::object o;
  o["keys"] = std::move(arr);
  return o;
}

std::string Jwks::ToPublicJson() const { return boost::json::serialize(ToPublicJsonObject()); }

Jwks Jwks::PublicOnly() const {
  Jwks out;
  for (const Jwk& k : keys_) out.keys_.push_back(k.PublicOnly());
  return out;
}

}  // namespace accord::jose
