// ReleaseGuard: the placement check on every release (docs/security.md, "Placement policy").
//
// A ConsentGate decorator in front of the broker: before the consent page (and before any code
// is issued), it plans the release exactly as the broker does (trust::PlanRelease over the
// session's identity and the service's policy) and asks datasec::PlacementPolicy::CheckRelease
// for each attribute. When the service's declared hosting environment cannot hold one (its class
// is above the environment's ceiling, it is SECRET or above, it is unclassified, or the service
// declares no environment):
//   - an audit entry `release_refused` is recorded first (service, upstream, level, attribute
//     names and their datasec classes; no subject, no values). Fail closed: if it cannot be
//     recorded the person gets the 503 page and nothing goes on;
//   - the person gets a GOV.UK-styled page (403) saying the service cannot receive that data and
//     nothing was shared, with a "Return to the service" link that is the OAuth error redirect
//     `access_denied` with a readable error_description naming the attributes (no internals).
// Otherwise (and for every request the broker itself answers: no identity, no policy, unmet
// level) the broker's BeforeIssue decides.
//
// Lifetime: everything in ReleaseGuardDeps must outlive the guard; Attach() the Provider before
// serving. Thread safety: after Attach, BeforeIssue is safe to call concurrently.
#ifndef ACCORD_OIDC_BROKER_RELEASE_GUARD_H_
#define ACCORD_OIDC_BROKER_RELEASE_GUARD_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_sink.h"
#include "common/clock.h"
#include "common/status.h"
#include "datasec/placement.h"
#include "oidc/provider/consent_gate.h"
#include "oidc/provider/provider.h"
#include "trust/registry.h"

namespace accord::oidc::broker {

struct RefusedAttribute {
  std::string name;        // "birthdate"
  std::string class_name;  // datasec class ("ordinary", "high_risk") or "unclassified"
};

// The attributes of `attributes` that may not be released to `client_id`, in order.
std::vector<RefusedAttribute> RefusedAttributes(const datasec::PlacementPolicy& placement,
                                                std::string_view client_id,
                                                const std::vector<std::string>& attributes);

struct ReleaseGuardDeps {
  const ConsentGate* next = nullptr;  // the broker
  const datasec::PlacementPolicy* placement = nullptr;
  const trust::TrustRegistry* trust = nullptr;
  audit::AuditSink* audit = nullptr;  // optional (a gateway without [audit] logs nothing)
  const Clock* clock = nullptr;
};

class ReleaseGuard final : public ConsentGate {
 public:
  static Result<std::unique_ptr<ReleaseGuard>> Create(ReleaseGuardDeps deps);

  void Attach(const Provider* provider) { provider_ = provider; }

  std::optional<http::Response> BeforeIssue(const AuthorizationRequest& auth,
                                            const store::Session& session) const override;

 private:
  explicit ReleaseGuard(ReleaseGuardDeps deps) : deps_(deps) {}
  http::Response Refuse(const AuthorizationRequest& auth, std::string_view service_name,
                        const std::vector<RefusedAttribute>& refused) const;

  ReleaseGuardDeps deps_;
  const Provider* provider_ = nullptr;
};

}  // namespace accord::oidc::broker

#endif  // ACCORD_OIDC_BROKER_RELEASE_GUARD_H_
