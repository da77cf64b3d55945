// OpenID Connect at_hash / c_hash / s_hash (OIDC Core sections 3.1.3.6, 3.3.2.11): the
// base64url-encoded left half of the hash of the ASCII value, with the hash of the ID token's
// signature algorithm: SHA-256 for ES256/PS256/RS256, SHA-384 for ES384/PS384, SHA-512 for
// ES512/PS512 and for EdDSA with Ed25519 (the OpenID Foundation's ruling for Ed25519).
//
// Thread safety: stateless.
#ifndef ACCORD_JOSE_TOKEN_HASH_H_
#define ACCORD_JOSE_TOKEN_HASH_H_

#include <string>
#include <string_view>

#include "crypto/hash.h"
#include "crypto/signature.h"

namespace accord::jose {

crypto::HashAlgorithm TokenHashAlgorithm(crypto::SignatureAlgorithm alg);
std::string ComputeTokenHash(crypto::SignatureAlgorithm alg, std::string_view value);
// Constant-time comparison of `claimed` with ComputeTokenHash(alg, value).
bool TokenHashMatches(crypto::SignatureAlgorithm alg, std::string_view value,
                      std::string_view claimed);

}  // namespace accord::jose

#endif  // ACCORD_JOSE_TOKEN_HASH_H_
