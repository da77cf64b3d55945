// Derives an Ed25519 public key from its 32-byte seed (RFC 8032 section 5.1.5), which
// crypto::PrivateKey::FromComponents needs alongside the seed. OpenSSL 3 raw-key API, RAII.
//
// Thread safety: pure function.
#ifndef ACCORD_AUDIT_INTERNAL_ED25519_H_
#define ACCORD_AUDIT_INTERNAL_ED25519_H_

#include "common/bytes.h"
#include "common/status.h"

namespace accord::audit::internal {

// seed must be 32 bytes; returns the 32-byte public key.
Result<Bytes> Ed25519PublicFromSeed(BytesView seed);

}  // namespace accord::audit::internal

#endif  // ACCORD_AUDIT_INTERNAL_ED25519_H_
