// Fixed test-only keys for the JOSE fuzz targets (generated once with `accord jose keygen`; they
// protect nothing). The committed corpora in fuzz/corpus/jws and fuzz/corpus/jwe hold tokens made
// with these keys, so the fuzzers start from inputs that pass the signature and decryption checks.
#ifndef ACCORD_FUZZ_JOSE_FUZZ_KEYS_H_
#define ACCORD_FUZZ_JOSE_FUZZ_KEYS_H_

#include <cstdlib>
#include <string_view>

#include "jose/jwk.h"

namespace accord::fuzz {

inline constexpr std::string_view kSigningKeys = R"({"keys":[
{"kty":"EC","crv":"P-256","x":"9ax8mSWHRiE7e1SCbc7b5lzLDyD4B2uVkkwyQeZkdSw","y":"CgIhPdTxj_RNPyDQZPf0zxy1uptJQvzkZKrL2tELigo","kid":"fuzz-es256","use":"sig","d":"BE5pLVgo16Q_HKHRxaYll84XO5aIp9PoKFfOiHlUlag"},
{"kty":"OKP","crv":"Ed25519","x":"UyTJZryyWN0rBNIrjGnVRUQpVUdRsRQM1CpmEehitVQ","kid":"fuzz-eddsa","d":"WUHmrMIRC4RuP34yEfYHILU5DADjSWvPp6YYegXYoRQ"}]})";

inline constexpr std::string_view kEncryptionKeys = R"({"keys":[
{"kty":"EC","crv":"P-256","x":"qpIYHdqLvYfSCIqxaT4LHAd52mbIm8URfP8g_crPyOA","y":"nItCpTzPzg03DL7nWRn6e9Oy57Cq6he2e7SsEo-5npo","kid":"fuzz-enc-p256","use":"enc","d":"LLI0JhjBd26-8RuC3wouKCrduM7ffKJhLa7l75qtteU"},
{"kty":"OKP","crv":"X25519","x":"GDdWaiZW-mIoAcAmEpvH4VkyTsL1pPcs14sQzUH8jhQ","kid":"fuzz-enc-x25519","d":"EDHlJr5HyWpdp5uH6hM1AZeHVTUqzUc_HPzSyoy63WE"}]})";

// Parses a fixed key set; a failure is a bug in the harness, so it aborts.
inline jose::Jwks MustParseKeys(std::string_view json) {
  auto keys = jose::Jwks::Parse(json);
  if (!keys.ok() || keys->size() != 2) std::abort();
  return std::move(keys).value();
}

}  // namespace accord::fuzz

#endif  // ACCORD_FUZZ_JOSE_FUZZ_KEYS_H_
