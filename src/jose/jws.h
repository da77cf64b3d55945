// Compact JWS (RFC 7515) signing and verification for ES256/ES384/ES512, PS256/PS384/PS512, RS256
// and EdDSA (RFC 8037). There is no "none" and no HS*: those names cannot be expressed as a
// crypto::SignatureAlgorithm, so no policy can allow them. Format and error reasons: docs/jose.md.
//
// Verification order (JwsVerifier::Verify), each failure a distinct reason:
//   1. size <= max_token_bytes                         OutOfRange "too_large"
//   2. exactly three '.'-separated segments            InvalidArgument "malformed"
//   3. strict base64url of every segment               InvalidArgument "bad_base64url"
//   4. protected header: bounded JSON object, no duplicate names
//                                                      InvalidArgument "malformed"/"duplicate_key"
//   5. "alg" is a string naming an algorithm in the caller's policy
//                                                      PermissionDenied "unsupported_alg"
//   6. "crit" well formed and only names the caller understands; "b64" (RFC 7797) never accepted
//                                                      InvalidArgument "malformed" /
//                                                      PermissionDenied "unsupported_crit"
//   7. key selection by "kid"                          NotFound "unknown_kid"
//      and the key must fit the alg (key alg/use/type/curve)
//                                                      PermissionDenied "alg_key_mismatch"
//   8. signature over ASCII(header.payload)            Unauthenticated "bad_signature"
// Only then is a VerifiedJws made; the payload is returned as bytes and is never parsed here.
// Header-embedded keys (jwk, jku, x5u, x5c) are ignored: keys come only from the verifier.
//
// Thread safety: JwsSigner and JwsVerifier are immutable after Create() and safe to share.
#ifndef ACCORD_JOSE_JWS_H_
#define ACCORD_JOSE_JWS_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/signature.h"
#include "jose/jwk.h"
#include "jose/limits.h"

namespace accord::jose {

class JwsSigner {
 public:
  // `key` must hold a private key that fits `alg` (Jwk::CheckForSignature); else
  // PermissionDenied "alg_key_mismatch" or FailedPrecondition "no_private_key".
  static Result<JwsSigner> Create(Jwk key, crypto::SignatureAlgorithm alg);

  // Compact serialisation. The protected header is {"alg":..., "kid": key kid if any} followed
  // by `extra_header` members (e.g. "typ"). extra_header may not contain alg, kid, crit, b64, enc
  // or zip: InvalidArgument "reserved_header".
  Result<std::string> Sign(BytesView payload, const boost::json::object& extra_header = {}) const;
  Result<std::string> Sign(std::string_view payload,
                           const boost::json::object& extra_header = {}) const {
    return Sign(AsBytes(payload), extra_header);
  }

  crypto::SignatureAlgorithm alg() const { return alg_; }
  const std::string& kid() const { return key_.kid(); }
  // The public half, e.g. for publishing in a JWKS.
  Jwk PublicJwk() const { return key_.PublicOnly(); }

 private:
  JwsSigner(Jwk key, crypto::SignatureAlgorithm alg) : key_(std::move(key)), alg_(alg) {}
  Jwk key_;
  crypto::SignatureAlgorithm alg_;
};

// The result of a successful verification; only JwsVerifier can make one.
class VerifiedJws {
 public:
  const boost::json::object& header() const { return header_; }
  const Bytes& payload() const { return payload_; }
  std::string_view payload_string() const { return AsStringView(payload_); }
  crypto::SignatureAlgorithm alg() const { return alg_; }
  // kid of the key that verified the signature (empty when that key has none).
  const std::string& key_id() const { return key_id_; }
  // The "typ" header value, empty when absent.
  std::string typ() const;
  // The "cty" header value, empty when absent.
  std::string cty() const;

 private:
  friend class JwsVerifier;
  VerifiedJws(boost::json::object header, Bytes payload, crypto::SignatureAlgorithm alg,
              std::string key_id)
      : header_(std::move(header)), payload_(std::move(payload)), alg_(alg),
        key_id_(std::move(key_id)) {}
  boost::json::object header_;
  Bytes payload_;
  crypto::SignatureAlgorithm alg_;
  std::string key_id_;
};

struct JwsVerifyOptions {
  // Must be non-empty. The token's alg must be one of these AND fit the selected key.
  std::vector<crypto::SignatureAlgorithm> allowed_algs;
  // Extension header names the caller processes itself and so may appear in "crit".
  std::vector<std::string> understood_crit;
  // At most kHardMaxTokenBytes.
  size_t max_token_bytes = kDefaultMaxTokenBytes;
};

class JwsVerifier {
 public:
  // Errors: InvalidArgument "empty_policy" (no algorithms), "no_keys" (empty set),
  // "bad_limit" (max_token_bytes 0 or above the hard max), "registered_crit" (understood_crit
  // names a registered header). Private keys are reduced to their public halves.
  static Result<JwsVerifier> Create(Jwks keys, JwsVerifyOptions options);
  static Result<JwsVerifier> Create(Jwk key, JwsVerifyOptions options);

  // See the verification order at the top of this file. Keys: when the header has a kid, the
  // candidates are the keys with that kid plus keys without a kid (none -> "unknown_kid"); without
  // a kid, every key that fits the alg is tried.
  Result<VerifiedJws> Verify(std::string_view compact) const;

  const Jwks& keys() const { return keys_; }

 private:
  JwsVerifier(Jwks keys, JwsVerifyOptions options)
      : keys_(std::move(keys)), options_(std::move(options)) {}
  Jwks keys_;
  JwsVerifyOptions options_;
};

}  // namespace accord::jose

#endif  // ACCORD_JOSE_JWS_H_
