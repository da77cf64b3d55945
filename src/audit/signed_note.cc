#include "audit/signed_note.h"

#include <algorithm>
#include <set>
#include <utility>

#include "common/base64url.h"

namespace accord::audit {
namespace {

constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";  // em dash U+2014, space

Status Malformed(std::string_view why) {
  return InvalidArgument("malformed note: " + std::string(why), "malformed_note");
}

// Decodes one UTF-8 code point strictly; returns its length or 0 when invalid.
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t c = b(i);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len;
  uint32_t min;
  if ((c & 0xE0) == 0xC0) {
    len = 2, min = 0x80, *cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, min = 0x800, *cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, *cp = c & 0x07;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b(i + k) & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
  return len;
}

// Go's unicode.IsSpace.
bool IsUnicodeSpace(uint32_t cp) {
  switch (cp) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

bool SameKey(const NoteSignature& s, const NoteVerifier& v) {
  return s.name == v.name() && s.key_id == v.key_id();
}

}  // namespace

bool IsValidKeyName(std::string_view name) {
  if (name.empty() || name.size() > 1024) return false;
  for (size_t i = 0; i < name.size();) {
    uint32_t cp;
    const size_t n = DecodeUtf8(name, i, &cp);
    if (n == 0 || cp < 0x20 || cp == '+' || IsUnicodeSpace(cp)) return false;
    i += n;
  }
  return true;
}

Result<Note> ParseNote(std::string_view msg) {
  if (msg.size() > kMaxNoteSize) return OutOfRange("note is too large", "note_too_large");
  for (size_t i = 0; i < msg.size();) {
    uint32_t cp;
    const size_t n = DecodeUtf8(msg, i, &cp);
    if (n == 0) return Malformed("not valid UTF-8");
    if (cp < 0x20 && cp != '\n') return Malformed("control character");
    i += n;
  }
  const size_t split = msg.rfind("\n\n");
  if (split == std::string_view::npos) return Malformed("no blank line before signatures");
  Note note;
  note.text = std::string(msg.substr(0, split + 1));
  std::string_view sigs = msg.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') return Malformed("signatures must end in a newline");
  while (!sigs.empty()) {
    const size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    if (note.signatures.size() >= kMaxNoteSignatures) {
      return OutOfRange("too many signatures", "note_too_large");
    }
    if (line.substr(0, kSigPrefix.size()) != kSigPrefix) return Malformed("bad signature line");
    line.remove_prefix(kSigPrefix.size());
    const size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return Malformed("signature line without signature");
    NoteSignature sig;
    sig.name = std::string(line.substr(0, sp));
    if (!IsValidKeyName(sig.name)) return Malformed("bad key name");
    auto raw = Base64Decode(line.substr(sp + 1));
    if (!raw.ok() || raw->size() < 5) return Malformed("bad signature encoding");
    // Reject non-canonical base64 (e.g. non-zero padding bits): one spelling per signature.
    if (Base64Encode(*raw) != line.substr(sp + 1)) return Malformed("non-canonical base64");
    sig.key_id = (uint32_t{(*raw)[0]} << 24) | (uint32_t{(*raw)[1]} << 16) |
                 (uint32_t{(*raw)[2]} << 8) | (*raw)[3];
    sig.signature.assign(raw->begin() + 4, raw->end());
    note.signatures.push_back(std::move(sig));
  }
  return note;
}

std::string FormatSignatureLine(const NoteSignature& sig) {
  Bytes raw(4 + sig.signature.size());
  for (int i = 0; i < 4; ++i) raw[i] = static_cast<uint8_t>(sig.key_id >> (24 - 8 * i));
  std::copy(sig.signature.begin(), sig.signature.end(), raw.begin() + 4);
  return std::string(kSigPrefix) + sig.name + " " + Base64Encode(raw) + "\n";
}

std::string FormatNote(const Note& note) {
  std::string out = note.text + "\n";
  for (const NoteSignature& s : note.signatures) out += FormatSignatureLine(s);
  return out;
}

bool VerifiedNote::IsSignedBy(const NoteVerifier& verifier) const {
  for (const NoteSignature& s : verified_) {
    if (SameKey(s, verifier)) return true;
  }
  return false;
}

Result<VerifiedNote> OpenNote(std::string_view message, std::span<const NoteVerifier* const> known) {
  ACCORD_ASSIGN_OR_RETURN(Note note, ParseNote(message));
  VerifiedNote out;
  std::set<std::pair<std::string, uint32_t>> seen;
  for (NoteSignature& sig : note.signatures) {
    const NoteVerifier* match = nullptr;
    for (const NoteVerifier* v : known) {
      if (SameKey(sig, *v)) {
        if (match != nullptr) return FailedPrecondition("ambiguous verifier keys", "ambiguous_key");
        match = v;
      }
    }
    if (match == nullptr) {
      out.unverified_.push_back(std::move(sig));
      continue;
    }
    if (!seen.insert({sig.name, sig.key_id}).second) continue;  // repeated signature by one key
    Status st = match->Verify(note.text, sig.signature);
    if (!st.ok()) {
      return Unauthenticated("signature by known key " + sig.name + " does not verify",
                             "bad_signature");
    }
    out.verified_.push_back(std::move(sig));
  }
  if (out.verified_.empty()) {
    return Unauthenticated("note has no signature by a known key", "unknown_key");
  }
  out.text_ = std::move(note.text);
  return out;
}

Result<std::string> SignNote(std::string_view text, std::span<const NoteSigner* const> signers,
                             std::span<const NoteSignature> existing) {
  if (text.empty() || text.back() != '\n') return Malformed("text must end in a newline");
  if (text.size() > kMaxNoteSize) return OutOfRange("note is too large", "note_too_large");
  Note note;
  note.text = std::string(text);
  for (const NoteSignature& s : existing) {
    bool replaced = false;
    for (const NoteSigner* signer : signers) {
      replaced = replaced || (signer->name() == s.name && signer->key_id() == s.key_id);
    }
    if (!replaced) note.signatures.push_back(s);
  }
  for (const NoteSigner* signer : signers) {
    if (!IsValidKeyName(signer->name())) return InvalidArgument("bad signer name", "bad_key_name");
    ACCORD_ASSIGN_OR_RETURN(Bytes sig, signer->Sign(text));
    note.signatures.push_back({signer->name(), signer->key_id(), std::move(sig)});
  }
  std::string out = FormatNote(note);
  // Anything we emit must parse back (names, text without control characters, bounds).
  ACCORD_RETURN_IF_ERROR(ParseNote(out).status());
  return out;
}

}  // namespace accord::audit
