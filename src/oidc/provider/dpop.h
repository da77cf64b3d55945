// DPoP proof verification (RFC 9449 section 4.3) and server-issued DPoP nonces (section 8).
//
// A proof must: be a JWS with typ "dpop+jwt", alg ES256 or PS256, a public "jwk" in the header
// that verifies the signature; carry htm equal to the request method, htu equal to the endpoint
// URL (query and fragment ignored), iat within kDpopMaxAgeSeconds (plus the default skew), a jti
// not seen before for this key (Store replay cache), a valid server nonce when one is required,
// and for resource requests ath = base64url(SHA-256(access token)).
// Failure reasons: "invalid_dpop_proof", or "use_dpop_nonce" when the nonce is missing, stale or
// wrong (the caller answers with a fresh DPoP-Nonce header).
//
// Nonces are stateless: base64url(t || HMAC-SHA256(key, t)[0..16]) with t the issuing time
// (8 bytes, big-endian); valid for kDpopNonceLifetime seconds.
//
// Thread safety: immutable after construction; the Store and Clock must outlive it.
#ifndef ACCORD_OIDC_PROVIDER_DPOP_H_
#define ACCORD_OIDC_PROVIDER_DPOP_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "crypto/secret.h"
#include "store/store.h"

namespace accord::oidc {

inline constexpr int64_t kDpopMaxAgeSeconds = 60;
inline constexpr int64_t kDpopNonceLifetime = 300;

struct DpopProof {
  std::string jkt;  // RFC 7638 thumbprint of the proof key
};

class DpopVerifier {
 public:
  DpopVerifier(store::Store& store, const Clock& clock, crypto::SecretBytes nonce_key,
               bool require_nonce)
      : store_(store), clock_(clock), nonce_key_(std::move(nonce_key)),
        require_nonce_(require_nonce) {}

  // `access_token` set for resource requests (ath is then required). With `deferred` non-null
  // the jti is not recorded here but appended as a replay record for the caller's own store
  // transaction (see ClientAuthenticator::Authenticate).
  Result<DpopProof> Verify(std::string_view proof, std::string_view method, std::string_view htu,
                           std::optional<std::string_view> access_token,
                           std::vector<store::ReplayRecord>* deferred = nullptr) const;
  std::string NewNonce() const;
  bool NonceValid(std::string_view nonce) const;

 private:
  std::string NonceAt(int64_t t) const;
  store::Store& store_;
  const Clock& clock_;
  crypto::SecretBytes nonce_key_;
  bool require_nonce_;
};

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_DPOP_H_
