// OidcConnector: the one Connector implementation; the UpstreamKind selects the profile:
//   kOneLogin  plain authorization request with vtr and the userinfo `claims` request;
//              private_key_jwt with the RSA key (RS256, aud = token endpoint); ES256 ID token;
//              core identity JWT verified against the configured did.json.
//   kSingpass  PAR + DPoP (fresh P-256 key per login, one retry on use_dpop_nonce);
//              private_key_jwt ES256 (aud = issuer, exp <= iat + 120 s); ID token JWE
//              (ECDH-ES+A256KW, A256CBC-HS512 or A256GCM) around an ES256 JWS.
//   kGeneric   PAR when configured or required by discovery, DPoP when configured, ID token
//              algorithms as discovered among ES256/PS256/RS256, JWE when an encryption key is set.
// See connector.h for the contract and docs/connectors.md for the protocol details.
//
// Thread safety: see connector.h. Internal state (caches, the last DPoP nonce, finished states)
// is behind mutexes.
#ifndef ACCORD_OIDC_CONNECTORS_OIDC_CONNECTOR_H_
#define ACCORD_OIDC_CONNECTORS_OIDC_CONNECTOR_H_

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "crypto/signature.h"
#include "jose/jwe.h"
#include "jose/jwk.h"
#include "jose/jwt.h"
#include "oidc/connectors/connector.h"
#include "oidc/connectors/core_identity.h"
#include "oidc/connectors/discovery.h"
#include "oidc/connectors/document_cache.h"
#include "oidc/connectors/dpop_key_handover.h"
#include "oidc/connectors/upstream_http.h"

namespace accord::oidc::connectors {

// Finished states remembered per connector (replay defence in depth; the caller's store is the
// primary one). Oldest entries are dropped beyond this.
inline constexpr size_t kMaxRememberedStates = 100000;

class OidcConnector final : public Connector {
 public:
  OidcConnector(UpstreamConfig config, ConnectorDeps deps, crypto::SignatureAlgorithm client_alg,
                std::optional<jose::JweDecrypter> decrypter);

  const UpstreamConfig& config() const override { return config_; }
  Result<StartResult> Start() override;
  Result<UpstreamIdentity> Finish(const http::Params& callback,
                                  const PendingLogin& pending) override;
  Result<UpstreamLogout> VerifyLogoutToken(std::string_view token) override;  // logout_token.cc

 private:
  struct Tokens {
    std::string access_token, id_token;
  };
  // Builds and sends one request given the DPoP nonce to use (nullopt: none known).
  using DpopRequest =
      std::function<Result<http::Response>(std::optional<std::string_view> nonce)>;

  Result<std::shared_ptr<const ProviderMetadata>> Metadata();
  Result<std::shared_ptr<const jose::Jwks>> Keys(const ProviderMetadata& m, bool refresh);
  bool UsesPar(const ProviderMetadata& m) const;
  bool UsesDpop() const { return config_.use_dpop; }
  std::string AssertionAudience(const ProviderMetadata& m) const;
  Result<std::string> ClientAssertion(const ProviderMetadata& m) const;
  http::Params AuthorizationParams(const PendingLogin& p, const jose::Jwk* dpop_key) const;
  Result<std::string> Push(const ProviderMetadata& m, const http::Params& params,
                           const jose::Jwk* dpop_key);

  Result<http::Response> SendWithDpop(const DpopRequest& send);
  void RememberDpopNonce(const http::Response& response);
  std::optional<std::string> DpopNonce() const;

  Status CheckCallback(const http::Params& callback, const PendingLogin& pending,
                       const ProviderMetadata& m);
  bool ConsumeState(const std::string& state, int64_t expires_at);
  Result<Tokens> RedeemCode(const ProviderMetadata& m, std::string_view code,
                            const PendingLogin& pending, const jose::Jwk* dpop_key);
  Result<jose::VerifiedJwt> VerifyIdToken(const ProviderMetadata& m, std::string_view token);
  Result<boost::json::object> FetchUserinfo(const ProviderMetadata& m, std::string_view token,
                                            std::string_view subject, const jose::Jwk* dpop_key);
  Result<boost::json::object> VerifyUserinfoJwt(const ProviderMetadata& m,
                                                std::string_view token);
  std::vector<crypto::SignatureAlgorithm> IdTokenAlgs(const ProviderMetadata& m) const;

  UpstreamConfig config_;
  const Clock& clock_;
  UpstreamHttp http_;
  crypto::SignatureAlgorithm client_alg_;
  std::optional<jose::JweDecrypter> decrypter_;
  DocumentCache<ProviderMetadata> metadata_cache_;
  DocumentCache<jose::Jwks> jwks_cache_;
  std::unique_ptr<CoreIdentityVerifier> core_identity_;
  DpopKeyHandover dpop_keys_;  // Start() -> Finish() of the same login

  mutable std::mutex mu_;
  std::string dpop_nonce_;
  std::unordered_set<std::string> finished_states_;
  std::deque<std::pair<int64_t, std::string>> finished_order_;  // (expires_at, state)
};

}  // namespace accord::oidc::connectors

#endif  // ACCORD_OIDC_CONNECTORS_OIDC_CONNECTOR_H_
