// Broker: Authenticator + callback + ClaimsSource + consent gate of the gateway (broker.h).
#include "oidc/broker/broker.h"

#include <boost/json.hpp>

#include "common/base64url.h"
#include "common/bytes.h"
#include "common/json.h"
#include "crypto/constant_time.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "http/form.h"
#include "oidc/broker/consent_record.h"
#include "oidc/broker/pages.h"
#include "store/token_hash.h"

namespace accord::oidc::broker {
namespace {

crypto::SecretBytes Derive(const crypto::SecretBytes& root, std::string_view label) {
  return crypto::SecretBytes(
      crypto::Hmac(crypto::HashAlgorithm::kSha256, root.view(), AsBytes(label)));
}

// The path of an absolute redirect URI ("http://host:port/callback/x" -> "/callback/x").
std::string PathOf(std::string_view uri) {
  size_t scheme = uri.find("://");
  if (scheme == std::string_view::npos) return {};
  size_t slash = uri.find('/', scheme + 3);
  if (slash == std::string_view::npos) return "/";
  std::string_view path = uri.substr(slash);
  size_t q = path.find_first_of("?#");
  return std::string(path.substr(0, q));
}

}  // namespace

Result<std::unique_ptr<Broker>> Broker::Create(BrokerDeps deps) {
  if (deps.store == nullptr || deps.clock == nullptr || deps.trust == nullptr ||
      deps.root_secret == nullptr || deps.root_secret->size() < 32) {
    return InvalidArgument("broker: store, clock, trust registry and a 32-byte root secret are "
                           "required", "bad_config");
  }
  if (deps.connectors.empty()) {
    return InvalidArgument("broker: at least one upstream is required", "bad_config");
  }
  for (const auto& c : deps.connectors) {
    if (deps.trust->FindUpstream(c->config().id) == nullptr) {
      return InvalidArgument("upstreams." + c->config().id +
                                 ": not declared in the trust registry (frameworks.toml)",
                             "bad_config");
    }
    if (PathOf(c->config().redirect_uri).empty()) {
      return InvalidArgument("upstreams." + c->config().id + ".redirect_uri: not an absolute URL",
                             "bad_config");
    }
  }
  return std::unique_ptr<Broker>(new Broker(std::move(deps)));
}

Broker::Broker(BrokerDeps deps)
    : store_(*deps.store),
      clock_(*deps.clock),
      trust_(*deps.trust),
      connectors_(std::move(deps.connectors)),
      subject_key_(Derive(*deps.root_secret, "accord broker subject v1")),
      commitment_key_(Derive(*deps.root_secret, "accord audit subject commitment v1")),
      audit_(deps.audit),
      secure_cookies_(deps.secure_cookies) {}

Status Broker::AddRoutes(http::Router& router) {
  http::RouteOptions sensitive;
  sensitive.sensitive = true;
  for (const auto& c : connectors_) {
    const connectors::Connector* connector = c.get();
    ACCORD_RETURN_IF_ERROR(router.Add(
        "callback_" + connector->config().id, "GET", PathOf(connector->config().redirect_uri),
        [this, connector](const http::Request& r) { return Callback(*connector, r); }, sensitive));
    ACCORD_RETURN_IF_ERROR(router.Add(
        "upstream_logout_" + connector->config().id, "POST",
        std::string(kUpstreamLogoutPathPrefix) + connector->config().id,
        [this, connector](const http::Request& r) {
          return UpstreamBackchannelLogout(*connector, r);
        },
        sensitive));
  }
  ACCORD_RETURN_IF_ERROR(router.Add(
      "consent", "POST", "/consent", [this](const http::Request& r) { return ConsentSubmit(r); },
      sensitive));
  ACCORD_RETURN_IF_ERROR(router.Add(
      "consents", "GET", "/consents", [this](const http::Request& r) { return ConsentsPage(r); },
      sensitive));
  return router.Add(
      "consents_revoke", "POST", "/consents/revoke",
      [this](const http::Request& r) { return ConsentRevoke(r); }, sensitive);
}

std::string Broker::LocalSubject(std::string_view upstream_id,
                                 std::string_view upstream_sub) const {
  std::string input(upstream_id);
  input.push_back('\0');
  input.append(upstream_sub);
  return "b:" + Base64UrlEncode(
                    crypto::Hmac(crypto::HashAlgorithm::kSha256, subject_key_.view(),
                                 AsBytes(input)));
}

const connectors::Connector* Broker::FindConnector(std::string_view id) const {
  for (const auto& c : connectors_) {
    if (c->config().id == id) return c.get();
  }
  return nullptr;
}

// --- Authenticator ----------------------------------------------------------------------------

std::string Broker::RenderLoginFields() const {
  std::vector<UpstreamChoice> choices;
  for (const auto& c : connectors_) {
    const trust::UpstreamDecl* decl = trust_.FindUpstream(c->config().id);
    choices.push_back({c->config().id, decl != nullptr ? decl->name : c->config().id,
                       decl != nullptr ? decl->country : c->config().country, ""});
  }
  return RenderUpstreamChoices(choices);
}

std::vector<std::string> Broker::FormTargets() const {
  std::vector<std::string> origins;
  for (const auto& c : connectors_) origins.push_back(OriginOf(c->config().issuer));
  return origins;
}

std::string Broker::LoginHeading() const { return "Prove who you are"; }

std::string Broker::LoginIntro() const {
  return "Use the digital identity of the country you live in. You will sign in there, then "
         "choose what to share with the service.";
}

Result<AuthenticatedUser> Broker::Complete(const http::Params&) const {
  return InvalidArgument("the gateway signs people in through their home identity provider",
                         "login_failed");
}

Result<LoginStep> Broker::Begin(const http::Params& form,
                                std::string_view login_transaction_id) const {
  auto upstream = form.GetUnique("upstream");
  if (!upstream.ok()) return InvalidArgument("choose a digital identity", "login_failed");
  const connectors::Connector* found = FindConnector(*upstream);
  if (found == nullptr) return InvalidArgument("unknown upstream", "login_failed");
  // Connectors are thread-safe; Start() only mutates internal caches under their own locks.
  auto started = const_cast<connectors::Connector*>(found)->Start();
  if (!started.ok()) return started.status();
  int64_t now = clock_.NowSeconds();
  store::PushedRequest record;
  record.request_uri = std::string(kUpstreamPrefix) + started->pending.state;
  record.client_id = found->config().id;
  record.params_json = boost::json::serialize(boost::json::object{
      {"pending", started->pending.ToJson()}, {"login", login_transaction_id}});
  record.created_at = now;
  record.expires_at = now + kUpstreamLoginLifetime;
  ACCORD_RETURN_IF_ERROR(store_.SavePushedRequest(record));
  LoginStep step;
  step.redirect_url = std::move(started->redirect_url);
  return step;
}

Result<Person> Broker::FindPerson(std::string_view) const {
  return NotFound("the gateway keeps no people", "not_found");
}

// --- Callback ---------------------------------------------------------------------------------

http::Response Broker::Callback(const connectors::Connector& connector,
                                const http::Request& request) const {
  auto state = request.query.GetUnique("state");
  if (!state.ok() || state->empty() || state->size() > 256) {
    return ErrorPage(400, "Sign-in could not be completed",
                     "The answer from your home sign-in service was incomplete. Start again "
                     "from the service you were using.");
  }
  auto record = store_.ConsumePushedRequest(std::string(kUpstreamPrefix) + std::string(*state),
                                            clock_.NowSeconds());
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kUnavailable) return UnavailablePage();
    return ErrorPage(400, "Sign-in expired",
                     "This sign-in attempt expired or was already used. Start again from the "
                     "service you were using.");
  }
  auto stored = ParseJsonObject(record->params_json);
  const boost::json::value* pending_json = stored.ok() ? stored->if_contains("pending") : nullptr;
  const boost::json::value* login = stored.ok() ? stored->if_contains("login") : nullptr;
  if (pending_json == nullptr || !pending_json->is_string() || login == nullptr ||
      !login->is_string()) {
    return ErrorPage(500, "Something went wrong", "Please start again from the service.");
  }
  auto pending = connectors::PendingLogin::FromJson(pending_json->get_string());
  if (!pending.ok()) return ErrorPage(500, "Something went wrong", "Please start again.");
  if (pending->upstream_id != connector.config().id || record->client_id != connector.config().id) {
    // The answer came back on another upstream's callback: a mix-up attempt.
    return ErrorPage(400, "Sign-in could not be completed",
                     "The answer did not come from the sign-in service you chose. Start again "
                     "from the service you were using.");
  }
  auto identity = const_cast<connectors::Connector&>(connector).Finish(request.query, *pending);
  if (!identity.ok()) {
    const std::string& reason = identity.status().reason();
    if (reason == "upstream_unavailable") {
      const trust::UpstreamDecl* decl = trust_.FindUpstream(connector.config().id);
      return UpstreamDownPage(decl != nullptr ? decl->name : connector.config().id,
                              decl != nullptr ? decl->country : connector.config().country);
    }
    if (reason == "upstream_error" && identity.status().message().find("access_denied") !=
                                          std::string::npos) {
      return ErrorPage(403, "Sign-in cancelled",
                       "You did not finish signing in with your home sign-in service. Nothing "
                       "was shared. Start again from the service you were using.");
    }
    return ErrorPage(400, "Sign-in could not be completed",
                     "We could not confirm the answer from your home sign-in service, so nothing "
                     "was shared. Start again from the service you were using.");
  }
  trust::Assertion assertion;
  assertion.upstream_id = connector.config().id;
  assertion.acr = identity->acr;
  assertion.vot = identity->vot;
  assertion.amr = identity->amr;
  assertion.auth_time = identity->auth_time;
  assertion.claims = identity->claims;
  auto common = trust_.Map(assertion);
  if (!common.ok()) {
    return ErrorPage(400, "Sign-in could not be completed",
                     "Your home sign-in service's answer could not be recognised.");
  }
  AuthenticatedUser user;
  user.subject = LocalSubject(connector.config().id, identity->subject);
  user.acr = std::string(trust::EidasUri(common->level));
  user.amr = identity->amr;
  user.upstream = connector.config().id;
  user.identity_json = common->ToJson();
  if (provider_ == nullptr) return ErrorPage(500, "Something went wrong", "Please try again.");
  http::Response resumed = provider_->ResumeLogin(login->get_string(), user, request);
  // For back-channel logout from the upstream. A session it could not end is not handed out.
  if (!RememberUpstreamSession(connector, *identity, resumed).ok()) {
    return ErrorPage(503, "Sign-in is unavailable", "Please try again in a few minutes.");
  }
  return resumed;
}

