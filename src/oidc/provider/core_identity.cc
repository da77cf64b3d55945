#include "oidc/provider/core_identity.h"

#include "oidc/provider/key_manager.h"

namespace accord::oidc {
namespace {

constexpr std::string_view kAlg = "ES256";

Result<std::string> CreateKey(store::Store& store, BytesView kek, std::string_view owner,
                              const Clock& clock) {
  ACCORD_ASSIGN_OR_RETURN(crypto::PrivateKey key,
                          crypto::PrivateKey::GenerateEc(crypto::Curve::kP256));
  jose::Jwk jwk = jose::Jwk::FromPublicKey(key.public_key());
  jwk.SetKidToThumbprint();
  jwk.set_alg(std::string(kAlg));
  jwk.set_use("sig");
  store::SigningKey record;
  record.kid = jwk.kid();
  record.owner = std::string(owner);
  record.algorithm = std::string(kAlg);
  record.status = store::KeyStatus::kNext;
  record.created_at = clock.NowSeconds();
  record.activates_at = record.created_at;
  ACCORD_ASSIGN_OR_RETURN(record.sealed_private_key, SealPrivateKey(kek, record.kid, key));
  record.public_jwk_json = jwk.ToPublicJson();
  ACCORD_RETURN_IF_ERROR(store.AddSigningKey(record));
  ACCORD_RETURN_IF_ERROR(store.ActivateSigningKey(record.kid, clock.NowSeconds()));
  return record.kid;
}

const store::SigningKey* NewestActive(const std::vector<store::SigningKey>& keys) {
  const store::SigningKey* active = nullptr;
  for (const auto& k : keys) {
    if (k.status != store::KeyStatus::kActive || k.algorithm != kAlg) continue;
    if (active == nullptr || k.activates_at >= active->activates_at) active = &k;
  }
  return active;
}

}  // namespace

Result<std::unique_ptr<CoreIdentityKey>> CoreIdentityKey::LoadOrCreate(store::Store& store,
                                                                       BytesView kek,
                                                                       std::string_view owner,
                                                                       std::string_view did,
                                                                       const Clock& clock) {
  if (kek.size() != 32) return InvalidArgument("KEK must be 32 bytes", "bad_kek");
  if (owner.empty()) return InvalidArgument("key owner required", "bad_config");
  ACCORD_ASSIGN_OR_RETURN(std::vector<store::SigningKey> keys, store.ListSigningKeys(owner));
  if (NewestActive(keys) == nullptr) {
    ACCORD_ASSIGN_OR_RETURN(std::string kid, CreateKey(store, kek, owner, clock));
    (void)kid;
    ACCORD_ASSIGN_OR_RETURN(keys, store.ListSigningKeys(owner));
  }
  const store::SigningKey* active = NewestActive(keys);
  if (active == nullptr) return FailedPrecondition("no active core identity key", "no_active_key");
  std::vector<jose::Jwk> published;
  for (const auto& k : keys) {
    if (k.status == store::KeyStatus::kNext) continue;
    auto jwk = jose::Jwk::ParsePublic(k.public_jwk_json);
    if (!jwk.ok()) return DataLoss("stored public key unreadable", "corrupt");
    published.push_back(std::move(*jwk));
  }
  ACCORD_ASSIGN_OR_RETURN(crypto::PrivateKey priv,
                          OpenPrivateKey(kek, active->kid, active->sealed_private_key));
  jose::Jwk jwk = jose::Jwk::FromPrivateKey(std::move(priv));
  std::string header_kid = std::string(did) + "#" + active->kid;
  jwk.set_kid(header_kid);
  jwk.set_alg(std::string(kAlg));
  jwk.set_use("sig");
  ACCORD_ASSIGN_OR_RETURN(jose::JwtSigner signer,
                          jose::JwtSigner::Create(std::move(jwk), crypto::SignatureAlgorithm::kEs256,
                                                  "JWT"));
  return std::unique_ptr<CoreIdentityKey>(
      new CoreIdentityKey(std::move(signer), std::move(published), std::move(header_kid)));
}

Result<std::string> CoreIdentityKey::Sign(const boost::json::object& claims) const {
  return signer_.Sign(claims);
}

boost::json::object CoreIdentityClaims(const Person& person, const CoreIdentityParams& params) {
  boost::json::array parts;
  std::string_view given = person.given_name;
  while (!given.empty()) {
    size_t space = given.find(' ');
    std::string_view word = given.substr(0, space);
    if (!word.empty()) parts.push_back(boost::json::object{{"value", word}, {"type", "GivenName"}});
    if (space == std::string_view::npos) break;
    given.remove_prefix(space + 1);
  }
  parts.push_back(boost::json::object{{"value", person.family_name}, {"type", "FamilyName"}});
  boost::json::object subject;
  subject["name"] = boost::json::array{boost::json::object{{"nameParts", std::move(parts)}}};
  subject["birthDate"] = boost::json::array{boost::json::object{{"value", person.birthdate}}};
  boost::json::object vc;
  vc["type"] = boost::json::array{"VerifiableCredential", "VerifiableIdentityCredential"};
  vc["credentialSubject"] = std::move(subject);
  boost::json::object claims;
  claims["iss"] = params.issuer;
  claims["aud"] = params.client_id;
  claims["sub"] = params.subject;
  claims["nbf"] = params.now;
  claims["iat"] = params.now;
  claims["exp"] = params.now + params.lifetime;
  claims["vot"] = "P2";
  claims["vtm"] = params.vtm;
  claims["vc"] = std::move(vc);
  return claims;
}

}  // namespace accord::oidc
