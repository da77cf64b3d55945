// Fuzzes JWK and JWK Set parsing and checks the serialisation round trip: a key that parses must
// re-serialise to public JSON that parses (as a public key) to the same key with the same RFC 7638
// thumbprint; a private key's ToPrivateJson() must parse back to the same key; a JWK Set must
// survive ToPublicJson() -> ParsePublic() with its keys in order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/bytes.h"
#include "jose/jwk.h"

namespace {

using accord::jose::Jwk;
using accord::jose::Jwks;

void CheckKeyRoundTrip(const Jwk& key) {
  const std::string thumbprint = key.Thumbprint();
  const std::string public_json = key.ToPublicJson();
  auto reparsed = Jwk::ParsePublic(public_json);
  if (!reparsed.ok()) std::abort();
  if (reparsed->Thumbprint() != thumbprint || reparsed->ToPublicJson() != public_json) std::abort();
  if (!reparsed->public_key().Equals(key.public_key()) || reparsed->has_private_key()) std::abort();
  if (key.has_private_key()) {
    auto secret = key.ToPrivateJson();
    if (!secret.ok()) std::abort();
    auto private_again = Jwk::Parse(accord::AsStringView(secret->view()));
    if (!private_again.ok() || !private_again->has_private_key()) std::abort();
    if (private_again->Thumbprint() != thumbprint) std::abort();
  } else if (key.ToPrivateJson().ok()) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  if (auto key = Jwk::Parse(json); key.ok()) {
    CheckKeyRoundTrip(*key);
    auto public_only = Jwk::ParsePublic(json);
    if (public_only.ok() == key->has_private_key()) std::abort();
  }
  if (auto set = Jwks::Parse(json); set.ok()) {
    for (const Jwk& key : set->keys()) CheckKeyRoundTrip(key);
    auto reparsed = Jwks::ParsePublic(set->ToPublicJson());
    if (!reparsed.ok() || reparsed->size() != set->size()) std::abort();
    for (size_t i = 0; i < set->size(); ++i) {
      if (reparsed->keys()[i].Thumbprint() != set->keys()[i].Thumbprint()) std::abort();
    }
  }
  return 0;
}
