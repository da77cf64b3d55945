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
//   POST /revoke                              token revocation (RFC 7009; revocation_endpoint.cc)
//   GET/POST /logout                          RP-initiated logout; queues back-channel logout
//                                             tokens (logout_endpoint.cc, backchannel_logout.h)
//   GET  /.well-known/did.json, /trustmark    profile "onelogin" only (national_profile.h)
//
// Claims about the person come from a ClaimsSource (claims_source.h): ProviderDeps::claims_source,
// else the national profile's (ProviderConfig::profile), else the people of the Authenticator.
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
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "crypto/secret.h"
#include "http/request.h"
#include "http/metrics.h"
#include "http/response.h"
#include "http/router.h"
#include "oidc/provider/authenticator.h"
#include "oidc/provider/authorization_request.h"
#include "oidc/provider/backchannel_logout.h"
#include "oidc/provider/claims_source.h"
#include "oidc/provider/client_auth.h"
#include "oidc/provider/config.h"
#include "oidc/provider/dpop.h"
#include "oidc/provider/key_manager.h"
#include "oidc/provider/consent_gate.h"
#include "oidc/provider/national_profile.h"
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
  // Optional: woken after back-channel logout tokens are queued (serve runs one; without it the
  // deliveries wait in the store for whichever worker polls it).
  BackchannelLogoutWorker* logout_worker = nullptr;
  // Optional: where the per-client counters go (provider_metrics.cc):
  // accord_oidc_tokens_issued_total{endpoint,client,grant} and
  // accord_oidc_errors_total{endpoint,client,error}. Must outlive the Provider.
  http::Registry* metrics = nullptr;
  // Optional: what the provider says about the person (null: the national profile's source, or
  // the Authenticator's people). Must outlive the Provider.
  const ClaimsSource* claims_source = nullptr;
  // Optional: asked before every code is issued (the gateway's consent and release policy).
  const ConsentGate* consent_gate = nullptr;
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
  // Whether a /token request may run on the I/O thread (http::RouteOptions::inline_if): its
  // grant's store writes are all decided later and nothing else in it can wait.
  bool TokenRunsInline(const http::Request& request) const;
  http::Response Userinfo(const http::Request& request) const;
  http::Response Revoke(const http::Request& request) const;
  http::Response Logout(const http::Request& request) const;
  // Ends a browser session: queues a logout token for every client that obtained tokens in it
  // and has a backchannel_logout_uri, revokes the session's refresh-token families, deletes it.
  Status EndSession(const store::Session& session) const;
  // Finishes a login that went upstream (Authenticator::Begin returned a redirect_url): does what
  // a successful /login POST does (session, session cookie, code redirect). The transaction is
  // single use and must be resumed from the browser that started it (a binding cookie set with
  // the upstream redirect). Error pages for unknown/expired transactions or a foreign browser.
  http::Response ResumeLogin(std::string_view login_transaction_id, const AuthenticatedUser& user,
                             const http::Request& request) const;
  // Null for profile "accord".
  const NationalProfile* national_profile() const { return national_.get(); }
  const ProviderConfig& config() const { return config_; }

  // For a ConsentGate finishing its own step (consent.cc of the broker): an OAuth error redirect
  // to the request's validated redirect_uri, and the code redirect itself (no gate asked).
  http::Response ErrorRedirect(const AuthorizationRequest& request, std::string_view error,
                               std::string_view description) const;
  http::Response IssueCode(const AuthorizationRequest& request, const store::Session& session,
                           int redirect_status) const;

  const std::string& discovery_json() const { return discovery_json_; }

 private:
  explicit Provider(ProviderDeps deps);
  std::string Url(std::string_view path) const { return config_.issuer + std::string(path); }
  http::Response ErrorPage(int status, std::string_view heading, std::string_view text) const;
  // Asks the ConsentGate (if any), then issues a code for the session and redirects.
  http::Response IssueCodeOrConsent(const AuthorizationRequest& request,
                                    const store::Session& session, int redirect_status) const;
  http::Response StartLogin(const AuthorizationRequest& request) const;
  std::optional<store::Session> CurrentSession(const http::Request& request) const;
  // Session + cookies + code redirect for an authenticated user (authorize_endpoint.cc).
  http::Response FinishLogin(const AuthorizationRequest& request, const AuthenticatedUser& user) const;
  // What one token response is issued for (TokenResponse).
  struct TokenGrant {
    // The subject as the client sees it (pairwise, or the client_id for client_credentials).
    std::string sub;
    std::string scope;
    std::string dpop_jkt;       // the DPoP key the tokens are bound to ("" for bearer)
    std::string refresh_token;  // "" when none is issued
    // An ID token is included when non-null (the code exchange).
    const AuthorizationRequest* auth = nullptr;
    int64_t auth_time = 0;
    std::string sid;
    std::string acr;
    // Non-empty: goes into the access token (private claim "grant_id") so /userinfo can refuse
    // the tokens of a grant revoked after code reuse (store replay scope kRevokedGrant).
    std::string grant_id;
    // The local subject behind `sub` and its live session, when the caller already holds them
    // (the code exchange reads the session in its store transaction). Without them the ID
    // token's claims source resolves `sub` from `sid` itself.
    const std::string* local_subject = nullptr;
    const store::Session* session = nullptr;
  };
  // Profile hooks (provider_profile.cc).
  Status InitProfile(const ProviderDeps& deps);
  void AddAccessTokenContext(const AuthorizationRequest* auth, const std::string& sid,
                             boost::json::object& access_token) const;
  Status AddIdTokenClaims(const ClientConfig& client, const TokenGrant& grant,
                          boost::json::object& id_token) const;
  Result<std::string> SealIdToken(const ClientConfig& client, std::string id_token) const;
  // The userinfo response for a verified access token of `client`.
  http::Response UserinfoResponse(const jose::VerifiedJwt& access_token, const ClientConfig& client,
                                  std::string_view scheme) const;
  http::Response OAuthErrorWithNonce(int status, const Status& error) const;
  // Counts one /token, /par or /revoke outcome per client and grant / error code.
  void CountOAuth(std::string_view endpoint, const http::Request& request,
                  const http::Response& response) const;
  // An unexpired RFC 9068 access token of this issuer (signature, iss, aud, typ, jti).
  Result<jose::VerifiedJwt> VerifyAccessToken(std::string_view token) const;
  // The grants (token_endpoint.cc). `deferred` holds the request's replay records (client
  // assertion, DPoP proof jti); a grant writes them in its one store transaction and clears
  // them, else Token() writes them before answering.
  http::Response TokenFromCode(const http::Request& request, const http::Params& form,
                               const ClientConfig& client,
                               std::vector<store::ReplayRecord>& deferred) const;
  http::Response TokenFromRefresh(const http::Request& request, const http::Params& form,
                                  const ClientConfig& client,
                                  std::vector<store::ReplayRecord>& deferred) const;
  // CheckDpop for /token: the proof's jti goes to `deferred` instead of the store.
  Result<std::optional<DpopProof>> CheckTokenDpop(const http::Request& request,
                                                  std::vector<store::ReplayRecord>* deferred) const;
  // The answer to an authorization_code exchange the store refused with `status` (failure and
  // the exchange's replay records name what was refused); nullopt for an error that is not the
  // request's (the caller's 400, or the server's 503 once the exchange was decided later).
  std::optional<http::Response> CodeExchangeError(
      const Status& status, const store::RedeemFailure& failure,
      const std::vector<store::ReplayRecord>& records) const;
  // The error for a replay record found present (invalid_client or invalid_dpop_proof).
  http::Response ReplayError(store::ReplayScope scope) const;
  // DPoP proof of the request (nullopt when no DPoP header); error statuses as DpopVerifier.
  Result<std::optional<DpopProof>> CheckDpop(const http::Request& request, std::string_view htu,
                                             std::optional<std::string_view> access_token) const;
  http::Response TokenFromClientCredentials(const http::Request& request, const http::Params& form,
                                            const ClientConfig& client,
                                            std::vector<store::ReplayRecord>& deferred) const;
  http::Response TokenResponse(const ClientConfig& client, const TokenGrant& grant) const;
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
  BackchannelLogoutWorker* logout_worker_ = nullptr;
  http::CounterFamily* tokens_metric_ = nullptr;
  http::CounterFamily* errors_metric_ = nullptr;
  http::CounterFamily* refresh_retries_metric_ = nullptr;
  std::unique_ptr<NationalProfile> national_;
  std::unique_ptr<ClaimsSource> default_claims_;
  const ClaimsSource* claims_source_ = nullptr;
  const ConsentGate* consent_gate_ = nullptr;
  bool any_client_jwks_uri_ = false;  // some client's keys are fetched (TokenRunsInline)
};

// "scheme://host[:port]" of an absolute URL ("" when it has none): for CSP form-action lists.
std::string OriginOf(std::string_view url);

// Value of cookie `name` in the request's Cookie headers, or nullopt.
std::optional<std::string> GetCookie(const http::Request& request, std::string_view name);

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_PROVIDER_H_
