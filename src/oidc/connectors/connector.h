// Connector: Accord as an OpenID Connect relying party to one upstream identity provider
// (GOV.UK One Login, Singpass FAPI 2.0, or any standards-compliant provider). Protocol details,
// error reasons and what the caller must persist: docs/connectors.md.
//
// A login has two halves:
//   Start()  -> a redirect URL for the browser and a PendingLogin (fresh state >= 256 bits, nonce,
//               PKCE S256 verifier and, with DPoP, a fresh P-256 key). For PAR upstreams Start()
//               pushes the request first (private_key_jwt, DPoP, one retry with the server's
//               DPoP-Nonce). The caller MUST persist the PendingLogin server-side keyed by its
//               state (e.g. Store::SavePushedRequest with request_uri "urn:accord:upstream:<state>")
//               and never send it to the browser.
//   Finish() -> the callback's query parameters and the PendingLogin the caller looked up (and
//               consumed) by the callback's state. Checks error=, state (constant time; each state
//               finishes at most once per process), RFC 9207 iss, redeems the code (PKCE,
//               private_key_jwt, DPoP), verifies the ID token (JWS, or JWE around a JWS), nonce,
//               at_hash, then userinfo and, for One Login, the core identity JWT against the
//               configured did.json.
//
// Errors (Status reason): "upstream_unavailable" (timeout, connection refused, 5xx, oversized or
// unreadable responses, discovery not reachable), "mixup", "state_mismatch", "upstream_error"
// (error= in the callback or an OAuth error/invalid response from the upstream; the message
// carries the error code only), "bad_id_token", "nonce_mismatch", "bad_core_identity",
// "bad_userinfo". Messages never contain tokens or personal data.
//
// Lifetime and thread safety: a Connector is safe to use from many threads at once (discovery,
// JWKS and did.json caches are internally locked; no lock is held during network calls). The
// HttpClient and Clock in ConnectorDeps must outlive it. Every network call is bounded by
// UpstreamConfig::timeout_ms.
#ifndef ACCORD_OIDC_CONNECTORS_CONNECTOR_H_
#define ACCORD_OIDC_CONNECTORS_CONNECTOR_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "http/client.h"
#include "http/form.h"
#include "oidc/connectors/config.h"
#include "oidc/connectors/logout_token.h"

namespace accord::oidc::connectors {

// Persisted by the caller keyed by state; never sent to the browser. Holds secrets (the PKCE
// verifier and the DPoP private key): store it like a credential.
struct PendingLogin {
  std::string upstream_id, state, nonce, code_verifier;
  std::string dpop_private_jwk;  // empty unless DPoP
  int64_t created_at = 0;

  // A JSON object with these members (docs/connectors.md, "PendingLogin").
  std::string ToJson() const;
  // Bounded parse; InvalidArgument "bad_pending_login" for anything malformed.
  static Result<PendingLogin> FromJson(std::string_view json);
};

struct StartResult {
  std::string redirect_url;
  PendingLogin pending;
};

struct UpstreamIdentity {
  std::string upstream_id, issuer, subject, sid;
  std::string acr;
  std::vector<std::string> amr;
  std::string vot, vtm;  // One Login (vot from the core identity JWT when present, e.g. "P2")
  int64_t auth_time = 0;
  // Verified claims: ID token (without protocol claims) + userinfo + core identity. One Login:
  // "given_name", "family_name", "birthdate" extracted from the core identity credentialSubject,
  // which is kept whole under "core_identity" (the raw JWT is not kept). Singpass:
  // "sub_attributes" and userinfo claims.
  boost::json::object claims;
};

class Connector {
 public:
  virtual ~Connector() = default;
  virtual const UpstreamConfig& config() const = 0;
  // Fresh state, nonce, PKCE (and DPoP key) per call.
  virtual Result<StartResult> Start() = 0;
  // `callback` = the query parameters of the redirect back (code, state, iss, or error).
  virtual Result<UpstreamIdentity> Finish(const http::Params& callback,
                                          const PendingLogin& pending) = 0;
  // OpenID Connect Back-Channel Logout 1.0 section 2.6: verifies a logout token this upstream
  // POSTed (logout_token.h lists the checks). The caller records the jti once (replay) and ends
  // the sessions derived from the subject/sid. Errors: "bad_logout_token", "upstream_unavailable"
  // (discovery or JWKS not reachable with nothing cached).
  virtual Result<UpstreamLogout> VerifyLogoutToken(std::string_view token) = 0;
};

struct ConnectorDeps {
  std::shared_ptr<const http::HttpClient> http;
  const Clock* clock = nullptr;  // null: SystemClock::Instance()
};

// Validates the config (ValidateUpstream) and builds the connector for its kind. Discovery is
// fetched lazily on first use (so start-up does not depend on the upstream being up).
// InvalidArgument "bad_config" on a bad config or a missing HttpClient.
Result<std::unique_ptr<Connector>> MakeConnector(UpstreamConfig config, ConnectorDeps deps);

}  // namespace accord::oidc::connectors

#endif  // ACCORD_OIDC_CONNECTORS_CONNECTOR_H_
