#include "jose/token_hash.h"

#include "common/base64url.h"
#include "crypto/constant_time.h"

namespace accord::jose {

crypto::HashAlgorithm TokenHashAlgorithm(crypto::SignatureAlgorithm alg) {
  switch (alg) {
    case crypto::SignatureAlgorithm::kEs384:
    case crypto::SignatureAlgorithm::kPs384:
      return crypto::HashAlgorithm::kSha384;
    case crypto::SignatureAlgorithm::kEs512:
    case crypto::SignatureAlgorithm::kPs512:
    case crypto::SignatureAlgorithm::kEdDsa:
      return crypto::HashAlgorithm::kSha512;
    default:
      return crypto::HashAlgorithm::kSha256;
  }
}

std::string ComputeTokenHash(crypto::SignatureAlgorithm alg, std::string_view value) {
  Bytes digest = crypto::Hash(TokenHashAlgorithm(alg), AsBytes(value));
  return Base64UrlEncode(BytesView(digest.data(), digest.size() / 2));
}

bool TokenHashMatches(crypto::SignatureAlgorithm alg, std::string_view value,
                      std::string_view claimed) {
  return crypto::ConstantTimeEquals(ComputeTokenHash(alg, value), claimed);
}

}  // namespace accord::jose
