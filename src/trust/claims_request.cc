#include "trust/claims_request.h"

#include <boost/json/object.hpp>

#include "common/json.h"

namespace accord::trust {
namespace {

namespace json = boost::json;

constexpr size_t kMaxValues = 16;
constexpr size_t kMinPurpose = 3, kMaxPurpose = 300;

// Member names come from outside: shown truncated and printable only.
std::string Shown(std::string_view name) {
  std::string out;
  for (char ch : name.substr(0, 64)) out.push_back(ch >= 0x20 && ch < 0x7f ? ch : '?');
  return out;
}

Status Bad(std::string_view where, std::string_view problem) {
  return InvalidArgument("claims request: " + std::string(where) + ": " + std::string(problem),
                         "bad_claims_request");
}

// OIDC Core 5.5.1: null, or an object with optional essential, value, values (and IDA's purpose).
Status ParseClaim(std::string_view where, std::string_view name, const json::value& v,
                  ClaimRequest* out) {
  out->name = std::string(name);
  if (v.is_null()) return Status::Ok();
  const json::object* o = v.if_object();
  if (o == nullptr) return Bad(where, "must be null or an object");
  if (const json::value* e = o->if_contains("essential")) {
    if (!e->is_bool()) return Bad(where, "essential must be a boolean");
    out->essential = e->as_bool();
  }
  const json::value* value = o->if_contains("value");
  const json::value* values = o->if_contains("values");
  if (value != nullptr && values != nullptr) return Bad(where, "both value and values");
  if (value != nullptr) out->values.push_back(*value);
  if (values != nullptr) {
    if (!values->is_array() || values->as_array().empty() || values->as_array().size() > kMaxValues) {
      return Bad(where, "values must be an array of 1 to 16 entries");
    }
    for (const auto& item : values->as_array()) out->values.push_back(item);
  }
  if (const json::value* p = o->if_contains("purpose")) {
    if (!p->is_string() || p->as_string().size() < kMinPurpose || p->as_string().size() > kMaxPurpose) {
      return Bad(where, "purpose must be a string of 3 to 300 characters");
    }
    out->purpose = std::string(p->as_string());
  }
  return Status::Ok();
}

// verification.trust_framework / assurance_level: null or {value|values} of strings.
Status ParseConstraint(std::string_view where, const json::object& verification,
                       std::string_view name, std::vector<std::string>* out) {
  const json::value* v = verification.if_contains(name);
  if (v == nullptr) return Status::Ok();
  std::string w = std::string(where) + "." + std::string(name);
  ClaimRequest parsed;
  ACCORD_RETURN_IF_ERROR(ParseClaim(w, name, *v, &parsed));
  for (const auto& item : parsed.values) {
    if (!item.is_string() || item.as_string().empty()) return Bad(w, "values must be strings");
    out->emplace_back(item.as_string());
  }
  return Status::Ok();
}

Status ParseVerified(std::string_view where, const json::value& v, VerifiedClaimsRequest* out) {
  const json::object* o = v.if_object();
  if (o == nullptr) return Bad(where, "must be an object");
  const json::value* verification = o->if_contains("verification");
  if (verification == nullptr || !verification->is_object()) {
    return Bad(where, "verification must be an object");
  }
  std::string vw = std::string(where) + ".verification";
  ACCORD_RETURN_IF_ERROR(
      ParseConstraint(vw, verification->as_object(), "trust_framework", &out->trust_frameworks));
  ACCORD_RETURN_IF_ERROR(
      ParseConstraint(vw, verification->as_object(), "assurance_level", &out->assurance_levels));
  const json::value* claims = o->if_contains("claims");
  if (claims == nullptr || !claims->is_object() || claims->as_object().empty()) {
    return Bad(where, "claims must be a non-empty object");
  }
  if (claims->as_object().size() > kMaxClaimsPerLocation) return Bad(where, "too many claims");
  for (const auto& member : claims->as_object()) {
    ClaimRequest c;
    std::string cw = std::string(where) + ".claims." + Shown(member.key());
    ACCORD_RETURN_IF_ERROR(ParseClaim(cw, member.key(), member.value(), &c));
    out->claims.push_back(std::move(c));
  }
  return Status::Ok();
}

Status ParseLocation(std::string_view where, const json::value& v, ClaimsLocation* out) {
  const json::object* o = v.if_object();
  if (o == nullptr) return Bad(where, "must be an object");
  if (o->size() > kMaxClaimsPerLocation) return Bad(where, "too many claims");
  for (const auto& member : *o) {
    std::string mw = std::string(where) + "." + Shown(member.key());
    if (member.key() != "verified_claims") {
      ClaimRequest c;
      ACCORD_RETURN_IF_ERROR(ParseClaim(mw, member.key(), member.value(), &c));
      out->claims.push_back(std::move(c));
      continue;
    }
    if (const json::array* list = member.value().if_array()) {
      if (list->empty() || list->size() > kMaxVerifiedClaimsRequests) {
        return Bad(mw, "must hold 1 to 8 requests");
      }
      for (size_t i = 0; i < list->size(); ++i) {
        VerifiedClaimsRequest r;
        ACCORD_RETURN_IF_ERROR(ParseVerified(mw + "[" + std::to_string(i) + "]", (*list)[i], &r));
        out->verified.push_back(std::move(r));
      }
    } else {
      VerifiedClaimsRequest r;
      ACCORD_RETURN_IF_ERROR(ParseVerified(mw, member.value(), &r));
      out->verified.push_back(std::move(r));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ClaimsRequest> ParseClaimsRequest(std::string_view text) {
  ClaimsRequest request;
  if (text.empty()) return request;
  ACCORD_ASSIGN_OR_RETURN(
      json::object root,
      ParseJsonObject(text, JsonLimits{.max_bytes = kMaxClaimsRequestBytes,
                                       .max_depth = kMaxClaimsRequestDepth}));
  if (const json::value* u = root.if_contains("userinfo")) {
    ACCORD_RETURN_IF_ERROR(ParseLocation("userinfo", *u, &request.userinfo));
  }
  if (const json::value* t = root.if_contains("id_token")) {
    ACCORD_RETURN_IF_ERROR(ParseLocation("id_token", *t, &request.id_token));
  }
  return request;
}

}  // namespace accord::trust
