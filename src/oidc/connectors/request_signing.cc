#include "oidc/connectors/request_signing.h"

#include <boost/json.hpp>

#include "common/base64url.h"
#include "crypto/hash.h"
#include "crypto/keys.h"
#include "crypto/random.h"
#include "jose/jws.h"
#include "jose/jwt.h"

namespace accord::oidc::connectors {

Result<crypto::SignatureAlgorithm> ClientKeyAlgorithm(const jose::Jwk& key) {
  crypto::SignatureAlgorithm alg;
  if (!key.alg().empty()) {
    Result<crypto::SignatureAlgorithm> named = crypto::SignatureAlgorithmFromJwa(key.alg());
    if (!named.ok()) return InvalidArgument("signing key: unsupported alg", "bad_config");
    alg = *named;
  } else if (key.type() == crypto::KeyType::kEc && key.curve() == crypto::Curve::kP256) {
    alg = crypto::SignatureAlgorithm::kEs256;
  } else if (key.type() == crypto::KeyType::kRsa) {
    alg = crypto::SignatureAlgorithm::kRs256;
  } else {
    return InvalidArgument("signing key: must be EC P-256 or RSA", "bad_config");
  }
  if (alg == crypto::SignatureAlgorithm::kEdDsa || !key.CheckForSignature(alg, true).ok()) {
    return InvalidArgument("signing key: does not fit its algorithm", "bad_config");
  }
  return alg;
}

Result<std::string> MakeClientAssertion(const jose::Jwk& key, crypto::SignatureAlgorithm alg,
                                        std::string_view client_id, std::string_view audience,
                                        int64_t now) {
  ACCORD_ASSIGN_OR_RETURN(jose::JwtSigner signer, jose::JwtSigner::Create(key, alg, "JWT"));
  boost::json::object claims{
      {"iss", client_id},
      {"sub", client_id},
      {"aud", audience},
      {"iat", now},
      {"exp", now + kClientAssertionLifetimeSeconds},
      {"jti", crypto::RandomToken(16)},
  };
  return signer.Sign(claims);
}

Result<std::string> MakeDpopProof(const jose::Jwk& key, std::string_view method,
                                  std::string_view htu, int64_t now,
                                  std::optional<std::string_view> nonce,
                                  std::optional<std::string_view> access_token) {
  jose::Jwk signing_key = key;
  signing_key.set_kid("");  // the proof carries the key itself, never a kid
  ACCORD_ASSIGN_OR_RETURN(
      jose::JwtSigner signer,
      jose::JwtSigner::Create(signing_key, crypto::SignatureAlgorithm::kEs256, "dpop+jwt"));
  boost::json::object claims{
      {"jti", crypto::RandomToken(16)},
      {"htm", method},
      {"htu", htu},
      {"iat", now},
  };
  if (nonce) claims["nonce"] = *nonce;
  if (access_token) {
    claims["ath"] = Base64UrlEncode(BytesView(crypto::Sha256(AsBytes(*access_token))));
  }
  boost::json::object header{{"jwk", key.PublicOnly().ToPublicJsonObject()}};
  header["jwk"].as_object().erase("kid");
  return signer.Sign(claims, header);
}

Result<jose::Jwk> NewDpopKey() {
  ACCORD_ASSIGN_OR_RETURN(crypto::PrivateKey key,
                          crypto::PrivateKey::GenerateEc(crypto::Curve::kP256));
  return jose::Jwk::FromPrivateKey(std::move(key));
}

std::string PkceS256Challenge(std::string_view verifier) {
  return Base64UrlEncode(BytesView(crypto::Sha256(AsBytes(verifier))));
}

std::string StripQuery(std::string_view url) {
  size_t cut = url.find_first_of("?#");
  return std::string(url.substr(0, cut));
}

}  // namespace accord::oidc::connectors
