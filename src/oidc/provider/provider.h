// Provider: Accord's OpenID Provider endpoints (docs/provider.md).
//
//   GET  /.well-known/openid-configuration   discovery (pre-rendered)
//   GET  /jwks                                signing keys (from the KeyManager snapshot)
//   POST /par                                 pushed authorization requests (RFC 9126)
//   GET  /authorize                           authorization endpoint (request_uri, or plain
//                                             parameters for `oidc` clients)
//   POST /login                               sandbox login form submission (CSRF-protected)
//   POST /token                               authorization_code, refresh_token and
//                                             client_credentials grants
//   GET/POST /userinfo                        claims for a Bearer or DPoP-bound access token
//
// Handlers hold protocol logic only; HTTP limits, security headers and metrics come from the
// http filter chain. Errors before a redirect_uri has been validated are readable HTML pages
// (never a redirect: open-redirect defence); after that they are error redirects.
// Nothing here logs tokens, codes, secrets or personal data.
//
// Lifetime: everything in ProviderDeps must outlive the Provider; the Router passed to AddRoutes
// keeps pointers to the Provider, which must outlive it. Thread safety: handlers are safe to
// run concurrently.
#ifndef ACCORD_OIDC_PROVIDER_PROVIDER_H_
#define ACCORD_OIDC_PROVIDER_PROVIDER_H_

#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "crypto/secret.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "oidc/provider/authenticator.h"
#include "oidc/provider/authorization_request.h"
#include "oidc/provider/client_auth.h"
#include "oidc/provider/config.h"
#include "oidc/provider/dpop.h"
#include "oidc/provider/key_manager.h"
#include "store/store.h"

namespace accord::oidc {

inline constexpr int64_t kAuthCodeLifetime = 60;
inline constexpr int64_t kParLifetime = 60;
inline constexpr int64_t kLoginTransactionLifetime = 600;
inline constexpr int64_t kIdTokenLifetime = 300;
inline constexpr std::string_view kRequestUriPrefix = "urn:ietf:params:oauth:request_uri:";

struct ProviderDeps {
  const ProviderConfig* config = nullptr;
  store::Store* store = nullptr;
  KeyManager* keys = nullptr;
  const Authenticator* authenticator = nullptr;
  const Clock* clock = nullptr;
  // 32 bytes; pairwise-subject and DPoP-nonce keys are derived from it. Usually the KEK.
  const crypto::SecretBytes* root_secret = nullptr;
  // Optional: keys of clients registered with a jwks_uri.
  JwksCache* jwks_cache = nullptr;
};

class Provider {
 public:
  static Result<std::unique_ptr<Provider>> Create(ProviderDeps deps);

  Status AddRoutes(http::Router& router);

  // The pairwise subject for a local subject in a client's sector:
  // base64url(HMAC-SHA256(pairwise_secret, sector || 0x00 || local_subject)).
  std::string PairwiseSubject(const ClientConfig& client, std::string_view local_subject) const;

  http::Response Discovery(const http::Request& request) const;
  http::Response JwksEndpoint(const http::Request& request) const;
  http::Response Par(const http::Request& request) const;
  http::Response Authorize(const http::Request& request) const;
  http::Response Login(const http::Request& request) const;
  http::Response Token(const http::Request& request) const;
  http::Response Userinfo(const http::Request& request) const;

  const std::string& discovery_json() const { return discovery_json_; }

 private:
  explicit Provider(ProviderDeps deps);
  std::string Url(std::string_view path) const { return config_.issuer + std::string(path); }
  http::Response ErrorPage(int status, std::string_view heading, std::string_view text) const;
  http::Response ErrorRedirect(const AuthorizationRequest& request, std::string_view error,
                               std::string_view description) const;
  // Issues a code for an authenticated session and redirects to the client.
  http::Response IssueCode(const AuthorizationRequest& request, const store::Session& session,
                           int redirect_status) const;
  http::Response StartLogin(const AuthorizationRequest& request) const;
  std::optional<store::Session> CurrentSession(const http::Request& request) const;
  http::Response OAuthErrorWithNonce(int status, const Status& error) const;
  http::Response TokenFromCode(const http::Request& request, const http::Params& form,
                               const ClientConfig& client) const;
  http::Response TokenFromRefresh(const http::Request& request, const http::Params& form,
                                  const ClientConfig& client) const;
  // DPoP proof of the request (nullopt when no DPoP header); error statuses as DpopVerifier.
  Result<std::optional<DpopProof>> CheckDpop(const http::Request& request, std::string_view htu,
                                             std::optional<std::string_view> access_token) const;
  http::Response TokenFromClientCredentials(const http::Request& request, const http::Params& form,
                                            const ClientConfig& client) const;
  // `sub` is the subject as the client sees it (pairwise, or the client_id for
  // client_credentials). An ID token is included when `auth` is non-null.
  http::Response TokenResponse(const ClientConfig& client, const std::string& sub,
                               const std::string& scope, const std::string& dpop_jkt,
                               const std::string& refresh_token,
                               const AuthorizationRequest* auth, int64_t auth_time,
                               const std::string& sid, const std::string& acr) const;
  std::string Cookie(std::string_view name, std::string_view value, std::string_view path,
                     int64_t max_age) const;

  const ProviderConfig& config_;
  store::Store& store_;
  KeyManager& keys_;
  const Authenticator& authenticator_;
  const Clock& clock_;
  crypto::SecretBytes pairwise_secret_;
  ClientAuthenticator client_auth_;
  std::unique_ptr<DpopVerifier> dpop_;
  std::string discovery_json_;
};

// Value of cookie `name` in the request's Cookie headers, or nullopt.
std::optional<std::string> GetCookie(const http::Request& request, std::string_view name);

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_PROVIDER_H_
