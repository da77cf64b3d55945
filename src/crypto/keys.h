// Asymmetric keys: EC (P-256, P-384, P-521), OKP (Ed25519, X25519) and RSA (>= 2048 bits), wrapping an
// OpenSSL 3 EVP_PKEY.
//
// Every constructor validates: EC points must be on the named curve (this is what stops
// invalid-curve attacks on ECDH), coordinates must have the curve's exact length, RSA moduli must be
// at least 2048 (and at most 8192) bits with an odd public exponent >= 3, private keys must match
// their public part (RSA private keys from components need the CRT parameters p, q, dp, dq, qi).
// Error reasons: "invalid_key", "weak_key", "unsupported_key", "bad_pem", "too_large"
// (docs/crypto.md).
//
// PrivateKey never prints its secret: private components leave only as SecretBytes through
// explicitly named export functions.
//
// Lifetime and thread safety: keys are immutable, cheap to copy (shared ownership of the EVP_PKEY)
// and safe to use from several threads at once.
#ifndef ACCORD_CRYPTO_KEYS_H_
#define ACCORD_CRYPTO_KEYS_H_

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/secret.h"

namespace accord::crypto {

namespace internal {
struct KeyOps;                        // crypto/internal/key_ops.h
std::shared_ptr<KeyOps> NewKeyOps();
}  // namespace internal

enum class KeyType { kEc, kRsa, kOkp };
enum class Curve { kNone, kP256, kP384, kP521, kEd25519, kX25519 };

// JWK names: "P-256", "P-384", "P-521", "Ed25519", "X25519".
std::string_view CurveName(Curve curve);
Result<Curve> CurveFromName(std::string_view name);
// Byte length of one coordinate / raw key: 32, 48, 66, 32, 32.
size_t CurveFieldSize(Curve curve);

// Public parts, big-endian unsigned, as JWK (RFC 7518 section 6) carries them: EC x and y padded to
// the field size; RSA n and e without leading zeros; OKP x raw (RFC 8037).
struct PublicComponents {
  KeyType type;
  Curve curve = Curve::kNone;  // kNone for RSA
  Bytes x, y;                  // EC: x, y; OKP: x
  Bytes n, e;                  // RSA
};

// Private parts (with the public ones). RSA CRT parameters are always present on export.
struct PrivateComponents {
  PublicComponents pub;
  SecretBytes d;                         // EC scalar / OKP raw private key / RSA private exponent
  SecretBytes p, q, dp, dq, qi;          // RSA only
};

class PublicKey {
 public:
  static Result<PublicKey> FromComponents(const PublicComponents& c);
  // SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----").
  static Result<PublicKey> FromPem(std::string_view pem);

  KeyType type() const { return type_; }
  Curve curve() const { return curve_; }
  int bits() const;  // RSA modulus bits; curve order bits for EC/OKP
  PublicComponents Components() const;
  std::string ToPem() const;
  // True when both are the same public key (same type, curve and components).
  bool Equals(const PublicKey& other) const;

  // For src/crypto internals only.
  EVP_PKEY* evp() const { return pkey_.get(); }
  internal::KeyOps& ops() const { return *ops_; }

 private:
  friend class PrivateKey;
  PublicKey(std::shared_ptr<EVP_PKEY> pkey, KeyType type, Curve curve)
      : pkey_(std::move(pkey)), ops_(internal::NewKeyOps()), type_(type), curve_(curve) {}
  std::shared_ptr<EVP_PKEY> pkey_;
  std::shared_ptr<internal::KeyOps> ops_;  // shared by copies: verify contexts
  KeyType type_;
  Curve curve_;
};

class PrivateKey {
 public:
  static Result<PrivateKey> GenerateEc(Curve curve);          // P-256, P-384, P-521
  static Result<PrivateKey> GenerateOkp(Curve curve);         // Ed25519, X25519
  static Result<PrivateKey> GenerateRsa(int bits = 2048);     // >= 2048
  // Validates that the private part matches the public part.
  static Result<PrivateKey> FromComponents(const PrivateComponents& c);
  // PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), unencrypted.
  static Result<PrivateKey> FromPem(std::string_view pem);

  KeyType type() const { return type_; }
  Curve curve() const { return curve_; }
  int bits() const;
  const PublicKey& public_key() const { return public_; }

  // Loudly named: the only ways private material leaves this object.
  PrivateComponents ExportPrivateComponents() const;
  SecretBytes ExportPkcs8Pem() const;

  EVP_PKEY* evp() const { return pkey_.get(); }
  internal::KeyOps& ops() const { return *ops_; }  // for src/crypto internals only

 private:
  PrivateKey(std::shared_ptr<EVP_PKEY> pkey, KeyType type, Curve curve, PublicKey pub)
      : pkey_(std::move(pkey)),
        ops_(internal::NewKeyOps()),
        type_(type),
        curve_(curve),
        public_(std::move(pub)) {}
  static Result<PrivateKey> Wrap(EVP_PKEY* owned);
  std::shared_ptr<EVP_PKEY> pkey_;
  std::shared_ptr<internal::KeyOps> ops_;  // shared by copies: sign contexts
  KeyType type_;
  Curve curve_;
  PublicKey public_;
};

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_KEYS_H_
