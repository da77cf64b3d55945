// Compact JWE (RFC 7516) with key management ECDH-ES, ECDH-ES+A128KW, ECDH-ES+A192KW,
// ECDH-ES+A256KW (RFC 7518 section 4.6, curves P-256/P-384/P-521 and X25519 per RFC 8037) and
// RSA-OAEP-256 (section 4.3), and content encryption A128GCM, A192GCM, A256GCM, A128CBC-HS256,
// A192CBC-HS384, A256CBC-HS512 (section 5). Not supported: RSA1_5, RSA-OAEP (SHA-1), dir, A*KW,
// A*GCMKW, PBES2, "zip". Format and error reasons: docs/jose.md.
//
// Decryption order (JweDecrypter::Decrypt):
//   1. size <= max_token_bytes                                  OutOfRange "too_large"
//   2. exactly five segments, strict base64url                  "malformed" / "bad_base64url"
//   3. protected header: bounded JSON object, no duplicates     "malformed" / "duplicate_key"
//   4. "zip" present -> PermissionDenied "unsupported_zip"; "crit" as for JWS ("unsupported_crit")
//   5. alg/enc named and in the caller's policy                 PermissionDenied "unsupported_alg"
//                                                               / "unsupported_enc"
//   6. key selection by kid ("unknown_kid"), key must fit alg   "alg_key_mismatch"
//   7. ECDH-ES: "epk" must be a public JWK on the recipient's curve (off-curve points are rejected
//      by the crypto layer)                                     InvalidArgument "bad_epk"
//   8. key agreement / unwrap / content decryption with AAD = ASCII(encoded protected header).
//      Every failure here is the same Unauthenticated "decrypt_failed", whichever step failed.
//
// Thread safety: JweEncrypter and JweDecrypter are immutable after Create() and safe to share.
#ifndef ACCORD_JOSE_JWE_H_
#define ACCORD_JOSE_JWE_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "jose/jwk.h"
#include "jose/jws.h"
#include "jose/limits.h"

namespace accord::jose {

enum class JweAlg { kEcdhEs, kEcdhEsA128Kw, kEcdhEsA192Kw, kEcdhEsA256Kw, kRsaOaep256 };
enum class JweEnc { kA128Gcm, kA192Gcm, kA256Gcm, kA128CbcHs256, kA192CbcHs384, kA256CbcHs512 };

std::string_view JweAlgName(JweAlg alg);  // "ECDH-ES", ..., "RSA-OAEP-256"
std::string_view JweEncName(JweEnc enc);  // "A128GCM", ..., "A256CBC-HS512"
// Unknown names -> InvalidArgument "unsupported_alg" / "unsupported_enc".
Result<JweAlg> JweAlgFromName(std::string_view name);
Result<JweEnc> JweEncFromName(std::string_view name);
// Content-encryption key length in bytes (16/24/32 for GCM, 32/48/64 for CBC-HMAC).
size_t JweEncKeySize(JweEnc enc);

// Optional header members for one encryption.
struct JweHeaderOptions {
  std::string typ;  // e.g. "JWT"
  std::string cty;  // "JWT" for a nested JWT
  Bytes apu, apv;   // ECDH-ES PartyUInfo / PartyVInfo (emitted base64url when non-empty)
};

class JweEncrypter {
 public:
  // `recipient` is reduced to its public half. Its type must fit `alg` (EC P-256/384/521 or
  // X25519 for ECDH-ES*, RSA for RSA-OAEP-256) and its use/alg/key_ops metadata (if set) must
  // allow encryption: else PermissionDenied "alg_key_mismatch".
  static Result<JweEncrypter> Create(Jwk recipient, JweAlg alg, JweEnc enc);

  // Compact serialisation; the header carries alg, enc, kid (when the key has one), epk (ECDH-ES)
  // and the options.
  Result<std::string> Encrypt(BytesView plaintext, const JweHeaderOptions& options = {}) const;
  Result<std::string> Encrypt(std::string_view plaintext,
                              const JweHeaderOptions& options = {}) const {
    return Encrypt(AsBytes(plaintext), options);
  }

  JweAlg alg() const { return alg_; }
  JweEnc enc() const { return enc_; }

 private:
  JweEncrypter(Jwk recipient, JweAlg alg, JweEnc enc)
      : recipient_(std::move(recipient)), alg_(alg), enc_(enc) {}
  Jwk recipient_;
  JweAlg alg_;
  JweEnc enc_;
};

// The result of a successful decryption; only JweDecrypter can make one.
class DecryptedJwe {
 public:
  const boost::json::object& header() const { return header_; }
  const Bytes& plaintext() const { return plaintext_; }
  std::string_view plaintext_string() const { return AsStringView(plaintext_); }
  JweAlg alg() const { return alg_; }
  JweEnc enc() const { return enc_; }
  const std::string& key_id() const { return key_id_; }
  std::string cty() const;  // empty when absent
  std::string typ() const;

 private:
  friend class JweDecrypter;
  DecryptedJwe(boost::json::object header, Bytes plaintext, JweAlg alg, JweEnc enc,
               std::string key_id)
      : header_(std::move(header)), plaintext_(std::move(plaintext)), alg_(alg), enc_(enc),
        key_id_(std::move(key_id)) {}
  boost::json::object header_;
  Bytes plaintext_;
  JweAlg alg_;
  JweEnc enc_;
  std::string key_id_;
};

struct JweDecryptOptions {
  std::vector<JweAlg> allowed_algs;  // non-empty
  std::vector<JweEnc> allowed_encs;  // non-empty
  std::vector<std::string> understood_crit;
  size_t max_token_bytes = kDefaultMaxTokenBytes;  // at most kHardMaxTokenBytes
};

class JweDecrypter {
 public:
  // Every key must hold a private key. Errors: InvalidArgument "empty_policy", "no_keys",
  // "bad_limit", "registered_crit"; FailedPrecondition "no_private_key".
  static Result<JweDecrypter> Create(Jwks private_keys, JweDecryptOptions options);
  static Result<JweDecrypter> Create(Jwk private_key, JweDecryptOptions options);

  // See the decryption order at the top of this file.
  Result<DecryptedJwe> Decrypt(std::string_view compact) const;

 private:
  JweDecrypter(Jwks keys, JweDecryptOptions options)
      : keys_(std::move(keys)), options_(std::move(options)) {}
  Jwks keys_;
  JweDecryptOptions options_;
};

// Nested JWT (RFC 7519 section 5.2, as Singpass sends ID tokens): decrypts `compact`, requires
// the JWE "cty" to be "JWT" (case-insensitive; else InvalidArgument "not_nested"), then verifies
// the plaintext as a compact JWS.
Result<VerifiedJws> DecryptAndVerifyNested(const JweDecrypter& decrypter,
                                           const JwsVerifier& verifier, std::string_view compact);

}  // namespace accord::jose

#endif  // ACCORD_JOSE_JWE_H_
