// Key agreement and derivation for JWE ECDH-ES (RFC 7518 section 4.6).
//
// Ecdh() checks that both keys are on the same curve (P-256, P-384, P-521 or X25519) and that the
// peer's public key is valid; an all-zero X25519 output (a small-order peer point) is rejected.
// ConcatKdf() is the NIST SP 800-56A single-step KDF with SHA-256 that RFC 7518 section 4.6.2
// specifies; the caller builds OtherInfo (AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo).
//
// Thread safety: safe to call concurrently.
#ifndef ACCORD_CRYPTO_KEY_AGREEMENT_H_
#define ACCORD_CRYPTO_KEY_AGREEMENT_H_

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/keys.h"
#include "crypto/secret.h"

namespace accord::crypto {

Result<SecretBytes> Ecdh(const PrivateKey& mine, const PublicKey& peer);

// Derives key_length bytes (at most 64 * 32).
Result<SecretBytes> ConcatKdfSha256(BytesView shared_secret, size_t key_length, BytesView other_info);

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_KEY_AGREEMENT_H_
