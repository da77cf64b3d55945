// Fuzzes compact JWE decryption (jose::JweDecrypter::Decrypt) with fixed P-256 and X25519 keys and
// every ECDH-ES key management mode and content encryption allowed: header parsing, epk
// validation, key agreement, unwrapping and authenticated decryption must fail with a Status on
// any corruption and never crash. A decryption that succeeds must be repeatable.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz/jose/fuzz_keys.h"
#include "jose/jwe.h"

namespace {

const accord::jose::JweDecrypter& Decrypter() {
  static const accord::jose::JweDecrypter* decrypter = [] {
    using accord::jose::JweAlg;
    using accord::jose::JweEnc;
    accord::jose::JweDecryptOptions options;
    options.allowed_algs = {JweAlg::kEcdhEs, JweAlg::kEcdhEsA128Kw, JweAlg::kEcdhEsA192Kw,
                            JweAlg::kEcdhEsA256Kw, JweAlg::kRsaOaep256};
    options.allowed_encs = {JweEnc::kA128Gcm,      JweEnc::kA192Gcm,      JweEnc::kA256Gcm,
                            JweEnc::kA128CbcHs256, JweEnc::kA192CbcHs384, JweEnc::kA256CbcHs512};
    auto created = accord::jose::JweDecrypter::Create(
        accord::fuzz::MustParseKeys(accord::fuzz::kEncryptionKeys), std::move(options));
    if (!created.ok()) std::abort();
    return new accord::jose::JweDecrypter(std::move(created).value());
  }();
  return *decrypter;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view token(reinterpret_cast<const char*>(data), size);
  auto decrypted = Decrypter().Decrypt(token);
  if (decrypted.ok()) {
    auto again = Decrypter().Decrypt(token);
    if (!again.ok() || again->plaintext() != decrypted->plaintext()) std::abort();
  } else if (decrypted.status().reason().empty()) {
    std::abort();  // every rejection carries a stable reason token
  }
  return 0;
}
