// c2sp.org/tlog-checkpoint: the note text of a signed tree head.
//
//   <origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n]*
//
// Parsing is strict: at least three lines, each non-empty; origin non-empty; tree size decimal
// without leading zeroes (except "0") and fitting in uint64; root hash canonical standard base64 of
// exactly 32 bytes. Failures -> InvalidArgument "malformed_checkpoint".
//
// OpenCheckpoint verifies before it parses (signature first, then the text), checks the origin, and
// requires a cosignature from every listed witness.
//
// Thread safety: pure functions.
#ifndef ACCORD_AUDIT_CHECKPOINT_H_
#define ACCORD_AUDIT_CHECKPOINT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/merkle.h"
#include "audit/signed_note.h"
#include "common/status.h"

namespace accord::audit {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// The note text. Preconditions: origin and extensions non-empty and without newlines.
// Parses a tree size as the C2SP specs write it: canonical ASCII decimal (no sign, no leading zero
// except "0" itself) that fits in 64 bits. False on anything else.
bool ParseTreeSize(std::string_view s, uint64_t* out);

std::string FormatCheckpoint(const Checkpoint& checkpoint);
Result<Checkpoint> ParseCheckpoint(std::string_view text);

// A checkpoint whose log signature (and required cosignatures) verified.
struct VerifiedCheckpoint {
  Checkpoint checkpoint;
  std::string note;                       // the full signed note as received
  std::vector<NoteSignature> signatures;  // every verified signature (log and witnesses)
};

// Errors: the note's (OpenNote) errors; log key has no valid signature -> Unauthenticated
// "unknown_key"; origin differs -> PermissionDenied "wrong_origin"; a required witness did not
// cosign -> Unauthenticated "missing_cosignature".
Result<VerifiedCheckpoint> OpenCheckpoint(std::string_view note, std::string_view origin,
                                          const NoteVerifier& log_key,
                                          std::span<const NoteVerifier* const> witnesses = {});

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_CHECKPOINT_H_
