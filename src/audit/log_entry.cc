#include "audit/log_entry.h"

#include <array>
#include <boost/json.hpp>

#include "common/base64url.h"
#include "common/json.h"
#include "crypto/hash.h"

namespace accord::audit {
namespace {

constexpr std::array<std::string_view, 5> kEventNames = {
    "attribute_release", "consent_granted", "consent_revoked", "key_rotated",
    "trust_policy_changed"};

Status Bad(std::string_view why) {
  return InvalidArgument("bad audit entry: " + std::string(why), "bad_entry");
}

bool IsToken(std::string_view s, bool allow_empty) {
  if (s.size() > kMaxEntryTokenLength || (!allow_empty && s.empty())) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') return false;
  }
  return true;
}

bool NeedsSubject(EventType e) {
  return e == EventType::kAttributeRelease || e == EventType::kConsentGranted ||
         e == EventType::kConsentRevoked;
}

void AppendString(std::string* out, std::string_view s) {
  *out += boost::json::serialize(boost::json::string_view(s.data(), s.size()));
}

Result<std::string> GetString(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return Bad(std::string(key) + " must be a string");
  return std::string(v->as_string());
}

Result<LogEntry> FromObject(const boost::json::object& o, bool require_version) {
  const size_t expected_members = 9;
  if (require_version || o.contains("v")) {
    const boost::json::value* v = o.if_contains("v");
    if (v == nullptr || !v->is_int64() || v->as_int64() != 1) return Bad("v must be 1");
  }
  if (o.size() != expected_members - (o.contains("v") ? 0 : 1)) return Bad("unexpected members");
  LogEntry e;
  const boost::json::value* t = o.if_contains("time_ms");
  if (t == nullptr || !t->is_int64() || t->as_int64() < 0) return Bad("time_ms");
  e.time_ms = t->as_int64();
  ACCORD_ASSIGN_OR_RETURN(std::string event, GetString(o, "event"));
  ACCORD_ASSIGN_OR_RETURN(e.event, EventTypeFromName(event));
  ACCORD_ASSIGN_OR_RETURN(e.service, GetString(o, "service"));
  ACCORD_ASSIGN_OR_RETURN(e.upstream, GetString(o, "upstream"));
  ACCORD_ASSIGN_OR_RETURN(e.assurance, GetString(o, "assurance"));
  ACCORD_ASSIGN_OR_RETURN(e.consent_id, GetString(o, "consent_id"));
  ACCORD_ASSIGN_OR_RETURN(std::string commitment, GetString(o, "subject_commitment"));
  if (!commitment.empty()) {
    ACCORD_ASSIGN_OR_RETURN(e.subject_commitment, Base64UrlDecode(commitment));
  }
  const boost::json::value* attrs = o.if_contains("attributes");
  if (attrs == nullptr || !attrs->is_array()) return Bad("attributes must be an array");
  if (attrs->as_array().size() > kMaxEntryAttributes) return Bad("too many attributes");
  for (const boost::json::value& a : attrs->as_array()) {
    if (!a.is_object() || a.as_object().size() != 2) return Bad("attribute must be an object");
    ReleasedAttribute ra;
    ACCORD_ASSIGN_OR_RETURN(ra.name, GetString(a.as_object(), "name"));
    ACCORD_ASSIGN_OR_RETURN(ra.classification, GetString(a.as_object(), "classification"));
    e.attributes.push_back(std::move(ra));
  }
  ACCORD_RETURN_IF_ERROR(ValidateLogEntry(e));
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

Status ValidateLogEntry(const LogEntry& e) {
  if (e.time_ms < 0) return Bad("negative time");
  if (!IsToken(e.service, false)) return Bad("service");
  if (!IsToken(e.upstream, false)) return Bad("upstream");
  if (!IsToken(e.assurance, true)) return Bad("assurance");
  if (!IsToken(e.consent_id, true)) return Bad("consent_id");
  if (e.attributes.size() > kMaxEntryAttributes) return Bad("too many attributes");
  for (const ReleasedAttribute& a : e.attributes) {
    if (!IsToken(a.name, false) || !IsToken(a.classification, false)) return Bad("attribute");
  }
  if (!e.subject_commitment.empty() && e.subject_commitment.size() != 32) {
    return Bad("subject_commitment must be 32 bytes");
  }
  if (NeedsSubject(e.event) && e.subject_commitment.empty()) {
    return Bad("subject_commitment required for this event");
  }
  return Status::Ok();
}

std::string SerializeLogEntry(const LogEntry& e) {
  std::string out = "{\"v\":1,\"time_ms\":" + std::to_string(e.time_ms) + ",\"event\":";
  AppendString(&out, EventTypeName(e.event));
  out += ",\"service\":";
  AppendString(&out, e.service);
  out += ",\"upstream\":";
  AppendString(&out, e.upstream);
  out += ",\"attributes\":[";
  for (size_t i = 0; i < e.attributes.size(); ++i) {
    if (i > 0) out += ",";
    out += "{\"name\":";
    AppendString(&out, e.attributes[i].name);
    out += ",\"classification\":";
    AppendString(&out, e.attributes[i].classification);
    out += "}";
  }
  out += "],\"assurance\":";
  AppendString(&out, e.assurance);
  out += ",\"consent_id\":";
  AppendString(&out, e.consent_id);
  out += ",\"subject_commitment\":";
  AppendString(&out, Base64UrlEncode(e.subject_commitment));
  out += "}";
  return out;
}

Result<LogEntry> ParseLogEntry(std::string_view json) {
  if (json.size() > kMaxEntryBytes) return OutOfRange("audit entry too large", "too_large");
  ACCORD_ASSIGN_OR_RETURN(auto obj, ParseJsonObject(json, JsonLimits{kMaxEntryBytes, 4, false}));
  ACCORD_ASSIGN_OR_RETURN(LogEntry e, FromObject(obj, true));
  if (SerializeLogEntry(e) != json) return Bad("not in canonical form");
  return e;
}

Result<LogEntry> LogEntryFromJson(std::string_view json) {
  ACCORD_ASSIGN_OR_RETURN(auto obj, ParseJsonObject(json, JsonLimits{kMaxEntryBytes, 4, false}));
  return FromObject(obj, false);
}

Result<Bytes> SubjectCommitment(const crypto::SecretBytes& log_secret,
                                std::string_view pairwise_subject) {
  if (log_secret.size() < 32) return InvalidArgument("log secret too short", "bad_key");
  if (pairwise_subject.empty()) return Bad("empty subject");
  std::string msg = "accord-audit-subject/v1\n";
  msg += pairwise_subject;
  return crypto::Hmac(crypto::HashAlgorithm::kSha256, log_secret.view(), AsBytes(msg));
}

}  // namespace accord::audit
