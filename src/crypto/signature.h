// Digital signatures for the JWS algorithms Accord supports (RFC 7518 section 3, RFC 8037):
// ES256/ES384/ES512 (ECDSA, signatures in the fixed-width r||s form JOSE uses), PS256/PS384/PS512
// (RSASSA-PSS, MGF1 with the same hash, salt length = hash length), RS256 (RSASSA-PKCS1-v1_5) and
// EdDSA (Ed25519). There is no "none" and no MAC here: an HMAC can never be keyed with a public key.
//
// Thread safety: safe to call concurrently with the same keys.
#ifndef ACCORD_CRYPTO_SIGNATURE_H_
#define ACCORD_CRYPTO_SIGNATURE_H_

#include <string_view>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/keys.h"

namespace accord::crypto {

enum class SignatureAlgorithm { kEs256, kEs384, kEs512, kPs256, kPs384, kPs512, kRs256, kEdDsa };

std::string_view JwaName(SignatureAlgorithm alg);  // "ES256", ..., "EdDSA"
// Unknown names (including "none" and "HS256") -> InvalidArgument, reason "unsupported_alg".
Result<SignatureAlgorithm> SignatureAlgorithmFromJwa(std::string_view name);

// OK when the key can be used with the algorithm: ESxxx need the matching curve, PS/RS need RSA
// (>= 2048 bits), EdDSA needs Ed25519. Otherwise PermissionDenied, reason "alg_key_mismatch".
Status CheckKeyForAlgorithm(KeyType type, Curve curve, SignatureAlgorithm alg);

Result<Bytes> Sign(const PrivateKey& key, SignatureAlgorithm alg, BytesView data);
// OK only for a valid signature. A signature that does not verify (including a wrong length or a
// non-canonical encoding) -> Unauthenticated, reason "bad_signature".
Status Verify(const PublicKey& key, SignatureAlgorithm alg, BytesView data, BytesView signature);

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_SIGNATURE_H_
