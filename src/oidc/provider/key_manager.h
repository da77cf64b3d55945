// KeyManager: one provider's signing keys, kept in the Store's key table under an `owner` (the
// provider id: "accord", "sandbox-uk", ...; several providers share one store). It keeps an active
// key per algorithm in use: ES256 (P-256) always, PS256 (RSA 2048) when a client asks for PS256 ID
// tokens. RSA 2048 because FAPI 2.0 and One Login-integrated RPs expect >= 2048 and a 2048-bit PSS
// signature costs about a third of a 3072-bit one; keys rotate, so the margin of 3072 buys little.
//
// Each private key is stored as PKCS#8 PEM sealed with AES-256-GCM under the key-encryption key
// (KEK): sealed = iv(12) || ciphertext || tag(16), AAD = "accord-signing-key:" || kid, so a sealed
// key moved to another kid's row does not open. The KEK never leaves this object.
//
// Life cycle (store::KeyStatus), per algorithm: next -> active -> retired. At first start
// EnsureKeys() creates an active key and a next key for every algorithm. Rotate(alg): that
// algorithm's `next` becomes active (only its old active retires) and a new `next` is created, so
// a key is always published in the JWKS before it signs. The JWKS publishes next + active +
// retired keys of every algorithm for kRetiredPublishSeconds after retirement.
//
// Several processes may share the store (`accord keys rotate` while `accord serve` runs): Current()
// reloads from the store at most every kReloadSeconds.
//
// Thread safety: all methods are safe to call concurrently; Current() returns an immutable
// snapshot. The Store and Clock must outlive the KeyManager.
#ifndef ACCORD_OIDC_PROVIDER_KEY_MANAGER_H_
#define ACCORD_OIDC_PROVIDER_KEY_MANAGER_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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

using SignerMap =
    std::map<crypto::SignatureAlgorithm, std::shared_ptr<const jose::JwtSigner>>;

// What the server signs with and publishes, at one moment.
struct KeySnapshot {
  std::shared_ptr<const jose::JwtSigner> id_token_signer;      // ES256, typ "JWT"
  std::shared_ptr<const jose::JwtSigner> access_token_signer;  // ES256, typ "at+jwt"
  SignerMap id_token_signers;      // per algorithm in use, typ "JWT"
  SignerMap logout_token_signers;  // per algorithm in use, typ "logout+jwt"
  jose::Jwks public_jwks;    // next + active + recently retired of every algorithm, public halves
  std::string jwks_json;     // pre-rendered {"keys":[...]}
  int64_t loaded_at = 0;

  // Null when no active key of that algorithm is loaded.
  const jose::JwtSigner* IdTokenSigner(crypto::SignatureAlgorithm alg) const;
  const jose::JwtSigner* LogoutTokenSigner(crypto::SignatureAlgorithm alg) const;
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
  // `kek` must be 32 bytes; `owner` non-empty; `algorithms` a non-empty subset of {ES256, PS256}
  // (ES256 is always added: access tokens are ES256). Does not touch the store.
  static Result<std::unique_ptr<KeyManager>> Create(
      store::Store& store, crypto::SecretBytes kek, const Clock& clock,
      std::string owner = "accord",
      std::vector<crypto::SignatureAlgorithm> algorithms = {crypto::SignatureAlgorithm::kEs256});

  // Creates a missing active and next key for every algorithm, then loads.
  Status EnsureKeys();
  // See the life cycle above: one algorithm, or every algorithm in use (nullopt). Then reloads.
  // FailedPrecondition "bad_state" without a next key; InvalidArgument "bad_alg" for an
  // algorithm this manager does not use.
  Status Rotate(std::optional<crypto::SignatureAlgorithm> alg = std::nullopt);
  // This owner's keys, oldest first.
  Result<std::vector<KeyInfo>> List() const;
  const std::string& owner() const { return owner_; }
  const std::vector<crypto::SignatureAlgorithm>& algorithms() const { return algorithms_; }

  // The current snapshot (reloading when older than kReloadSeconds; on a reload failure the
  // previous snapshot stays). Null only before a successful EnsureKeys()/Reload().
  std::shared_ptr<const KeySnapshot> Current();
  Status Reload();

 private:
  KeyManager(store::Store& store, crypto::SecretBytes kek, const Clock& clock, std::string owner,
             std::vector<crypto::SignatureAlgorithm> algorithms)
      : store_(store), kek_(std::move(kek)), clock_(clock), owner_(std::move(owner)),
        algorithms_(std::move(algorithms)) {}
  Result<std::string> CreateNextKey(crypto::SignatureAlgorithm alg);
  Status EnsureKeysFor(crypto::SignatureAlgorithm alg, const std::vector<store::SigningKey>& keys);
  Status RotateLocked(crypto::SignatureAlgorithm alg, const std::vector<store::SigningKey>& keys);
  Result<crypto::PrivateKey> OpenKey(const store::SigningKey& key) const;

  store::Store& store_;
  const crypto::SecretBytes kek_;
  const Clock& clock_;
  const std::string owner_;
  const std::vector<crypto::SignatureAlgorithm> algorithms_;
  mutable std::mutex mu_;
  std::shared_ptr<const KeySnapshot> snapshot_;
  std::atomic<bool> reloading_{false};  // a Current() caller is reloading a stale snapshot
};

// Exposed for tests: seal/open a private key under a KEK bound to `kid`.
Result<Bytes> SealPrivateKey(BytesView kek, std::string_view kid, const crypto::PrivateKey& key);
Result<crypto::PrivateKey> OpenPrivateKey(BytesView kek, std::string_view kid, BytesView sealed);

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_KEY_MANAGER_H_
