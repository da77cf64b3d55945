// Fuzzes compact JWS verification (jose::JwsVerifier::Verify) with fixed ES256 and EdDSA keys and
// every signature algorithm allowed: parsing, header checks, key selection and signature checks
// must reject garbage with a Status and never crash, leak or read out of bounds. A token that does
// verify must carry a header that names an algorithm and a payload that re-verifies unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz/jose/fuzz_keys.h"
#include "jose/jws.h"

namespace {

const accord::jose::JwsVerifier& Verifier() {
  static const accord::jose::JwsVerifier* verifier = [] {
    using accord::crypto::SignatureAlgorithm;
    accord::jose::JwsVerifyOptions options;
    options.allowed_algs = {SignatureAlgorithm::kEs256, SignatureAlgorithm::kEs384,
                            SignatureAlgorithm::kEs512, SignatureAlgorithm::kPs256,
                            SignatureAlgorithm::kPs384, SignatureAlgorithm::kPs512,
                            SignatureAlgorithm::kRs256, SignatureAlgorithm::kEdDsa};
    options.understood_crit = {"exp"};
    auto created = accord::jose::JwsVerifier::Create(
        accord::fuzz::MustParseKeys(accord::fuzz::kSigningKeys), std::move(options));
    if (!created.ok()) std::abort();
    return new accord::jose::JwsVerifier(std::move(created).value());
  }();
  return *verifier;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view token(reinterpret_cast<const char*>(data), size);
  auto verified = Verifier().Verify(token);
  if (verified.ok()) {
    if (!verified->header().contains("alg")) std::abort();
    auto again = Verifier().Verify(token);
    if (!again.ok() || again->payload() != verified->payload()) std::abort();
  } else if (verified.status().reason().empty()) {
    std::abort();  // every rejection carries a stable reason token
  }
  return 0;
}