// --- Release ----------------------------------------------------------------------------------

Result<trust::ReleasePlan> Broker::Plan(const ClaimsContext& c, trust::CommonIdentity* identity,
                                        const trust::ServicePolicy** policy) const {
  if (c.session == nullptr || c.session->identity_json.empty()) {
    return FailedPrecondition("no recognised identity in the session", "no_identity");
  }
  ACCORD_ASSIGN_OR_RETURN(*identity, trust::CommonIdentity::FromJson(c.session->identity_json));
  *policy = trust_.FindPolicy(c.client.client_id);
  if (*policy == nullptr) {
    return FailedPrecondition("no release policy for the client", "no_policy");
  }
  return trust::PlanRelease(**policy, *identity, c.scope, c.claims_request, c.acr_values);
}

Status Broker::AddClaims(const ClaimsContext& c, boost::json::object& claims,
                         trust::ClaimsTarget target) const {
  trust::CommonIdentity identity;
  const trust::ServicePolicy* policy = nullptr;
  ACCORD_ASSIGN_OR_RETURN(trust::ReleasePlan plan, Plan(c, &identity, &policy));
  auto consent = store_.GetConsent(c.subject, c.client.client_id);
  std::vector<std::string> consented;
  std::string consent_id;
  if (consent.ok() && consent->revoked_at == 0) {
    consented = internal::ConsentedNames(*consent);
    consent_id = internal::ConsentId(*consent);
  }
  boost::json::object released = trust::ReleaseClaimsFor(identity, plan, consented, target);
  audit::AuditEvent event;
  event.type = audit::EventType::kAttributeRelease;
  event.service = c.client.client_id;
  event.upstream = identity.upstream_id;
  event.assurance = std::string(trust::LevelName(identity.level));
  event.consent_id = consent_id;
  for (const auto& [name, value] : released) {
    if (name == "verified_claims") continue;
    event.attributes.push_back(
        {std::string(name), identity.high_risk.count(std::string(name)) != 0
                                ? "official-sensitive"
                                : "official"});
  }
  if (!event.attributes.empty() && audit_ != nullptr) {
    event.subject_commitment = SubjectCommitment(c.client_subject.empty()
                                                     ? c.subject
                                                     : c.client_subject);
    event.time_ms = clock_.NowMillis();
    // Fail closed: nothing is released unless its release is in the log.
    ACCORD_RETURN_IF_ERROR(audit_->Record(event));
  }
  for (auto& [name, value] : released) claims[name] = std::move(value);
  return Status::Ok();
}

Status Broker::AddIdTokenClaims(const ClaimsContext& c, boost::json::object& claims) const {
  return AddClaims(c, claims, trust::ClaimsTarget::kIdToken);
}

Status Broker::AddUserinfoClaims(const ClaimsContext& c, boost::json::object& claims) const {
  return AddClaims(c, claims, trust::ClaimsTarget::kUserinfo);
}

std::string Broker::SubjectCommitment(std::string_view subject) const {
  auto commitment = audit::SubjectCommitment(commitment_key_, subject);
  return commitment.ok() ? *commitment : std::string();
}

void Broker::Audit(audit::AuditEvent event) const {
  if (audit_ == nullptr) return;
  event.time_ms = clock_.NowMillis();
  (void)audit_->Record(event);
}

}  // namespace accord::oidc::broker
