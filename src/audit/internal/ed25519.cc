#include "audit/internal/ed25519.h"

#include <openssl/evp.h>

#include <memory>

namespace accord::audit::internal {

Result<Bytes> Ed25519PublicFromSeed(BytesView seed) {
  if (seed.size() != 32) return InvalidArgument("Ed25519 seed must be 32 bytes", "bad_key");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()),
      &EVP_PKEY_free);
  if (!pkey) return Internal("cannot load Ed25519 seed");
  Bytes pub(32);
  size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(pkey.get(), pub.data(), &len) != 1 || len != 32) {
    return Internal("cannot derive Ed25519 public key");
  }
  return pub;
}

}  // namespace accord::audit::internal
