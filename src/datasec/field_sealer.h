// FieldSealer: seals one personal-data field of one stored record (docs/security.md, "Sealed
// field envelope").
//
// Each Seal() draws a fresh random 32-byte data key (DEK) and 12-byte IV, encrypts the value with
// AES-256-GCM under the DEK with associated data binding the record type, record id and field name
// (a sealed value copied into another record or field does not open), and wraps the DEK under the
// provider's current KEK. The envelope is text (stores keep it in TEXT columns):
//
//   acf1.<kek_id>.<base64url(wrapped DEK)>.<base64url(iv)>.<base64url(ciphertext || tag)>
//
// Rewrap() moves an envelope's DEK to the current KEK without touching the ciphertext.
//
// Errors: Open of a value that is not an envelope: DataLoss "not_sealed"; malformed envelope:
// DataLoss "bad_envelope"; wrong record/field or tampering: Unauthenticated "bad_tag"; unknown KEK:
// NotFound "unknown_kek". Messages never contain the value.
//
// Thread safety: const and safe to call concurrently (the provider must be too).
#ifndef ACCORD_DATASEC_FIELD_SEALER_H_
#define ACCORD_DATASEC_FIELD_SEALER_H_

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "datasec/kek_provider.h"

namespace accord::datasec {

inline constexpr std::string_view kEnvelopePrefix = "acf1.";
inline constexpr size_t kMaxSealedPlaintextBytes = 1 << 20;

// Names the field a value belongs to; bound as associated data.
struct FieldContext {
  std::string_view record_type;  // "sessions", "consents", ...
  std::string_view record_id;    // the record's key (sid, subject + client, request_uri, ...)
  std::string_view field;        // "identity_json", ...
};

class FieldSealer {
 public:
  // `keks` must outlive the sealer.
  explicit FieldSealer(const KeyEncryptionKeyProvider* keks) : keks_(keks) {}

  Result<std::string> Seal(const FieldContext& context, std::string_view plaintext) const;
  Result<std::string> Open(const FieldContext& context, std::string_view envelope) const;
  // The same envelope with its DEK wrapped under the current KEK (unchanged if already there).
  Result<std::string> Rewrap(std::string_view envelope) const;

  static bool IsSealed(std::string_view value) { return value.substr(0, 5) == kEnvelopePrefix; }
  // The KEK id an envelope names (DataLoss "bad_envelope" if malformed).
  static Result<std::string> KekIdOf(std::string_view envelope);

  // Exactly the associated data bound to a field (exposed for docs and tests).
  static std::string AssociatedData(const FieldContext& context);

 private:
  const KeyEncryptionKeyProvider* keks_;
};

}  // namespace accord::datasec

#endif  // ACCORD_DATASEC_FIELD_SEALER_H_
