// ECDH-ES key derivation (RFC 7518 section 4.6.2): Z = ECDH(mine, peer), then the Concat KDF with
// OtherInfo = AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo, where the first three are
// 32-bit big-endian length-prefixed and SuppPubInfo is the key length in bits (32-bit BE).
// AlgorithmID is the "enc" value for direct key agreement and the "alg" value for ECDH-ES+AxxxKW.
//
// Thread safety: stateless.
#ifndef ACCORD_JOSE_INTERNAL_ECDH_ES_H_
#define ACCORD_JOSE_INTERNAL_ECDH_ES_H_

#include <string_view>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/keys.h"
#include "crypto/secret.h"

namespace accord::jose::internal {

Bytes BuildOtherInfo(std::string_view algorithm_id, BytesView apu, BytesView apv,
                     size_t key_bytes);

Result<crypto::SecretBytes> DeriveEcdhEsKey(const crypto::PrivateKey& mine,
                                            const crypto::PublicKey& peer,
                                            std::string_view algorithm_id, BytesView apu,
                                            BytesView apv, size_t key_bytes);

}  // namespace accord::jose::internal

#endif  // ACCORD_JOSE_INTERNAL_ECDH_ES_H_
