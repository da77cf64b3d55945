// Client authentication at the token and PAR endpoints: private_key_jwt only (OIDC Core section 9,
// RFC 7523, FAPI 2.0 Security Profile section 5.3.2.1).
//
// The assertion must be a JWS signed with a key from the client's registered JWKS using ES256 or
// PS256 (RS256 as well for `oidc` clients), with iss = sub = client_id, aud containing one of the
// accepted audiences (the issuer, or the endpoint's URL), exp present and at most
// kMaxAssertionLifetime seconds ahead, and a jti never seen before for this client (the Store's
// replay cache, kept until exp). Keys come from the client's inline JWKS or its jwks_uri
// (JwksCache; re-fetched once, rate-limited, after an unknown kid or a bad signature). Every failure is Status reason "invalid_client" (HTTP 401); the
// message says which check failed and never contains the assertion.
//
// Thread safety: immutable after construction; the config, Store and Clock must outlive it.
#ifndef ACCORD_OIDC_PROVIDER_CLIENT_AUTH_H_
#define ACCORD_OIDC_PROVIDER_CLIENT_AUTH_H_

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "http/form.h"
#include "oidc/provider/config.h"
#include "oidc/provider/jwks_cache.h"
#include "store/store.h"

namespace accord::oidc {

inline constexpr std::string_view kJwtBearerAssertionType =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
inline constexpr int64_t kMaxAssertionLifetime = 300;

class ClientAuthenticator {
 public:
  // `jwks_cache` may be null: clients registered with a jwks_uri then always fail.
  ClientAuthenticator(const ProviderConfig& config, store::Store& store, const Clock& clock,
                      JwksCache* jwks_cache = nullptr)
      : config_(config), store_(store), clock_(clock), jwks_cache_(jwks_cache) {}

  // `form` is the request body; `audiences` the acceptable aud values. With `deferred` non-null
  // the jti is NOT recorded here: its replay record is appended for the caller to write in its
  // own store transaction (the token endpoint: one transaction per request), which then fails
  // with "replay" for a reused jti; the caller MUST write it before acting on the request.
  Result<const ClientConfig*> Authenticate(const http::Params& form,
                                           const std::vector<std::string>& audiences,
                                           std::vector<store::ReplayRecord>* deferred = nullptr) const;

 private:
  const ProviderConfig& config_;
  store::Store& store_;
  const Clock& clock_;
  JwksCache* jwks_cache_;
};

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_CLIENT_AUTH_H_
