// Broker: the gateway's side of mutual recognition (docs/broker.md). It is, at once,
//   - the gateway Provider's Authenticator: the sign-in page offers the person's home country's
//     digital identity (one radio per configured upstream); Begin() starts that upstream's
//     connector and sends the browser there;
//   - the callback endpoint (one path per upstream, from its redirect_uri): the connector finishes
//     the upstream login (iss, state, nonce, ID token, userinfo, core identity), the TrustRegistry
//     maps it to a CommonIdentity, and Provider::ResumeLogin() continues the service's request;
//   - the consent gate: before a code is issued, the service's policy and the request give a
//     ReleasePlan (or unmet_authentication_requirements / upstream_not_accepted); without a live
//     consent covering it, the person sees the consent page (POST /consent);
//   - the gateway's ClaimsSource: ID token and userinfo carry only planned and consented
//     attributes, with OIDC4IDA verified_claims;
//   - the consent pages for the person: GET /consents, POST /consents/revoke;
//   - the back-channel logout endpoint for each upstream (upstream_logout.h).
// Every release, consent grant and revocation is recorded in the audit log (no personal data: the
// subject only as an HMAC commitment).
//
// Local subject: the person's subject inside Accord is
//   "b:" + base64url(HMAC-SHA256(subject_key, upstream_id || 0x00 || upstream_sub)),
//   subject_key = HMAC-SHA256(root_secret, "accord broker subject v1"),
// so no upstream identifier is stored in clear; services see pairwise subjects derived from it.
//
// Lifetime: everything in BrokerDeps must outlive the Broker; Attach() the Provider (built with
// this broker as authenticator, claims source and consent gate) before serving. Thread safety:
// after Attach, every method is safe to call concurrently.
#ifndef ACCORD_OIDC_BROKER_BROKER_H_
#define ACCORD_OIDC_BROKER_BROKER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_sink.h"
#include "common/clock.h"
#include "common/status.h"
#include "crypto/secret.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "oidc/broker/upstream_logout.h"
#include "oidc/connectors/connector.h"
#include "oidc/provider/authenticator.h"
#include "oidc/provider/claims_source.h"
#include "oidc/provider/consent_gate.h"
#include "oidc/provider/provider.h"
#include "store/store.h"
#include "trust/trust.h"

namespace accord::oidc::broker {

inline constexpr std::string_view kUpstreamPrefix = "urn:accord:upstream:";
inline constexpr std::string_view kConsentPrefix = "urn:accord:consent:";
inline constexpr int64_t kUpstreamLoginLifetime = 600;
inline constexpr int64_t kConsentLifetime = 600;  // the store keeps transactions <= 600 s

struct BrokerDeps {
  store::Store* store = nullptr;
  const Clock* clock = nullptr;
  const trust::TrustRegistry* trust = nullptr;
  std::vector<std::unique_ptr<connectors::Connector>> connectors;
  const crypto::SecretBytes* root_secret = nullptr;  // 32 bytes (the KEK)
  audit::AuditSink* audit = nullptr;                 // optional
  bool secure_cookies = false;                       // under TLS
};

class Broker final : public Authenticator, public ClaimsSource, public ConsentGate {
 public:
  static Result<std::unique_ptr<Broker>> Create(BrokerDeps deps);

  void Attach(const Provider* provider) { provider_ = provider; }
  // /callback paths (from each upstream's redirect_uri), /consent, /consents, /consents/revoke.
  Status AddRoutes(http::Router& router);

  // The subject Accord keeps for an upstream person (see the header comment).
  std::string LocalSubject(std::string_view upstream_id, std::string_view upstream_sub) const;

  // Authenticator.
  std::string RenderLoginFields() const override;
  Result<AuthenticatedUser> Complete(const http::Params& form) const override;
  Result<LoginStep> Begin(const http::Params& form,
                          std::string_view login_transaction_id) const override;
  Result<Person> FindPerson(std::string_view subject) const override;
  const std::vector<Person>& people() const override { return no_people_; }
  std::vector<std::string> FormTargets() const override;
  std::string LoginHeading() const override;
  std::string LoginIntro() const override;

  // ClaimsSource.
  Status AddIdTokenClaims(const ClaimsContext& c, boost::json::object& claims) const override;
  Status AddUserinfoClaims(const ClaimsContext& c, boost::json::object& claims) const override;

  // ConsentGate.
  std::optional<http::Response> BeforeIssue(const AuthorizationRequest& auth,
                                            const store::Session& session) const override;

  http::Response Callback(const connectors::Connector& connector,
                          const http::Request& request) const;
  http::Response ConsentSubmit(const http::Request& request) const;
  http::Response ConsentsPage(const http::Request& request) const;
  http::Response ConsentRevoke(const http::Request& request) const;
  // POST /upstream/backchannel-logout/<id> (upstream_logout.h).
  http::Response UpstreamBackchannelLogout(const connectors::Connector& connector,
                                           const http::Request& request) const;

 private:
  explicit Broker(BrokerDeps deps);
  const connectors::Connector* FindConnector(std::string_view id) const;
  Result<trust::ReleasePlan> Plan(const ClaimsContext& c, trust::CommonIdentity* identity,
                                  const trust::ServicePolicy** policy) const;
  Status AddClaims(const ClaimsContext& c, boost::json::object& claims,
                   trust::ClaimsTarget target) const;
  std::optional<store::Session> SessionFromCookie(const http::Request& request) const;
  // "<kind>:" + the local-subject HMAC of an upstream sub or sid (kind "sub" or "sid").
  std::string UpstreamLoginKey(std::string_view kind, std::string_view upstream_id,
                               std::string_view value) const;
  // Records the session `response` created under its upstream login's sub and sid (store:
  // upstream_logins). On failure the session is deleted and the login must not be answered.
  Status RememberUpstreamSession(const connectors::Connector& connector,
                                 const connectors::UpstreamIdentity& identity,
                                 const http::Response& response) const;
  void Audit(audit::AuditEvent event) const;
  std::string SubjectCommitment(std::string_view subject) const;
  std::string Cookie(std::string_view name, std::string_view value, std::string_view path,
                     int64_t max_age) const;

  store::Store& store_;
  const Clock& clock_;
  const trust::TrustRegistry& trust_;
  std::vector<std::unique_ptr<connectors::Connector>> connectors_;
  crypto::SecretBytes subject_key_;
  crypto::SecretBytes commitment_key_;
  audit::AuditSink* audit_;
  bool secure_cookies_;
  const Provider* provider_ = nullptr;
  std::vector<Person> no_people_;
};

}  // namespace accord::oidc::broker

#endif  // ACCORD_OIDC_BROKER_BROKER_H_
