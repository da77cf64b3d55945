// KeyManager: the provider's signing keys (ES256 on P-256), kept in the Store's key table.
//
// Each private key is stored as PKCS#8 PEM sealed with AES-256-GCM under the key-encryption key
// (KEK): sealed = iv(12) || ciphertext || tag(16), AAD = "accord-signing-key:" || kid, so a sealed
// key moved to another kid's row does not open. The KEK never leaves this object.
//
// Life cycle (store::KeyStatus): next -> active -> retired. At first start EnsureKeys() creates an
// active key and a next key. Rotate(): the current `next` becomes active (the old active retires)
// and a new `next` is created, so a key is always published in the JWKS before it signs. The JWKS
// publishes next + active + retired keys for kRetiredPublishSeconds after retirement.
//
// Several processes may share the store (`accord keys rotate` while `accord serve` runs): Current()
// reloads from the store at most every kReloadSeconds.
//
// Thread safety: all methods are safe to call concurrently; Current() returns an immutable
// snapshot. The Store and Clock must outlive the KeyManager.
#ifndef ACCORD_OIDC_PROVIDER_KEY_MANAGER_H_
#define ACCORD_OIDC_PROVIDER_KEY_MANAGER_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "crypto/secret.h"
#include "jose/jwk.h"
#include "jose/jwt.h"
#include "store/store.h"

namespace accord::oidc {

inline constexpr int64_t kRetiredPublishSeconds = 2 * 86400;
inline constexpr int64_t kReloadSeconds = 30;

// What the server signs with and publishes, at one moment.
struct KeySnapshot {
  std::shared_ptr<const jose::JwtSigner> id_token_signer;      // typ "JWT"
  std::shared_ptr<const jose::JwtSigner> access_token_signer;  // typ "at+jwt"
  jose::Jwks public_jwks;    // next + active + recently retired, public halves
  std::string jwks_json;     // pre-rendered {"keys":[...]}
  int64_t loaded_at = 0;
};

// Loggable description of a key (no key material).
struct KeyInfo {
  std::string kid;
  std::string algorithm;
  store::KeyStatus status;
  int64_t created_at = 0;
  int64_t activates_at = 0;
  int64_t retires_at = 0;
};
std::string_view KeyStatusName(store::KeyStatus status);

class KeyManager {
 public:
  // `kek` must be 32 bytes. Does not touch the store.
  static Result<std::unique_ptr<KeyManager>> Create(store::Store& store, crypto::SecretBytes kek,
                                                    const Clock& clock);

  // Creates the first active and next keys when the store has none, then loads.
  Status EnsureKeys();
  // See the life cycle above. Then reloads.
  Status Rotate();
  Result<std::vector<KeyInfo>> List() const;

  // The current snapshot (reloading when older than kReloadSeconds; on a reload failure the
  // previous snapshot stays). Null only before a successful EnsureKeys()/Reload().
  std::shared_ptr<const KeySnapshot> Current();
  Status Reload();

 private:
  KeyManager(store::Store& store, crypto::SecretBytes kek, const Clock& clock)
      : store_(store), kek_(std::move(kek)), clock_(clock) {}
  Result<std::string> CreateNextKey();
  Result<crypto::PrivateKey> OpenKey(const store::SigningKey& key) const;

  store::Store& store_;
  const crypto::SecretBytes kek_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::shared_ptr<const KeySnapshot> snapshot_;
};

// Exposed for tests: seal/open a private key under a KEK bound to `kid`.
Result<Bytes> SealPrivateKey(BytesView kek, std::string_view kid, const crypto::PrivateKey& key);
Result<crypto::PrivateKey> OpenPrivateKey(BytesView kek, std::string_view kid, BytesView sealed);

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_KEY_MANAGER_H_
