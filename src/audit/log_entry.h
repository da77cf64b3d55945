// The audit log's entries: one AuditEvent per cross-border event (attribute release, consent
// granted or revoked, signing-key rotation, trust-policy change). There is no field that can hold
// personal data: every value is an identifier ([A-Za-z0-9._:-], bounded), an enum, an integer, or
// the keyed commitment of the person's pairwise subject:
//   subject_commitment = lower-case hex(HMAC-SHA256(commitment key, pairwise subject))
// so the log can be published while a holder of the key (and the subject) can still show that an
// entry concerns that subject. A free-text field does not exist, so no caller can put a name,
// a birth date or a document number in the log by mistake: validation rejects any value with a
// space, '@', '/', '+' or non-ASCII character.
//
// Canonical serialisation (docs/audit-format.md, "Audit entry"): compact JSON, members in the
// fixed order below, no white space. ParseAuditEvent accepts only that exact spelling (it
// re-serialises and compares), so one event has one encoding and one leaf hash.
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
  kPolicyChanged,
  kReleaseRefused,  // the placement policy refused a release (datasec; oidc/broker/release_guard.h)
  kKekRotated,      // a key-encryption key became the one that wraps new data keys (datasec)
};

std::string_view EventTypeName(EventType type);  // "attribute_release", ..., "kek_rotated"
Result<EventType> EventTypeFromName(std::string_view name);

struct ReleasedAttribute {
  std::string name;            // e.g. "birthdate" (the attribute's name, never its value)
  std::string classification;  // e.g. "official-sensitive"
  friend bool operator==(const ReleasedAttribute&, const ReleasedAttribute&) = default;
};

struct AuditEvent {
  int64_t time_ms = 0;  // Unix epoch milliseconds
  EventType type = EventType::kAttributeRelease;
  std::string service;   // the relying service's client_id ("" for key/policy events without one)
  std::string upstream;  // upstream identity provider id, e.g. "sandbox-uk"
  std::vector<ReleasedAttribute> attributes;
  std::string assurance;   // e.g. "substantial", "P2" ("" if none)
  std::string consent_id;  // the consent record's id ("" if none)
  std::string subject_commitment;  // 64 lower-case hex digits, or "" for events about no person
  friend bool operator==(const AuditEvent&, const AuditEvent&) = default;
};

inline constexpr size_t kMaxIdentifierLength = 128;
inline constexpr size_t kMaxEventAttributes = 64;
inline constexpr size_t kMaxEventBytes = 16 * 1024;

// True for 1..128 characters of [A-Za-z0-9._:-].
bool IsAuditIdentifier(std::string_view s);

// Rules (InvalidArgument "bad_entry" naming the field otherwise):
//   - service, upstream, assurance, consent_id: "" or an identifier; attribute name and
//     classification: identifiers; at most 64 attributes; time_ms >= 0;
//   - attribute_release: service, upstream, subject_commitment and >= 1 attribute required;
//   - consent_granted / consent_revoked: service, consent_id, subject_commitment required;
//   - key_rotated / policy_changed: no subject_commitment (they concern no person);
//   - release_refused: service and >= 1 attribute (name and class) required, no subject_commitment;
//   - kek_rotated: consent_id (the KEK's id) required, no subject_commitment.
Status ValidateAuditEvent(const AuditEvent& event);
// Preconditions: ValidateAuditEvent(event).ok().
std::string SerializeAuditEvent(const AuditEvent& event);
// Strict inverse of SerializeAuditEvent (bounded to kMaxEventBytes).
Result<AuditEvent> ParseAuditEvent(std::string_view canonical_json);
// Parses a (non-canonical) JSON event as a person would write it for `accord audit append`
// (members in any order, "v" optional). Same validation.
Result<AuditEvent> AuditEventFromJson(std::string_view json);

// Lower-case hex HMAC-SHA256(key, pairwise_subject). The key must be >= 32 bytes
// (InvalidArgument "bad_key"); the subject non-empty.
Result<std::string> SubjectCommitment(const crypto::SecretBytes& commitment_key,
                                      std::string_view pairwise_subject);

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_LOG_ENTRY_H_
