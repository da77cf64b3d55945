// c2sp.org/signed-note: text signed by one or more keys.
//
//   <text ending in "\n">"\n"("— " <key name> " " base64(uint32 key ID || signature) "\n")+
//
// Parsing is strict and bounded: at most kMaxNoteSize bytes and kMaxNoteSignatures signature lines;
// the note must be valid UTF-8 (no overlongs, surrogates or code points above U+10FFFF) with no ASCII
// control characters but newline; it must end in a newline; the text is separated from the
// signatures by the last blank line; every signature line must be well formed (valid key name,
// canonical standard base64 of at least 5 bytes). Failures -> InvalidArgument "malformed_note"
// (OutOfRange "note_too_large" for size and count bounds).
//
// OpenNote checks signatures against known keys (name AND key ID must match, per the spec; other
// signatures are kept as unverified and otherwise ignored). A known key whose signature does not
// verify fails the whole note (Unauthenticated "bad_signature"); no verified signature at all ->
// Unauthenticated "unknown_key". A VerifiedNote can only be made by OpenNote.
//
// Thread safety: pure functions; NoteVerifier/NoteSigner implementations are immutable and safe to
// share between threads.
#ifndef ACCORD_AUDIT_SIGNED_NOTE_H_
#define ACCORD_AUDIT_SIGNED_NOTE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"

namespace accord::audit {

inline constexpr size_t kMaxNoteSize = 64 * 1024;
inline constexpr size_t kMaxNoteSignatures = 64;  // the spec requires accepting at least 16

struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  Bytes signature;  // without the 4-byte key ID
  friend bool operator==(const NoteSignature&, const NoteSignature&) = default;
};

struct Note {
  std::string text;  // ends in "\n"; excludes the separating blank line
  std::vector<NoteSignature> signatures;
};

// Key names: non-empty, valid UTF-8, no Unicode white space, no '+'.
bool IsValidKeyName(std::string_view name);

// Syntax only: no signature is checked.
Result<Note> ParseNote(std::string_view message);
// "— <name> <base64(key id || sig)>\n"
std::string FormatSignatureLine(const NoteSignature& sig);
// Text, blank line, signature lines. Precondition: text ends in "\n" and names are valid.
std::string FormatNote(const Note& note);

class NoteVerifier {
 public:
  virtual ~NoteVerifier() = default;
  virtual const std::string& name() const = 0;
  virtual uint32_t key_id() const = 0;
  // OK only when `signature` (without the key ID) is valid for the note text.
  virtual Status Verify(std::string_view text, BytesView signature) const = 0;
};

class NoteSigner {
 public:
  virtual ~NoteSigner() = default;
  virtual const std::string& name() const = 0;
  virtual uint32_t key_id() const = 0;
  virtual Result<Bytes> Sign(std::string_view text) const = 0;
};

class VerifiedNote {
 public:
  const std::string& text() const { return text_; }
  const std::vector<NoteSignature>& verified() const { return verified_; }
  const std::vector<NoteSignature>& unverified() const { return unverified_; }
  // True when a signature by this verifier's (name, key ID) was verified.
  bool IsSignedBy(const NoteVerifier& verifier) const;

 private:
  friend Result<VerifiedNote> OpenNote(std::string_view, std::span<const NoteVerifier* const>);
  VerifiedNote() = default;
  std::string text_;
  std::vector<NoteSignature> verified_;
  std::vector<NoteSignature> unverified_;
};

Result<VerifiedNote> OpenNote(std::string_view message, std::span<const NoteVerifier* const> known);

// Signs `text` with every signer and appends the new signature lines after `existing` signatures
// (an existing signature by the same name and key ID as a signer is replaced).
Result<std::string> SignNote(std::string_view text, std::span<const NoteSigner* const> signers,
                             std::span<const NoteSignature> existing = {});

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_SIGNED_NOTE_H_
