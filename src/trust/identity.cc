#include "trust/identity.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "common/json.h"

namespace accord::trust {
namespace {

namespace json = boost::json;

constexpr int kFormatVersion = 1;
constexpr size_t kMaxListItems = 64;

Status Bad(std::string_view what) {
  return InvalidArgument("identity json: " + std::string(what), "bad_identity_json");
}

Status ReadString(const json::object& o, std::string_view key, std::string* out) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_string()) return Bad(std::string(key) + " must be a string");
  *out = std::string(v->as_string());
  return Status::Ok();
}

Status ReadStringList(const json::object& o, std::string_view key, std::vector<std::string>* out) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_array() || v->as_array().size() > kMaxListItems) {
    return Bad(std::string(key) + " must be an array of at most 64 strings");
  }
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) return Bad(std::string(key) + " must contain strings");
    out->emplace_back(item.as_string());
  }
  return Status::Ok();
}

}  // namespace

std::string CommonIdentity::ToJson() const {
  json::object o;
  o["v"] = kFormatVersion;
  o["upstream_id"] = upstream_id;
  o["country"] = country;
  o["trust_framework"] = trust_framework;
  o["source_name"] = source_name;
  o["source_level"] = source_level;
  o["level"] = LevelName(level);
  o["verification_time"] = verification_time;
  json::array ev;
  for (const auto& e : evidence) ev.emplace_back(e);
  o["evidence"] = std::move(ev);
  json::object attrs;
  for (const auto& [name, value] : attributes) attrs[name] = value;
  o["attributes"] = std::move(attrs);
  json::array risky;
  for (const auto& name : high_risk) risky.emplace_back(name);
  o["high_risk"] = std::move(risky);
  return json::serialize(o);
}

Result<CommonIdentity> CommonIdentity::FromJson(std::string_view text) {
  ACCORD_ASSIGN_OR_RETURN(json::object o,
                          ParseJsonObject(text, JsonLimits{.max_bytes = kMaxIdentityJsonBytes,
                                                           .max_depth = 16}));
  static constexpr std::string_view kKnown[] = {
      "v", "upstream_id", "country", "trust_framework", "source_name", "source_level", "level",
      "verification_time", "evidence", "attributes", "high_risk"};
  for (const auto& member : o) {
    bool known = false;
    for (auto k : kKnown) known = known || member.key() == k;
    if (!known) return Bad("unknown member");
  }
  const json::value* version = o.if_contains("v");
  if (version == nullptr || !version->is_int64() || version->as_int64() != kFormatVersion) {
    return Bad("unsupported version");
  }
  CommonIdentity id;
  ACCORD_RETURN_IF_ERROR(ReadString(o, "upstream_id", &id.upstream_id));
  ACCORD_RETURN_IF_ERROR(ReadString(o, "country", &id.country));
  ACCORD_RETURN_IF_ERROR(ReadString(o, "trust_framework", &id.trust_framework));
  ACCORD_RETURN_IF_ERROR(ReadString(o, "source_name", &id.source_name));
  ACCORD_RETURN_IF_ERROR(ReadString(o, "source_level", &id.source_level));
  std::string level = "none";
  ACCORD_RETURN_IF_ERROR(ReadString(o, "level", &level));
  auto parsed_level = ParseLevelName(level);
  if (!parsed_level) return Bad("level must be none, low, substantial or high");
  id.level = *parsed_level;
  if (const json::value* t = o.if_contains("verification_time")) {
    if (!t->is_int64() || t->as_int64() < 0) return Bad("verification_time must be >= 0");
    id.verification_time = t->as_int64();
  }
  ACCORD_RETURN_IF_ERROR(ReadStringList(o, "evidence", &id.evidence));
  std::vector<std::string> risky;
  ACCORD_RETURN_IF_ERROR(ReadStringList(o, "high_risk", &risky));
  id.high_risk.insert(risky.begin(), risky.end());
  if (const json::value* attrs = o.if_contains("attributes")) {
    if (!attrs->is_object() || attrs->as_object().size() > kMaxListItems) {
      return Bad("attributes must be an object of at most 64 members");
    }
    for (const auto& member : attrs->as_object()) {
      id.attributes.emplace(std::string(member.key()), member.value());
    }
  }
  if (id.upstream_id.empty()) return Bad("upstream_id is required");
  return id;
}

}  // namespace accord::trust
