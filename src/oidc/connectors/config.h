// Upstream identity provider configuration: the [[upstreams]] tables of the Accord config file
// (docs/connectors.md, "Configuration"), one per national identity provider Accord logs people in
// with (Accord is the OpenID Connect relying party).
//
// ParseUpstreams validates everything once at start-up; errors name the key, e.g.
//   upstreams[1].issuer: must be an absolute https URL (http allowed only for localhost)
// Private keys are read from JWK files (signing_key_file, encryption_key_file) resolved against
// the config file's directory; they never appear in error messages.
//
// Thread safety: UpstreamConfig is a value; share it read-only after parsing.
#ifndef ACCORD_OIDC_CONNECTORS_CONFIG_H_
#define ACCORD_OIDC_CONNECTORS_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "common/status.h"
#include "jose/jwk.h"

namespace accord::oidc::connectors {

enum class UpstreamKind { kOneLogin, kSingpass, kGeneric };
std::string_view UpstreamKindName(UpstreamKind kind);  // "onelogin", "singpass", "generic"

inline constexpr int kDefaultTimeoutMs = 5000;
inline constexpr int kMaxTimeoutMs = 60000;
inline constexpr int64_t kDefaultLoginLifetimeSeconds = 600;

// jose::Jwk has no empty state, so an UpstreamConfig is built around its signing key:
//   UpstreamConfig c(std::move(key)); c.id = "sandbox-sg"; ...
struct UpstreamConfig {
  explicit UpstreamConfig(jose::Jwk key) : signing_key(std::move(key)) {}

  std::string id;               // "sandbox-uk", "onelogin", "sandbox-sg", ... (unique)
  UpstreamKind kind = UpstreamKind::kGeneric;
  std::string country;          // "GBR" | "SGP" (ISO 3166-1 alpha-3); "" for generic
  std::string issuer;           // expected iss; discovery = issuer + "/.well-known/openid-configuration"
  std::string client_id;
  std::string redirect_uri;     // exactly one per upstream (mix-up defence)
  std::string scope;            // e.g. "openid" (One Login), "openid user.identity name" (Singpass)
  std::string vtr;              // One Login, e.g. "[\"Cl.Cm.P2\"]"; empty: none
  std::vector<std::string> userinfo_claims;  // One Login claims request, e.g. core identity JWT URL
  std::string did_document_url;      // One Login: where did.json is fetched (configured, never resolved)
  std::string core_identity_issuer;  // One Login: expected iss of the core identity JWT
  std::string acr_values;       // Singpass/generic optional
  jose::Jwk signing_key;        // private: RSA (One Login) or EC P-256 (Singpass, generic)
  std::optional<jose::Jwk> encryption_key;  // private: ID token JWE decryption (Singpass)
  bool use_par = false, use_dpop = false;   // Singpass: both true
  int timeout_ms = kDefaultTimeoutMs;       // per upstream HTTP request (connect and total)

  // Additions beyond the session contract:
  std::string discovery_url;    // empty: issuer + "/.well-known/openid-configuration"
  int64_t clock_skew_seconds = 60;                            // 0..300, for every JWT
  int64_t login_lifetime_seconds = kDefaultLoginLifetimeSeconds;  // PendingLogin validity

  std::string DiscoveryUrl() const;
};

// Structural checks shared by ParseUpstreams and MakeConnector (kind-specific key types, URLs,
// required One Login / Singpass settings). InvalidArgument "bad_config", message "<prefix>.<key>:
// <problem>" (prefix "upstream" when called from MakeConnector).
Status ValidateUpstream(const UpstreamConfig& config, std::string_view prefix);

// Parses [[upstreams]] TOML tables. Keys: id, kind ("onelogin" | "singpass" | "generic"),
// country, issuer, discovery_url, client_id, redirect_uri, scope, vtr, userinfo_claims,
// did_document_url, core_identity_issuer, acr_values, signing_key_file, encryption_key_file,
// use_par, use_dpop, timeout_ms, clock_skew_seconds, login_lifetime_seconds. Relative key file
// paths are resolved against `base_dir`. Ids must be unique. Errors: InvalidArgument "bad_config".
Result<std::vector<UpstreamConfig>> ParseUpstreams(const toml::array& upstreams,
                                                   std::string_view base_dir);

}  // namespace accord::oidc::connectors

#endif  // ACCORD_OIDC_CONNECTORS_CONFIG_H_
