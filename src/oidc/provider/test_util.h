// Test fixture for the provider: an SQLite store in a fresh temp dir, a FixedClock, two clients
// (fapi2 "fapi-client" and oidc "oidc-client") with ES256 keys, sandbox people and a Provider;
// helpers to mint client assertions, DPoP proofs and codes and to drive handlers without sockets.
#ifndef ACCORD_OIDC_PROVIDER_TEST_UTIL_H_
#define ACCORD_OIDC_PROVIDER_TEST_UTIL_H_

#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/testing/temp_dir.h"
#include "http/request.h"
#include "jose/jwk.h"
#include "oidc/provider/provider.h"
#include "store/testing/faulty_store.h"

namespace accord::oidc::testing {

inline constexpr int64_t kNow = 1'800'000'000;
inline constexpr std::string_view kIssuer = "https://op.example";

jose::Jwk NewEcKey(std::string kid);
// A TOML config with both clients; `extra_client_toml` is appended.
std::string TestConfigToml(const jose::Jwk& fapi_key, const jose::Jwk& oidc_key,
                           std::string_view people_file);

struct AssertionOptions {
  std::string aud = std::string(kIssuer);
  std::string iss;  // default client_id
  std::string sub;  // default client_id
  std::string jti;  // default random
  int64_t exp_offset = 60;
};
std::string ClientAssertion(const jose::Jwk& key, std::string_view client_id, const Clock& clock,
                            AssertionOptions options = {});

struct DpopOptions {
  std::string method = "POST";
  std::string htu;
  std::string nonce;
  std::string access_token;  // sets ath when non-empty
  std::string jti;           // default random
  int64_t iat_offset = 0;
  std::string typ = "dpop+jwt";
};
std::string DpopProofJwt(const jose::Jwk& key, const Clock& clock, DpopOptions options);

// A PKCE pair (RFC 7636, S256).
struct Pkce {
  Pkce();
  std::string verifier;
  std::string challenge;
};

// The oidc client's redirect URI in TestConfigToml.
inline constexpr std::string_view kOidcRedirect = "http://localhost:3000/cb";

class ProviderEnv {
 public:
  // The SQLite store as `accord serve` opens it, with the replay journal (docs/store.md), unless
  // `replay_journal` is false: then the replay records and code exchanges go to the tables and
  // their write batch, as on a store without the journal.
  explicit ProviderEnv(bool replay_journal = true);
  ~ProviderEnv();

  http::Request Post(std::string path, std::string body) const;
  http::Request Get(std::string target) const;
  // client_assertion form fields for a client.
  std::string AssertionFields(const jose::Jwk& key, std::string_view client_id,
                              AssertionOptions options = {}) const;
  // An authorization code for "oidc-client" (`scope`, space-separated; state "st", nonce "nn"),
  // through /authorize and the sandbox login as `person`.
  std::string OidcCode(const Pkce& pkce, std::string_view person = "sandbox-gb-0001",
                       std::string_view scope = "openid profile offline_access") const;

  FixedClock clock{kNow};
  ::accord::testing::TempDir dir{"accord-oidc-"};
  // A FaultyStore over SQLite: it forwards every call until a test makes an operation fail.
  std::unique_ptr<store::Store> store;
  store::testing::FaultyStore* faults = nullptr;  // the same object as `store`
  crypto::SecretBytes kek;
  jose::Jwk fapi_key;
  jose::Jwk oidc_key;
  jose::Jwk dpop_key;
  ProviderConfig config;
  std::unique_ptr<KeyManager> keys;
  std::unique_ptr<SandboxAuthenticator> people;
  std::unique_ptr<Provider> provider;
};

// The value of `name` in a URL's query, or "".
std::string QueryParam(std::string_view url, std::string_view name);
// The value of the hidden form field `name` in an HTML page, or "".
std::string FormField(const std::string& html, const std::string& name);
// The value a response's Set-Cookie gives cookie `name`, or "".
std::string SetCookieValue(const http::Response& r, std::string_view name);

}  // namespace accord::oidc::testing

#endif  // ACCORD_OIDC_PROVIDER_TEST_UTIL_H_
