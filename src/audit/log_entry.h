// The audit log's entries: one record per cross-border event. There is no field for personal data:
// the person appears only as a keyed commitment (HMAC-SHA256 under a log-secret key) of their
// pairwise subject identifier, so the log can be published while a holder of the key (and the
// subject) can still show that an entry concerns that subject.
//
// Canonical serialisation (docs/audit-format.md): compact JSON, members in the fixed order below,
// no insignificant white space, strings escaped the way Boost.JSON serialises them. ParseLogEntry
// accepts only that exact spelling (it re-serialises and compares), so one entry has one encoding
// and one leaf hash.
//
// Thread safety: plain values and pure functions.
#ifndef ACCORD_AUDIT_LOG_ENTRY_H_
#define ACCORD_AUDIT_LOG_ENTRY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/secret.h"

namespace accord::audit {

enum class EventType {
  kAttributeRelease,
  kConsentGranted,
  kConsentRevoked,
  kKeyRotated,
  kTrustPolicyChanged,
};

std::string_view EventTypeName(EventType type);  // "attribute_release", ...
Result<EventType> EventTypeFromName(std::string_view name);

struct ReleasedAttribute {
  std::string name;            // e.g. "birthdate"
  std::string classification;  // e.g. "official-sensitive"
  friend bool operator==(const ReleasedAttribute&, const ReleasedAttribute&) = default;
};

struct LogEntry {
  int64_t time_ms = 0;  // Unix epoch milliseconds
  EventType event = EventType::kAttributeRelease;
  std::string service;   // relying service identifier
  std::string upstream;  // upstream identity provider identifier
  std::vector<ReleasedAttribute> attributes;
  std::string assurance;   // e.g. "medium", "P2"
  std::string consent_id;  // opaque
  Bytes subject_commitment;  // 32 bytes, or empty for events about no person
  friend bool operator==(const LogEntry&, const LogEntry&) = default;
};

inline constexpr size_t kMaxEntryTokenLength = 256;
inline constexpr size_t kMaxEntryAttributes = 64;

// Bounds: tokens 1..256 bytes of printable ASCII without '"' or '\\' (service, upstream, names,
// classifications) or 0..256 (assurance, consent_id); at most 64 attributes; subject_commitment
// 32 bytes, required for attribute_release and consent events. Violations -> InvalidArgument
// "bad_entry".
Status ValidateLogEntry(const LogEntry& entry);
// Preconditions: ValidateLogEntry(entry).ok().
std::string SerializeLogEntry(const LogEntry& entry);
// Strict inverse of SerializeLogEntry (bounded to kMaxEntryBytes).
inline constexpr size_t kMaxEntryBytes = 16 * 1024;
Result<LogEntry> ParseLogEntry(std::string_view canonical_json);
// Parses a (non-canonical) JSON entry as a person would write it for `accord audit append`; the
// subject commitment is given in base64url. Same validation.
Result<LogEntry> LogEntryFromJson(std::string_view json);

// HMAC-SHA256(key, "accord-audit-subject/v1\n" || pairwise_subject). key must be >= 32 bytes.
Result<Bytes> SubjectCommitment(const crypto::SecretBytes& log_secret,
                                std::string_view pairwise_subject);

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_LOG_ENTRY_H_
