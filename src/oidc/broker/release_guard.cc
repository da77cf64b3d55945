// ReleaseGuard: placement check before the consent page (release_guard.h).
#include "oidc/broker/release_guard.h"

#include "oidc/broker/pages.h"
#include "trust/identity.h"
#include "trust/release.h"
#include "web/pages.h"

namespace accord::oidc::broker {
namespace {

// What the person reads ("date of birth"), lower case for the middle of a sentence.
std::string PersonLabel(std::string_view name) {
  if (name == "given_name") return "given name";
  if (name == "family_name") return "family name";
  if (name == "name") return "full name";
  if (name == "birthdate") return "date of birth";
  if (name == "national_id" || name == "national_identifier") return "national identity number";
  if (name == "phone_number") return "phone number";
  if (name == "email") return "email address";
  std::string out(name);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace

std::vector<RefusedAttribute> RefusedAttributes(const datasec::PlacementPolicy& placement,
                                                std::string_view client_id,
                                                const std::vector<std::string>& attributes) {
  std::vector<RefusedAttribute> refused;
  for (const auto& a : attributes) {
    if (placement.CheckRelease(client_id, a).ok()) continue;
    std::string cls = placement.classification().ClassName(datasec::ItemKind::kAttribute, a);
    refused.push_back({a, cls.empty() ? "unclassified" : cls});
  }
  return refused;
}

Result<std::unique_ptr<ReleaseGuard>> ReleaseGuard::Create(ReleaseGuardDeps deps) {
  if (deps.next == nullptr || deps.placement == nullptr || deps.trust == nullptr ||
      deps.clock == nullptr) {
    return InvalidArgument("release guard: next gate, placement policy, trust registry and clock "
                           "are required", "bad_config");
  }
  return std::unique_ptr<ReleaseGuard>(new ReleaseGuard(deps));
}

std::optional<http::Response> ReleaseGuard::BeforeIssue(const AuthorizationRequest& auth,
                                                         const store::Session& session) const {
  if (provider_ == nullptr) return ErrorPage(500, "Something went wrong", "Please try again.");
  // Whatever the broker refuses itself (no identity, no policy, unmet level, unknown upstream)
  // it answers; the guard only adds the placement check to a plan that would go ahead.
  const trust::ServicePolicy* policy = deps_.trust->FindPolicy(auth.client_id);
  if (policy == nullptr || session.identity_json.empty()) {
    return deps_.next->BeforeIssue(auth, session);
  }
  auto identity = trust::CommonIdentity::FromJson(session.identity_json);
  if (!identity.ok()) return deps_.next->BeforeIssue(auth, session);
  auto plan = trust::PlanRelease(*policy, *identity, auth.scope, auth.claims, auth.acr_values);
  if (!plan.ok()) return deps_.next->BeforeIssue(auth, session);
  std::vector<std::string> names;
  for (const auto& a : plan->to_consent) names.push_back(a.name);
  std::vector<RefusedAttribute> refused =
      RefusedAttributes(*deps_.placement, auth.client_id, names);
  if (refused.empty()) return deps_.next->BeforeIssue(auth, session);

  if (deps_.audit != nullptr) {
    audit::AuditEvent event;
    event.type = audit::EventType::kReleaseRefused;
    event.time_ms = deps_.clock->NowMillis();
    event.service = auth.client_id;
    event.upstream = identity->upstream_id;
    event.assurance = std::string(trust::LevelName(identity->level));
    for (const auto& r : refused) event.attributes.push_back({r.name, r.class_name});
    // Fail closed: a refusal that is not in the log is not answered.
    if (!deps_.audit->Record(event).ok()) return UnavailablePage();
  }
  return Refuse(auth, policy->service_name, refused);
}

http::Response ReleaseGuard::Refuse(const AuthorizationRequest& auth,
                                    std::string_view service_name,
                                    const std::vector<RefusedAttribute>& refused) const {
  std::vector<std::string> labels, names;
  for (const auto& r : refused) {
    labels.push_back(PersonLabel(r.name));
    names.push_back(r.name);
  }
  // error_description: RFC 6749 allows printable ASCII without '"' and '\'; names are identifiers.
  http::Response redirect = provider_->ErrorRedirect(
      auth, "access_denied",
      "the service's hosting environment is not cleared to hold: " + JoinList(names));
  web::ErrorPage page;
  page.heading = "This service cannot receive your information";
  page.text = std::string(service_name) + " asked for your " + JoinList(labels) +
              ". The place where this service keeps its data is not approved to hold this kind "
              "of information, so Accord has not shared anything with it. You can return to the "
              "service and ask it about other ways to prove who you are.";
  page.return_url = std::string(redirect.headers.Get("Location").value_or(""));
  return HtmlPage(403, web::RenderError(page));
}

}  // namespace accord::oidc::broker
