#include "jose/internal/ecdh_es.h"

#include "crypto/key_agreement.h"

namespace accord::jose::internal {
namespace {

void AppendU32(Bytes* out, uint32_t v) {
  out->push_back(static_cast<uint8_t>(v >> 24));
  out->push_back(static_cast<uint8_t>(v >> 16));
  out->push_back(static_cast<uint8_t>(v >> 8));
  out->push_back(static_cast<uint8_t>(v));
}

void AppendPrefixed(Bytes* out, BytesView data) {
  AppendU32(out, static_cast<uint32_t>(data.size()));
  out->insert(out->end(), data.begin(), data.end());
}

}  // namespace

Bytes BuildOtherInfo(std::string_view algorithm_id, BytesView apu, BytesView apv,
                     size_t key_bytes) {
  Bytes out;
  out.reserve(16 + algorithm_id.size() + apu.size() + apv.size());
  AppendPrefixed(&out, AsBytes(algorithm_id));
  AppendPrefixed(&out, apu);
  AppendPrefixed(&out, apv);
  AppendU32(&out, static_cast<uint32_t>(key_bytes * 8));
  return out;
}

Result<crypto::SecretBytes> DeriveEcdhEsKey(const crypto::PrivateKey& mine,
                                            const crypto::PublicKey& peer,
                                            std::string_view algorithm_id, BytesView apu,
                                            BytesView apv, size_t key_bytes) {
  ACCORD_ASSIGN_OR_RETURN(crypto::SecretBytes z, crypto::Ecdh(mine, peer));
  return crypto::ConcatKdfSha256(z.view(), key_bytes,
                                 BuildOtherInfo(algorithm_id, apu, apv, key_bytes));
}

}  // namespace accord::jose::internal
