// Signed-note keys (c2sp.org/signed-note, c2sp.org/tlog-cosignature): Ed25519 note signatures
// (type 0x01) and timestamped Ed25519 witness cosignatures, cosignature/v1 (type 0x04).
//
//   key ID = SHA-256(name || 0x0A || type || 32-byte Ed25519 public key)[:4]
//   vkey   = <name>+<8 hex key ID>+<base64(type || public key)>
//   skey   = PRIVATE+KEY+<name>+<8 hex key ID>+<base64(type || 32-byte Ed25519 seed)>
//
// A cosignature/v1 signature is uint64 big-endian timestamp || Ed25519 signature over
//   "cosignature/v1\ntime <timestamp>\n" || checkpoint note text.
//
// Parsing rejects (InvalidArgument "bad_key"): wrong field count, non-8-digit or upper-case hex,
// a key ID that does not match, unknown types, wrong key lengths, invalid names.
//
// Thread safety: verifiers and signers are immutable; safe to share. skeys are secrets: they are
// returned only as crypto::SecretBytes and never appear in Status messages.
#ifndef ACCORD_AUDIT_NOTE_KEYS_H_
#define ACCORD_AUDIT_NOTE_KEYS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "audit/signed_note.h"
#include "common/bytes.h"
#include "common/clock.h"
#include "common/status.h"
#include "crypto/secret.h"

namespace accord::audit {

enum class NoteKeyType : uint8_t { kEd25519 = 0x01, kCosignatureV1 = 0x04 };

uint32_t NoteKeyId(std::string_view name, NoteKeyType type, BytesView public_key);

struct NoteKeyPair {
  crypto::SecretBytes skey;  // the encoded signer key (secret)
  std::string vkey;          // the encoded verifier key (public)
};

Result<NoteKeyPair> GenerateNoteKey(std::string_view name, NoteKeyType type);
// The vkey of an skey (derives the public key).
Result<std::string> VerifierKeyFromSignerKey(std::string_view skey);

Result<std::unique_ptr<NoteVerifier>> NewNoteVerifier(std::string_view vkey);
// `clock` gives cosignature timestamps (type 0x04 only); it must outlive the signer.
Result<std::unique_ptr<NoteSigner>> NewNoteSigner(std::string_view skey,
                                                  const Clock& clock = SystemClock::Instance());

// The key type of a parsed verifier key string (without checking it further).
Result<NoteKeyType> VerifierKeyType(std::string_view vkey);

// The timestamp of a cosignature/v1 signature (first 8 bytes); InvalidArgument if too short.
Result<uint64_t> CosignatureTimestamp(BytesView signature);
// The message a cosignature/v1 signs.
std::string CosignatureV1Message(uint64_t timestamp, std::string_view checkpoint_text);

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_NOTE_KEYS_H_
