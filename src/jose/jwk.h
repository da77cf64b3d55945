// JSON Web Keys (RFC 7517) and JWK Sets for the key types Accord supports: EC (P-256, P-384, P-521;
// RFC 7518 section 6.2), RSA (>= 2048 bits; RFC 7518 section 6.3) and OKP (Ed25519, X25519;
// RFC 8037). Symmetric "oct" keys and any other kty are rejected with reason "unsupported_kty": a
// public-key verifier can never be handed an HMAC secret. Wire format: docs/jose.md.
//
// A Jwk always holds a validated crypto::PublicKey (points on the curve, RSA >= 2048 bits) and
// optionally the matching crypto::PrivateKey, plus the optional metadata members kid, alg, use and
// key_ops. Other members (x5c, x5t, ...) are ignored on parse and never re-emitted.
//
// Serialisation emits only public members. Private members leave a Jwk only through the loudly
// named ToPrivateJson(), which returns crypto::SecretBytes.
//
// Lifetime and thread safety: Jwk and Jwks are immutable values after construction (the setters
// are meant for building), cheap to copy (keys are shared) and safe to read from several threads.
#ifndef ACCORD_JOSE_JWK_H_
#define ACCORD_JOSE_JWK_H_

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "crypto/keys.h"
#include "crypto/secret.h"
#include "crypto/signature.h"
#include "jose/limits.h"

namespace accord::jose {

// The RFC 9278 URI prefix for SHA-256 thumbprints.
inline constexpr std::string_view kJwkThumbprintUriPrefix =
    "urn:ietf:params:oauth:jwk-thumbprint:sha-256:";

class Jwk {
 public:
  // Parses one JWK (public or private) from JSON text (bounded, duplicate names rejected).
  // Errors: InvalidArgument "bad_json"/"duplicate_key"/"malformed_jwk"/"bad_base64url"/
  // "unsupported_kty"/"invalid_key" (not on the curve, RSA too small, private/public mismatch).
  static Result<Jwk> Parse(std::string_view json);
  static Result<Jwk> FromJson(const boost::json::object& object);
  // Parses and requires that no private members are present (for keys from the outside world,
  // e.g. an "epk" or a fetched JWKS). A private member -> InvalidArgument "unexpected_private_key".
  static Result<Jwk> ParsePublic(std::string_view json);
  static Result<Jwk> FromPublicJson(const boost::json::object& object);

  static Jwk FromPublicKey(crypto::PublicKey key);
  static Jwk FromPrivateKey(crypto::PrivateKey key);

  const crypto::PublicKey& public_key() const { return public_key_; }
  bool has_private_key() const { return private_key_.has_value(); }
  // nullptr when this is a public-only JWK.
  const crypto::PrivateKey* private_key() const {
    return private_key_ ? &*private_key_ : nullptr;
  }
  crypto::KeyType type() const { return public_key_.type(); }
  crypto::Curve curve() const { return public_key_.curve(); }
  std::string_view kty() const;  // "EC", "RSA", "OKP"

  // Metadata (empty when absent).
  const std::string& kid() const { return kid_; }
  const std::string& alg() const { return alg_; }
  const std::string& use() const { return use_; }  // "sig", "enc" or another value
  const std::vector<std::string>& key_ops() const { return key_ops_; }
  void set_kid(std::string kid) { kid_ = std::move(kid); }
  void set_alg(std::string alg) { alg_ = std::move(alg); }
  void set_use(std::string use) { use_ = std::move(use); }
  void set_key_ops(std::vector<std::string> ops) { key_ops_ = std::move(ops); }
  // Sets kid to the RFC 7638 thumbprint.
  void SetKidToThumbprint() { kid_ = Thumbprint(); }

  // A copy without the private key.
  Jwk PublicOnly() const;

  // Public members only (kty, crv/x/y, n/e, kid, alg, use, key_ops).
  boost::json::object ToPublicJsonObject() const;
  std::string ToPublicJson() const;
  // Loudly named: the public members plus d (and p, q, dp, dq, qi for RSA). FailedPrecondition
  // "no_private_key" for a public-only JWK. The caller owns the secret text.
  Result<crypto::SecretBytes> ToPrivateJson() const;

  // RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order, base64url.
  std::string Thumbprint() const;
  // RFC 9278: "urn:ietf:params:oauth:jwk-thumbprint:sha-256:" + Thumbprint().
  std::string ThumbprintUri() const;

  // OK when this key may verify/sign with `alg`: the key's own alg (if set) must name it, use (if
  // set) must be "sig", key_ops (if set) must contain "verify" (or "sign" when signing), and the
  // key type/curve must fit (crypto::CheckKeyForAlgorithm). Otherwise PermissionDenied
  // "alg_key_mismatch".
  Status CheckForSignature(crypto::SignatureAlgorithm alg, bool signing) const;

 private:
  explicit Jwk(crypto::PublicKey key) : public_key_(std::move(key)) {}
  crypto::PublicKey public_key_;
  std::optional<crypto::PrivateKey> private_key_;
  std::string kid_, alg_, use_;
  std::vector<std::string> key_ops_;
};

// A JWK Set (RFC 7517 section 5). As section 5 recommends, members of "keys" with an unsupported
// kty or unsupported parameters (e.g. "oct", "EC" on secp256k1) are skipped and counted rather than
// failing the whole set; a malformed supported key fails the parse.
class Jwks {
 public:
  Jwks() = default;
  explicit Jwks(std::vector<Jwk> keys) : keys_(std::move(keys)) {}

  // At most kMaxJwksBytes of text and kMaxJwksKeys keys (OutOfRange "too_large"/"too_many_keys").
  static Result<Jwks> Parse(std::string_view json);
  // As Parse, but every key must be public (InvalidArgument "unexpected_private_key").
  static Result<Jwks> ParsePublic(std::string_view json);

  const std::vector<Jwk>& keys() const { return keys_; }
  size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }
  // Number of keys Parse skipped as unsupported.
  size_t skipped() const { return skipped_; }
  void Add(Jwk key) { keys_.push_back(std::move(key)); }

  // The key with this kid. NotFound "unknown_kid" when none; InvalidArgument "duplicate_kid" when
  // the set holds several keys with that kid.
  Result<const Jwk*> FindByKid(std::string_view kid) const;
  // Keys usable for this signature algorithm (Jwk::CheckForSignature), in set order, optionally
  // restricted to a kid: keys with that kid, plus keys that carry no kid at all.
  std::vector<const Jwk*> SelectForSignature(crypto::SignatureAlgorithm alg, bool signing,
                                             std::optional<std::string_view> kid) const;

  // {"keys":[...]} with public members only.
  boost::json::object ToPublicJsonObject() const;
  std::string ToPublicJson() const;
  // Public copies of every key.
  Jwks PublicOnly() const;

 private:
  static Result<Jwks> ParseImpl(std::string_view json, bool public_only);
  std::vector<Jwk> keys_;
  size_t skipped_ = 0;
};

}  // namespace accord::jose

#endif  // ACCORD_JOSE_JWK_H_
