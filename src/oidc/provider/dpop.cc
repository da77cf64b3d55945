#include "oidc/provider/dpop.h"

#include "common/base64url.h"
#include "crypto/constant_time.h"
#include "crypto/hash.h"
#include "jose/jwt.h"
#include "oidc/provider/jwt_peek.h"

namespace accord::oidc {
namespace {

Status Bad(std::string message) { return InvalidArgument(std::move(message), "invalid_dpop_proof"); }

std::string_view StripQuery(std::string_view url) {
  size_t cut = url.find_first_of("?#");
  return cut == std::string_view::npos ? url : url.substr(0, cut);
}

}  // namespace

std::string DpopVerifier::NonceAt(int64_t t) const {
  Bytes data(8);
  for (int i = 0; i < 8; ++i) data[i] = static_cast<uint8_t>(static_cast<uint64_t>(t) >> (56 - 8 * i));
  Bytes mac = crypto::Hmac(crypto::HashAlgorithm::kSha256, nonce_key_.view(), data);
  data.insert(data.end(), mac.begin(), mac.begin() + 16);
  return Base64UrlEncode(data);
}

std::string DpopVerifier::NewNonce() const { return NonceAt(clock_.NowSeconds()); }

bool DpopVerifier::NonceValid(std::string_view nonce) const {
  auto decoded = Base64UrlDecode(nonce);
  if (!decoded.ok() || decoded->size() != 24) return false;
  uint64_t t = 0;
  for (int i = 0; i < 8; ++i) t = (t << 8) | (*decoded)[i];
  int64_t issued = static_cast<int64_t>(t);
  int64_t now = clock_.NowSeconds();
  if (issued > now + 5 || now >= issued + kDpopNonceLifetime) return false;
  return crypto::ConstantTimeEquals(nonce, NonceAt(issued));
}

Result<DpopProof> DpopVerifier::Verify(std::string_view proof, std::string_view method,
                                       std::string_view htu,
                                       std::optional<std::string_view> access_token,
                                       std::vector<store::ReplayRecord>* deferred) const {
  auto header = PeekUnverifiedSegment(proof, 0);
  if (!header.ok()) return Bad("proof malformed");
  const boost::json::value* jwk_value = header->if_contains("jwk");
  if (jwk_value == nullptr || !jwk_value->is_object()) return Bad("proof header has no jwk");
  auto jwk = jose::Jwk::FromPublicJson(jwk_value->get_object());
  if (!jwk.ok()) return Bad("proof jwk is not an acceptable public key");
  jose::JwsVerifyOptions options;
  options.allowed_algs = {crypto::SignatureAlgorithm::kEs256, crypto::SignatureAlgorithm::kPs256};
  jose::Jwk verify_key = *jwk;
  verify_key.set_kid("");
  auto jws = jose::JwsVerifier::Create(verify_key, options);
  if (!jws.ok()) return Bad("proof jwk unusable");
  auto validator = jose::JwtValidator::Builder()
                       .ExpectTypeHeader("dpop+jwt")
                       .IgnoreIssuer()
                       .IgnoreAudiences()
                       .AllowMissingExpirationUnsafe()  // DPoP proofs carry iat, not exp
                       .SetMaxAgeSeconds(kDpopMaxAgeSeconds)
                       .RequireJwtId()
                       .SetClock(clock_)
                       .Build();
  if (!validator.ok()) return Internal("validator", "internal");
  jose::JwtVerifier verifier(std::move(*jws), std::move(*validator));
  auto jwt = verifier.Verify(proof);
  if (!jwt.ok()) return Bad("proof rejected (" + jwt.status().reason() + ")");
  if (jwt->GetString("htm") != method) return Bad("htm does not match the request method");
  auto claimed_htu = jwt->GetString("htu");
  if (!claimed_htu || StripQuery(*claimed_htu) != StripQuery(htu)) {
    return Bad("htu does not match the request URL");
  }
  if (access_token) {
    auto ath = jwt->GetString("ath");
    auto digest = crypto::Sha256(AsBytes(*access_token));
    if (!ath || !crypto::ConstantTimeEquals(*ath, Base64UrlEncode(digest))) {
      return Bad("ath does not match the access token");
    }
  }
  if (require_nonce_) {
    auto nonce = jwt->GetString("nonce");
    if (!nonce || !NonceValid(*nonce)) {
      return InvalidArgument("a fresh server nonce is required", "use_dpop_nonce");
    }
  }
  std::string jkt = jwk->Thumbprint();
  int64_t now = clock_.NowSeconds();
  const int64_t keep_until = now + kDpopMaxAgeSeconds * 2 + jose::kDefaultClockSkewSeconds;
  if (deferred != nullptr) {
    deferred->push_back({store::ReplayScope::kDpopProof, jkt + " " + *jwt->jwt_id(), keep_until});
    return DpopProof{std::move(jkt)};
  }
  Status recorded = store_.RecordOnce(store::ReplayScope::kDpopProof, jkt + " " + *jwt->jwt_id(),
                                      keep_until, now);
  if (recorded.code() == StatusCode::kAlreadyExists) return Bad("proof jti replayed");
  if (!recorded.ok()) return recorded;
  return DpopProof{std::move(jkt)};
}

}  // namespace accord::oidc
