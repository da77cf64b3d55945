// The GOV.UK One Login core identity JWT, as the sandbox-uk provider issues it in userinfo under
// "https://vocab.account.gov.uk/v1/coreIdentityJWT" (facts and format: docs/sandboxes.md).
//
// It is signed (ES256) with a key SEPARATE from the provider's ID-token keys: the core identity
// key, stored in the Store's key table under its own owner (e.g. "sandbox-uk-identity") and
// sealed under the KEK exactly as KeyManager seals signing keys (SealPrivateKey). The JWT header
// kid is DID + "#" + key id, and the public key is published in the DID document
// (/.well-known/did.json, did_document.h).
//
// Lifetime: CoreIdentityKey is created once at start-up and shared read-only; it holds the
// private key in memory (never logged). Thread safety: immutable after LoadOrCreate; safe to
// share.
#ifndef ACCORD_OIDC_PROVIDER_CORE_IDENTITY_H_
#define ACCORD_OIDC_PROVIDER_CORE_IDENTITY_H_

#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "jose/jwk.h"
#include "jose/jwt.h"
#include "oidc/provider/authenticator.h"
#include "store/store.h"

namespace accord::oidc {

inline constexpr std::string_view kCoreIdentityClaim =
    "https://vocab.account.gov.uk/v1/coreIdentityJWT";
inline constexpr int64_t kCoreIdentityLifetime = 180;

class CoreIdentityKey {
 public:
  // Loads the newest active ES256 key of `owner` (opened under `kek`, 32 bytes), creating and
  // activating one at first start. `did` becomes the kid prefix. Errors from the store, or
  // Unauthenticated "bad_kek" when the stored key does not open.
  static Result<std::unique_ptr<CoreIdentityKey>> LoadOrCreate(store::Store& store,
                                                               BytesView kek,
                                                               std::string_view owner,
                                                               std::string_view did,
                                                               const Clock& clock);

  // Signs `claims` (header alg ES256, typ JWT, kid = did#key_id).
  Result<std::string> Sign(const boost::json::object& claims) const;
  // The public keys of the owner (active and retired), kid = key id, for the DID document.
  const std::vector<jose::Jwk>& published_keys() const { return published_; }
  const std::string& header_kid() const { return header_kid_; }

 private:
  CoreIdentityKey(jose::JwtSigner signer, std::vector<jose::Jwk> published, std::string kid)
      : signer_(std::move(signer)), published_(std::move(published)), header_kid_(std::move(kid)) {}
  jose::JwtSigner signer_;
  std::vector<jose::Jwk> published_;
  std::string header_kid_;
};

struct CoreIdentityParams {
  std::string_view issuer;     // the sandbox's identity issuer (not the OP issuer)
  std::string_view client_id;  // aud
  std::string_view subject;    // the ID token's sub
  std::string_view vtm;        // trustmark URL
  int64_t now = 0;
  int64_t lifetime = kCoreIdentityLifetime;
};

// The claims: iss, aud, sub, nbf, iat, exp, vot "P2", vtm, vc {type, credentialSubject {name
// [{nameParts [GivenName per given name word..., FamilyName]}], birthDate [{value}]}}.
boost::json::object CoreIdentityClaims(const Person& person, const CoreIdentityParams& params);

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_CORE_IDENTITY_H_
