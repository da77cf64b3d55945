// Provider configuration: the TOML file `accord serve --config FILE` reads (example:
// config/accord.example.toml; every key is described in docs/provider.md).
//
// ParseConfig validates everything once at start-up and returns errors that NAME THE KEY, e.g.
//   clients[1].redirect_uris[0]: must be an absolute https URL (http allowed only for localhost)
// After a successful parse the config is an immutable value shared read-only by all threads.
//
// Secrets: the key-encryption key (KEK) is not part of the config; only where to find it
// (kek_file or kek_env). LoadKek() reads it into a SecretBytes.
#ifndef ACCORD_OIDC_PROVIDER_CONFIG_H_
#define ACCORD_OIDC_PROVIDER_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "crypto/secret.h"
#include "crypto/signature.h"
#include "jose/jwk.h"
#include "store/store.h"

namespace accord::oidc {

enum class ClientProfile {
  kFapi2,  // FAPI 2.0 Security Profile: PAR, PKCE S256, DPoP, private_key_jwt (ES256/PS256)
  kOidc,   // OpenID Connect Core: plain authorization requests allowed, Bearer tokens, RS256 too
};
std::string_view ProfileName(ClientProfile profile);

struct ClientConfig {
  std::string client_id;
  ClientProfile profile = ClientProfile::kOidc;
  std::vector<std::string> redirect_uris;
  jose::Jwks jwks;       // public keys for private_key_jwt (inline or from jwks_file)...
  std::string jwks_uri;  // ...or fetched from here (JwksCache); exactly one source
  std::vector<std::string> scopes;  // allowed scopes; always includes "openid"
  std::vector<std::string> claims;  // allowed claims (empty: every claim of an allowed scope)
  std::string sector_identifier;    // pairwise subject sector (default: host of redirect_uris[0])
  crypto::SignatureAlgorithm id_token_alg = crypto::SignatureAlgorithm::kEs256;
  std::vector<std::string> post_logout_redirect_uris;
  std::string backchannel_logout_uri;

  bool requires_par() const { return profile == ClientProfile::kFapi2; }
  bool requires_dpop() const { return profile == ClientProfile::kFapi2; }
  bool AllowsScope(std::string_view scope) const;
  bool AllowsRedirectUri(std::string_view uri) const;  // exact string comparison
};

struct ProviderConfig {
  std::string issuer;  // https URL without query/fragment/trailing slash (http for localhost)
  std::string listen_address = "127.0.0.1";
  uint16_t listen_port = 8443;
  int threads = 2;          // I/O threads
  int worker_threads = 32;  // handler threads (http::ServerOptions::worker_threads)
  // Handlers running at once outside a wait (http::ServerOptions::handler_concurrency); 0: all.
  int handler_concurrency = 4;
  std::string tls_cert_file;  // both or neither
  std::string tls_key_file;
  store::StoreConfig store;
  std::string kek_file;  // exactly one of kek_file / kek_env
  std::string kek_env;
  std::string people_file = "data/people/sandbox-people.json";
  int64_t access_token_lifetime = 300;
  int64_t refresh_token_lifetime = 86400;
  int64_t session_lifetime = 3600;
  std::vector<ClientConfig> clients;
  // National profile (docs/sandboxes.md; parsed by ParseNationalConfig, national_config.h):
  // top-level `profile` ("accord" | "onelogin" | "singpass") and `key_owner` (owner of this
  // provider's signing keys in the store), and the [onelogin] table.
  std::string profile = "accord";
  std::string key_owner = "accord";
  std::string onelogin_did;                 // did:web of the core identity key (default: issuer host)
  std::string onelogin_identity_issuer;     // iss of the core identity JWT (default: issuer + "/")
  std::string onelogin_identity_key_owner;  // store owner of that key (default: key_owner + "-identity")

  const ClientConfig* FindClient(std::string_view client_id) const;
  bool tls() const { return !tls_cert_file.empty(); }
};

// Parses and validates TOML text. Relative paths (store, kek_file, people_file, jwks_file, TLS)
// are resolved against `base_dir` (the config file's directory) when it is non-empty.
// Errors: InvalidArgument, reason "bad_config", message "<key>: <problem>".
Result<ProviderConfig> ParseConfig(std::string_view toml_text, std::string_view base_dir = {});
Result<ProviderConfig> LoadConfigFile(const std::string& path);

// Reads the 32-byte KEK (base64url text, whitespace trimmed) from kek_file or the kek_env
// variable. InvalidArgument "bad_kek" naming the source (never the value).
Result<crypto::SecretBytes> LoadKek(const ProviderConfig& config);

// Redirect URI rule: absolute https URL, or http on localhost/127.0.0.1/[::1]; no fragment.
// Returns an empty string when acceptable, else the problem.
std::string CheckRedirectUri(std::string_view uri);

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_CONFIG_H_
