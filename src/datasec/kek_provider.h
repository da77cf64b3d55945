// Key-encryption keys (KEKs): the keys that wrap Accord's per-record data keys (DEKs). See
// docs/security.md, "Field encryption" and "KEK rotation".
//
// A KeyEncryptionKeyProvider wraps a DEK under its *current* KEK and unwraps under any KEK it
// still holds, named by id. Rotation therefore never has a window where data is unreadable: a new
// KEK is added and made current, old envelopes keep opening under the previous KEK until
// FieldSealer::Rewrap / SealingStore::RewrapAll have moved every DEK to the new one, and only then
// is the previous KEK retired.
//
// Implementations here:
//   KeyRing         KEKs held in process memory (SecretBytes, zeroised on free); loaded from a file
//                   (LoadKeyRingFile) or an environment variable (LoadKeyRingFromEnv).
//   KmsKekProvider  adapts a KmsClient: the KEK never leaves the KMS (or PKCS#11 token); Wrap and
//                   Unwrap are calls to it. InProcessKms is an in-memory KmsClient (tests, demos).
//
// KEK ids: 1..64 characters [A-Za-z0-9_-] (they are written into every envelope).
// Thread safety: every class here is safe for concurrent use (rotation included).
#ifndef ACCORD_DATASEC_KEK_PROVIDER_H_
#define ACCORD_DATASEC_KEK_PROVIDER_H_

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/secret.h"

namespace accord::datasec {

inline constexpr size_t kKekBytes = 32;  // AES-256
inline constexpr size_t kDekBytes = 32;  // AES-256-GCM data key

bool IsValidKekId(std::string_view id);

struct WrappedKey {
  std::string kek_id;
  Bytes wrapped;  // AES-KW (RFC 3394) output for KeyRing: 40 bytes for a 32-byte DEK
};

class KeyEncryptionKeyProvider {
 public:
  virtual ~KeyEncryptionKeyProvider() = default;
  virtual std::string CurrentKekId() const = 0;
  // Wraps under the current KEK.
  virtual Result<WrappedKey> Wrap(BytesView dek) const = 0;
  // Errors: NotFound "unknown_kek" (no KEK with that id); Unauthenticated "unwrap_failed".
  virtual Result<crypto::SecretBytes> Unwrap(std::string_view kek_id, BytesView wrapped) const = 0;
};

// KEKs in process memory, wrapping with AES-256-KW.
class KeyRing final : public KeyEncryptionKeyProvider {
 public:
  KeyRing() = default;
  // Adds a KEK (32 bytes). AlreadyExists "duplicate"; InvalidArgument "bad_kek".
  Status Add(std::string_view id, crypto::SecretBytes key);
  // Makes a held KEK current (NotFound "unknown_kek").
  Status SetCurrent(std::string_view id);
  // Forgets a previous KEK (after a completed rewrap). FailedPrecondition "current_kek" for the
  // current one.
  Status Remove(std::string_view id);
  std::vector<std::string> Ids() const;
  // Wraps under a named (not necessarily current) KEK.
  Result<Bytes> WrapUnder(std::string_view kek_id, BytesView dek) const;

  std::string CurrentKekId() const override;
  Result<WrappedKey> Wrap(BytesView dek) const override;
  Result<crypto::SecretBytes> Unwrap(std::string_view kek_id, BytesView wrapped) const override;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, crypto::SecretBytes, std::less<>> keys_;
  std::string current_;
};

// KEK file: UTF-8 text, one directive per line, '#' comments:
//   kek <id> <base64url of 32 bytes>
//   current <id>
// A file holding only one bare base64url key (the provider's kek_file format) is one KEK named
// "default".
// The file must not be readable or writable by group or others (FailedPrecondition
// "kek_file_mode"). Errors name the file and line, never the key bytes.
Result<std::unique_ptr<KeyRing>> LoadKeyRingFile(const std::string& path);
// The file's keys and current id, parsed (for tools that rewrite the file).
struct KeyRingFile {
  std::vector<std::pair<std::string, crypto::SecretBytes>> keys;
  std::string current;  // the first key when the file names none
};
Result<KeyRingFile> ReadKeyRingFile(const std::string& path);
// Adds the file's keys that `ring` does not hold yet and makes the file's current KEK current;
// never removes a key (call on SIGHUP or periodically so a staged KEK reaches every server).
Status ReloadKeyRingFile(const std::string& path, KeyRing* ring);
// Writes `ring`-style text for the given keys atomically (temp file, mode 0600, rename).
Status WriteKeyRingFile(const std::string& path,
                        const std::vector<std::pair<std::string, const crypto::SecretBytes*>>& keys,
                        std::string_view current);
// Environment variable: "<id>:<base64url>[,<id>:<base64url>...]"; the first is current.
Result<std::unique_ptr<KeyRing>> LoadKeyRingFromEnv(const char* variable);
Result<std::unique_ptr<KeyRing>> ParseKeyRingSpec(std::string_view spec);

// What a real KMS or a PKCS#11 token implements: wrap/unwrap a key under a key it holds (for
// PKCS#11: C_WrapKey / C_UnwrapKey with CKM_AES_KEY_WRAP on a token object labelled key_id).
class KmsClient {
 public:
  virtual ~KmsClient() = default;
  // Errors: NotFound "unknown_kek"; Unavailable "kms_unavailable" (retry may help).
  virtual Result<Bytes> Wrap(std::string_view key_id, BytesView plaintext_key) const = 0;
  virtual Result<crypto::SecretBytes> Unwrap(std::string_view key_id, BytesView wrapped) const = 0;
};

// An in-process KMS: keys created inside it never leave it (no accessor returns them).
class InProcessKms final : public KmsClient {
 public:
  // Creates a random AES-256 key named `key_id` (AlreadyExists "duplicate").
  Status CreateKey(std::string_view key_id);
  Result<Bytes> Wrap(std::string_view key_id, BytesView plaintext_key) const override;
  Result<crypto::SecretBytes> Unwrap(std::string_view key_id, BytesView wrapped) const override;

 private:
  KeyRing ring_;
};

// KEKs that live in a KMS; this object only knows which one is current.
class KmsKekProvider final : public KeyEncryptionKeyProvider {
 public:
  // `kms` must outlive this provider.
  KmsKekProvider(const KmsClient* kms, std::string current_key_id);
  void SetCurrent(std::string key_id);

  std::string CurrentKekId() const override;
  Result<WrappedKey> Wrap(BytesView dek) const override;
  Result<crypto::SecretBytes> Unwrap(std::string_view kek_id, BytesView wrapped) const override;

 private:
  const KmsClient* kms_;
  mutable std::shared_mutex mu_;
  std::string current_;
};

}  // namespace accord::datasec

#endif  // ACCORD_DATASEC_KEK_PROVIDER_H_
