// Test-only: an in-process upstream identity provider for the connector unit tests, built from
// Accord's own http::Server and jose. It serves discovery, JWKS, PAR, token, userinfo and did.json
// on 127.0.0.1 (port 0), checks what a real provider checks (client assertion signature/aud/
// lifetime, PKCE S256, DPoP proof signature/htm/htu/nonce/ath and key binding, the access token)
// and lets each test craft bad responses through the knobs below.
//
// Authorize() stands in for the browser: it takes the connector's redirect URL (plain or PAR) and
// returns the callback parameters a real provider would redirect back with.
//
// Thread safety: handlers run on server threads; knobs are guarded by a mutex and may be changed
// between calls from the test thread.
#ifndef ACCORD_OIDC_CONNECTORS_TEST_UPSTREAM_H_
#define ACCORD_OIDC_CONNECTORS_TEST_UPSTREAM_H_

#include <boost/json/object.hpp>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"
#include "http/filter.h"
#include "http/form.h"
#include "http/router.h"
#include "http/server.h"
#include "jose/jwk.h"
#include "oidc/connectors/config.h"

namespace accord::oidc::connectors::testing {

using ClaimsEdit = std::function<void(boost::json::object&)>;

struct UpstreamKnobs {
  UpstreamKind kind = UpstreamKind::kGeneric;
  bool iss_parameter_supported = true;  // discovery flag
  bool send_iss = true;                 // iss in the callback
  std::string callback_iss;             // override (empty: the real issuer)
  bool require_dpop_nonce = false;
  bool encrypt_id_token = false;        // to the client's encryption key (A256CBC-HS512)
  bool tamper_id_token = false;
  bool unpublished_signing_key = false;  // sign ID tokens with a key the JWKS never lists
  bool rotate_dpop_nonce_after_token = false;  // userinfo then answers use_dpop_nonce once
  ClaimsEdit id_token_edit;             // applied to the ID token claims before signing
  boost::json::object userinfo_extra;   // members added to userinfo
  bool include_core_identity = false;
  ClaimsEdit core_identity_edit;        // applied to the core identity claims
  bool tamper_core_identity = false;
  std::string core_identity_kid;        // override the header kid (empty: the did key)
  int token_status = 0;                 // non-zero: answer /token with this status
  std::string token_error = "server_error";
  size_t token_padding_bytes = 0;       // extra bytes in the token response (oversize tests)
  int discovery_status = 200;
  std::string discovery_cache_control = "max-age=300";
  std::string jwks_cache_control = "max-age=300";
};

class TestUpstream {
 public:
  // `client_signing_key` / `client_encryption_key`: the connector's keys (public halves used).
  TestUpstream(const Clock& clock, jose::Jwk client_signing_key,
               std::optional<jose::Jwk> client_encryption_key, std::string client_id,
               std::string redirect_uri);
  ~TestUpstream();

  bool Start();  // false on failure (adds a gtest failure)
  std::string issuer() const { return issuer_; }
  std::string did() const { return "did:web:identity.test"; }
  std::string did_url() const { return issuer_ + "/.well-known/did.json"; }
  std::string core_identity_issuer() const { return "https://identity.test/"; }

  // Simulates the person logging in: returns the callback query parameters.
  http::Params Authorize(const std::string& redirect_url, const std::string& subject = "user-1");

  // A back-channel logout token signed like the ID tokens (iss, aud, iat, exp, jti, sub "user-1",
  // sid "sid-1", events); `edit` changes the claims before signing; `ghost` signs with a key the
  // JWKS never lists; `encrypt` wraps it in a JWE to the client's encryption key.
  std::string MakeLogoutToken(const ClaimsEdit& edit = {}, bool ghost = false,
                              bool encrypt = false);

  // Replace the ID token signing key (new kid) / the did.json key (new id).
  void RotateSigningKey();
  void RotateDidKey();

  UpstreamKnobs& knobs() { return knobs_; }  // change only between connector calls
  int jwks_fetches() const { return jwks_fetches_; }
  int did_fetches() const { return did_fetches_; }
  int discovery_fetches() const { return discovery_fetches_; }
  int par_calls() const { return par_calls_; }
  int par_nonce_rejections() const { return par_nonce_rejections_; }
  int userinfo_nonce_rejections() const { return userinfo_nonce_rejections_; }
  const std::map<std::string, std::string>& last_authorization() const { return last_auth_; }

 private:
  struct Grant {
    std::map<std::string, std::string> params;
    std::string subject, jkt;
  };
  void AddRoutes();
  http::Response Discovery(const http::Request& r);
  http::Response Jwks(const http::Request& r);
  http::Response Par(const http::Request& r);
  http::Response Token(const http::Request& r);
  http::Response Userinfo(const http::Request& r);
  http::Response DidDocument(const http::Request& r);
  // Verifies a client assertion; empty string when fine, else the problem.
  std::string CheckClientAssertion(const http::Params& form, const std::string& endpoint);
  // Verifies a DPoP proof; sets *jkt. Empty when fine, "use_dpop_nonce" or another problem.
  std::string CheckDpop(const http::Request& r, const std::string& method, const std::string& url,
                        const std::string* access_token, std::string* jkt);
  std::string MakeIdToken(const Grant& g, const std::string& access_token);
  std::string MakeCoreIdentity(const std::string& subject);

  const Clock& clock_;
  jose::Jwk client_signing_key_;
  std::optional<jose::Jwk> client_encryption_key_;
  std::string client_id_, redirect_uri_, issuer_;
  jose::Jwk signing_key_, did_key_, ghost_key_;
  std::string did_key_id_ = "key-1";
  std::string dpop_nonce_ = "nonce-1";
  UpstreamKnobs knobs_;
  std::mutex mu_;
  std::map<std::string, Grant> par_requests_, codes_, access_tokens_;
  std::map<std::string, std::string> last_auth_;
  std::atomic<int> jwks_fetches_{0}, did_fetches_{0}, discovery_fetches_{0}, par_calls_{0},
      par_nonce_rejections_{0}, userinfo_nonce_rejections_{0};
  int counter_ = 0;
  http::Router router_;
  std::unique_ptr<http::Pipeline> pipeline_;
  std::unique_ptr<http::Server> server_;
};

// A loopback TCP listener that accepts connections (kernel backlog) but never answers.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace accord::oidc::connectors::testing

#endif  // ACCORD_OIDC_CONNECTORS_TEST_UPSTREAM_H_
