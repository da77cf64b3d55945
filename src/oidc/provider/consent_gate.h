// ConsentGate: the last step before the provider issues an authorization code. The gateway's
// broker implements it: it checks the service's release policy and level (answering with an
// error redirect such as unmet_authentication_requirements) and, without a live consent covering
// what would be released, shows the person the consent page. A provider without a gate issues
// codes directly (the sandboxes: their people are fictional and the login is the consent).
//
// Thread safety: implementations are safe to call concurrently.
#ifndef ACCORD_OIDC_PROVIDER_CONSENT_GATE_H_
#define ACCORD_OIDC_PROVIDER_CONSENT_GATE_H_

#include <optional>

#include "http/response.h"
#include "oidc/provider/authorization_request.h"
#include "store/records.h"

namespace accord::oidc {

class ConsentGate {
 public:
  virtual ~ConsentGate() = default;
  // nullopt: issue the code now. Otherwise the response to send instead (a consent page, or an
  // error redirect built with Provider::ErrorRedirect). Called with the browser's session.
  virtual std::optional<http::Response> BeforeIssue(const AuthorizationRequest& auth,
                                                    const store::Session& session) const = 0;
};

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_CONSENT_GATE_H_
