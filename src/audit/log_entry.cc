#include "audit/log_entry.h"

#include <array>
#include <boost/json.hpp>

#include "common/json.h"
#include "crypto/hash.h"

namespace accord::audit {
namespace {

constexpr std::array<std::string_view, 7> kEventNames = {
    "attribute_release", "consent_granted", "consent_revoked", "key_rotated", "policy_changed",
    "release_refused",   "kek_rotated"};

Status Bad(std::string_view why) {
  return InvalidArgument("bad audit event: " + std::string(why), "bad_entry");
}

bool IsOptionalIdentifier(std::string_view s) { return s.empty() || IsAuditIdentifier(s); }

bool IsCommitment(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::string> GetString(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return Bad(std::string(key) + " must be a string");
  return std::string(v->as_string());
}

Result<AuditEvent> FromObject(const boost::json::object& o, bool require_version) {
  constexpr size_t kMembers = 9;
  if (require_version || o.contains("v")) {
    const boost::json::value* v = o.if_contains("v");
    if (v == nullptr || !v->is_int64() || v->as_int64() != 1) return Bad("v must be 1");
  }
  if (o.size() != kMembers - (o.contains("v") ? 0 : 1)) return Bad("unexpected members");
  AuditEvent e;
  const boost::json::value* t = o.if_contains("time_ms");
  if (t == nullptr || !t->is_int64() || t->as_int64() < 0) return Bad("time_ms");
  e.time_ms = t->as_int64();
  ACCORD_ASSIGN_OR_RETURN(std::string type, GetString(o, "type"));
  ACCORD_ASSIGN_OR_RETURN(e.type, EventTypeFromName(type));
  ACCORD_ASSIGN_OR_RETURN(e.service, GetString(o, "service"));
  ACCORD_ASSIGN_OR_RETURN(e.upstream, GetString(o, "upstream"));
  ACCORD_ASSIGN_OR_RETURN(e.assurance, GetString(o, "assurance"));
  ACCORD_ASSIGN_OR_RETURN(e.consent_id, GetString(o, "consent_id"));
  ACCORD_ASSIGN_OR_RETURN(e.subject_commitment, GetString(o, "subject_commitment"));
  const boost::json::value* attrs = o.if_contains("attributes");
  if (attrs == nullptr || !attrs->is_array()) return Bad("attributes must be an array");
  if (attrs->as_array().size() > kMaxEventAttributes) return Bad("too many attributes");
  for (const boost::json::value& a : attrs->as_array()) {
    if (!a.is_object() || a.as_object().size() != 2) return Bad("attribute must be an object");
    ReleasedAttribute ra;
    ACCORD_ASSIGN_OR_RETURN(ra.name, GetString(a.as_object(), "name"));
    ACCORD_ASSIGN_OR_RETURN(ra.classification, GetString(a.as_object(), "classification"));
    e.attributes.push_back(std::move(ra));
  }
  ACCORD_RETURN_IF_ERROR(ValidateAuditEvent(e));
  return e;
}

}  // namespace

std::string_view EventTypeName(EventType type) { return kEventNames[static_cast<size_t>(type)]; }

Result<EventType> EventTypeFromName(std::string_view name) {
  for (size_t i = 0; i < kEventNames.size(); ++i) {
    if (kEventNames[i] == name) return static_cast<EventType>(i);
  }
  return Bad("unknown event type");
}

bool IsAuditIdentifier(std::string_view s) {
  if (s.empty() || s.size() > kMaxIdentifierLength) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status ValidateAuditEvent(const AuditEvent& e) {
  if (e.time_ms < 0) return Bad("negative time");
  if (!IsOptionalIdentifier(e.service)) return Bad("service");
  if (!IsOptionalIdentifier(e.upstream)) return Bad("upstream");
  if (!IsOptionalIdentifier(e.assurance)) return Bad("assurance");
  if (!IsOptionalIdentifier(e.consent_id)) return Bad("consent_id");
  if (e.attributes.size() > kMaxEventAttributes) return Bad("too many attributes");
  for (const ReleasedAttribute& a : e.attributes) {
    if (!IsAuditIdentifier(a.name) || !IsAuditIdentifier(a.classification)) return Bad("attribute");
  }
  if (!e.subject_commitment.empty() && !IsCommitment(e.subject_commitment)) {
    return Bad("subject_commitment must be 64 lower-case hex digits");
  }
  switch (e.type) {
    case EventType::kAttributeRelease:
      if (e.service.empty() || e.upstream.empty()) return Bad("release needs service and upstream");
      if (e.attributes.empty()) return Bad("release needs attributes");
      if (e.subject_commitment.empty()) return Bad("release needs subject_commitment");
      break;
    case EventType::kConsentGranted:
    case EventType::kConsentRevoked:
      if (e.service.empty() || e.consent_id.empty()) return Bad("consent needs service and consent_id");
      if (e.subject_commitment.empty()) return Bad("consent needs subject_commitment");
      break;
    case EventType::kKeyRotated:
    case EventType::kPolicyChanged:
      if (!e.subject_commitment.empty()) return Bad("this event concerns no person");
      break;
    case EventType::kReleaseRefused:
      if (e.service.empty() || e.attributes.empty()) return Bad("refusal needs service and attributes");
      if (!e.subject_commitment.empty()) return Bad("this event concerns no person");
      break;
    case EventType::kKekRotated:
      if (e.consent_id.empty()) return Bad("kek_rotated needs consent_id (the KEK id)");
      if (!e.subject_commitment.empty()) return Bad("this event concerns no person");
      break;
  }
  return Status::Ok();
}

std::string SerializeAuditEvent(const AuditEvent& e) {
  // Every string is an identifier or hex: nothing to escape.
  auto str = [](std::string_view s) { return "\"" + std::string(s) + "\""; };
  std::string out = "{\"v\":1,\"time_ms\":" + std::to_string(e.time_ms) + ",\"type\":" +
                    str(EventTypeName(e.type)) + ",\"service\":" + str(e.service) +
                    ",\"upstream\":" + str(e.upstream) + ",\"attributes\":[";
  for (size_t i = 0; i < e.attributes.size(); ++i) {
    if (i > 0) out += ",";
    out += "{\"name\":" + str(e.attributes[i].name) +
           ",\"classification\":" + str(e.attributes[i].classification) + "}";
  }
  out += "],\"assurance\":" + str(e.assurance) + ",\"consent_id\":" + str(e.consent_id) +
         ",\"subject_commitment\":" + str(e.subject_commitment) + "}";
  return out;
}

Result<AuditEvent> ParseAuditEvent(std::string_view json) {
  if (json.size() > kMaxEventBytes) return OutOfRange("audit event too large", "too_large");
  ACCORD_ASSIGN_OR_RETURN(auto obj, ParseJsonObject(json, JsonLimits{kMaxEventBytes, 4, false}));
  ACCORD_ASSIGN_OR_RETURN(AuditEvent e, FromObject(obj, true));
  if (SerializeAuditEvent(e) != json) return Bad("not in canonical form");
  return e;
}

Result<AuditEvent> AuditEventFromJson(std::string_view json) {
  if (json.size() > kMaxEventBytes) return OutOfRange("audit event too large", "too_large");
  ACCORD_ASSIGN_OR_RETURN(auto obj, ParseJsonObject(json, JsonLimits{kMaxEventBytes, 4, false}));
  return FromObject(obj, false);
}

Result<std::string> SubjectCommitment(const crypto::SecretBytes& commitment_key,
                                      std::string_view pairwise_subject) {
  if (commitment_key.size() < 32) return InvalidArgument("commitment key too short", "bad_key");
  if (pairwise_subject.empty()) return Bad("empty subject");
  return HexEncode(crypto::Hmac(crypto::HashAlgorithm::kSha256, commitment_key.view(),
                                AsBytes(pairwise_subject)));
}

}  // namespace accord::audit
