// Broker: the consent gate, the consent form, and the person's consents pages (broker.h).
#include <ctime>

#include <boost/json.hpp>

#include "common/bytes.h"
#include "common/json.h"
#include "crypto/constant_time.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "oidc/broker/broker.h"
#include "oidc/broker/consent_admin.h"
#include "oidc/broker/consent_record.h"
#include "oidc/broker/pages.h"
#include "store/token_hash.h"
#include "web/html.h"

namespace accord::oidc::broker {
namespace {

constexpr std::string_view kSessionCookie = "accord_session";
constexpr std::string_view kConsentCsrfCookie = "accord_consent_csrf";
constexpr std::string_view kConsentsCsrfCookie = "accord_consents_csrf";

std::string AttributeLabel(std::string_view name) {
  if (name == "given_name") return "Given name";
  if (name == "family_name") return "Family name";
  if (name == "name") return "Full name";
  if (name == "birthdate") return "Date of birth";
  if (name == "nationality") return "Nationality";
  if (name == "national_id") return "National identity number";
  if (name == "email") return "Email address";
  if (name == "phone_number") return "Phone number";
  if (name == "address") return "Address";
  return std::string(name);
}

std::string DisplayValue(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_object() && v.get_object().if_contains("formatted") != nullptr &&
      v.get_object().at("formatted").is_string()) {
    return std::string(v.get_object().at("formatted").get_string());
  }
  return {};
}

std::string DateText(int64_t seconds) {
  static constexpr const char* kMonths[] = {"January", "February", "March",     "April",
                                            "May",     "June",     "July",      "August",
                                            "September", "October", "November", "December"};
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return std::to_string(tm.tm_mday) + " " + kMonths[tm.tm_mon] + " " +
         std::to_string(tm.tm_year + 1900);
}

std::vector<std::string> Split(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

std::string Broker::Cookie(std::string_view name, std::string_view value, std::string_view path,
                           int64_t max_age) const {
  std::string c = std::string(name) + "=" + std::string(value) + "; Path=" + std::string(path) +
                  "; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Lax";
  if (secure_cookies_) c += "; Secure";
  return c;
}

std::optional<store::Session> Broker::SessionFromCookie(const http::Request& request) const {
  auto cookie = GetCookie(request, kSessionCookie);
  if (!cookie || cookie->empty() || cookie->size() > 128) return std::nullopt;
  auto session = store_.GetSession(store::HashToken(*cookie), clock_.NowSeconds());
  if (!session.ok()) return std::nullopt;
  return *session;
}

std::optional<http::Response> Broker::BeforeIssue(const AuthorizationRequest& auth,
                                                  const store::Session& session) const {
  if (provider_ == nullptr) return ErrorPage(500, "Something went wrong", "Please try again.");
  const ClientConfig* client = provider_->config().FindClient(auth.client_id);
  if (client == nullptr) return ErrorPage(400, "Unknown service", "Start again from the service.");
  ClaimsContext ctx{*client, &session, session.subject, auth.scope, auth.claims, auth.acr_values};
  trust::CommonIdentity identity;
  const trust::ServicePolicy* policy = nullptr;
  auto plan = Plan(ctx, &identity, &policy);
  if (!plan.ok()) {
    const std::string& reason = plan.status().reason();
    if (reason == "unmet_authentication_requirements") {
      return provider_->ErrorRedirect(
          auth, "unmet_authentication_requirements",
          "the home identity provider could not reach the level of assurance asked for");
    }
    if (reason == "upstream_not_accepted") {
      return provider_->ErrorRedirect(auth, "access_denied",
                                      "the service does not accept this identity provider");
    }
    if (reason == "no_policy") {
      return provider_->ErrorRedirect(auth, "access_denied", "the service has no release policy");
    }
    if (reason == "no_identity") {
      return provider_->ErrorRedirect(auth, "login_required", "");
    }
    return provider_->ErrorRedirect(auth, "invalid_request", "the request could not be met");
  }
  if (plan->to_consent.empty()) return std::nullopt;
  auto existing = store_.GetConsent(session.subject, auth.client_id);
  if (existing.ok() && existing->revoked_at == 0) {
    std::vector<std::string> names = internal::ConsentedNames(*existing);
    bool covered = true;
    for (const auto& a : plan->to_consent) {
      bool found = false;
      for (const auto& n : names) found = found || n == a.name;
      covered = covered && found;
    }
    if (covered) return std::nullopt;
  } else if (!existing.ok() && existing.status().reason() != "not_found") {
    return UnavailablePage();
  }

  std::string txn = crypto::RandomToken(24);
  std::string csrf = crypto::RandomToken(32);
  boost::json::array attrs;
  for (const auto& a : plan->to_consent) attrs.emplace_back(a.name);
  int64_t now = clock_.NowSeconds();
  store::PushedRequest record;
  record.request_uri = std::string(kConsentPrefix) + txn;
  record.client_id = auth.client_id;
  record.params_json = boost::json::serialize(boost::json::object{
      {"request", ToJson(auth)},
      {"sid", session.sid},
      {"csrf_hash", HexEncode(store::HashToken(csrf))},
      {"attributes", std::move(attrs)}});
  record.created_at = now;
  record.expires_at = now + kConsentLifetime;
  if (!store_.SavePushedRequest(record).ok()) return UnavailablePage();

  web::ConsentPage page;
  page.service_name = policy->service_name;
  page.service_country = policy->country;
  if (const trust::UpstreamDecl* decl = trust_.FindUpstream(identity.upstream_id)) {
    page.home_provider = web::UpstreamLabel({decl->id, decl->name, decl->country, ""});
  }
  page.level = std::string(trust::LevelName(identity.level));
  if (!page.level.empty()) page.level[0] = static_cast<char>(std::toupper(page.level[0]));
  page.level += " (eIDAS level of assurance)";
  for (const auto& a : plan->to_consent) {
    web::ConsentItem item;
    item.label = AttributeLabel(a.name);
    item.purpose = a.purpose;
    auto it = identity.attributes.find(a.name);
    if (it != identity.attributes.end()) item.value = DisplayValue(it->second);
    page.items.push_back(std::move(item));
  }
  page.form_action = "/consent";
  page.csrf_token = csrf;
  page.hidden = {{"txn", txn}};
  http::Response r = HtmlPage(200, web::RenderConsent(page), {OriginOf(auth.redirect_uri)});
  r.headers.Add("Set-Cookie", Cookie(kConsentCsrfCookie, csrf, "/consent", kConsentLifetime));
  return r;
}

http::Response Broker::ConsentSubmit(const http::Request& request) const {
  const auto& form = request.Form();
  if (!form.ok() || form->FirstDuplicate()) {
    return ErrorPage(400, "Invalid request", "The form could not be read.");
  }
  auto txn = form->GetUnique("txn");
  auto csrf = form->GetUnique(web::kCsrfFieldName);
  auto decision = form->GetUnique(web::kDecisionField);
  auto cookie = GetCookie(request, kConsentCsrfCookie);
  if (!txn.ok() || !csrf.ok() || !decision.ok() || !cookie || txn->size() > 64 ||
      !crypto::ConstantTimeEquals(*csrf, *cookie)) {
    return ErrorPage(403, "Your answer could not be recorded",
                     "Your browser did not send the expected security token. Start again from "
                     "the service.");
  }
  auto record = store_.ConsumePushedRequest(std::string(kConsentPrefix) + std::string(*txn),
                                            clock_.NowSeconds());
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kUnavailable) return UnavailablePage();
    return ErrorPage(400, "This page has expired",
                     "Your answer came too late or was already recorded. Start again from the "
                     "service.");
  }
  auto stored = ParseJsonObject(record->params_json);
  if (!stored.ok()) return ErrorPage(500, "Something went wrong", "Please start again.");
  const boost::json::value* hash = stored->if_contains("csrf_hash");
  const boost::json::value* req = stored->if_contains("request");
  const boost::json::value* sid = stored->if_contains("sid");
  const boost::json::value* attrs = stored->if_contains("attributes");
  if (hash == nullptr || !hash->is_string() || req == nullptr || !req->is_string() ||
      sid == nullptr || !sid->is_string() || attrs == nullptr || !attrs->is_array()) {
    return ErrorPage(500, "Something went wrong", "Please start again.");
  }
  if (!crypto::ConstantTimeEquals(std::string_view(hash->get_string()),
                                  HexEncode(store::HashToken(*csrf)))) {
    return ErrorPage(403, "Your answer could not be recorded",
                     "The security token does not belong to this page.");
  }
  std::optional<store::Session> session = SessionFromCookie(request);
  if (!session || session->sid != std::string_view(sid->get_string())) {
    return ErrorPage(403, "You are signed out",
                     "Your sign-in ended before you answered. Start again from the service.");
  }
  auto auth = AuthorizationRequestFromJson(req->get_string());
  if (!auth.ok()) return ErrorPage(500, "Something went wrong", "Please start again.");
  const ClientConfig* client = provider_->config().FindClient(auth->client_id);
  if (client == nullptr) return ErrorPage(400, "Unknown service", "Start again from the service.");

  http::Response r;
  if (*decision == "agree") {
    store::Consent consent;
    consent.subject = session->subject;
    consent.client_id = auth->client_id;
    consent.scopes = Split(auth->scope);
    consent.claims_json = boost::json::serialize(*attrs);
    consent.granted_at = clock_.NowSeconds();
    if (!store_.PutConsent(consent).ok()) return UnavailablePage();
    audit::AuditEvent event;
    event.type = audit::EventType::kConsentGranted;
    event.service = auth->client_id;
    event.upstream = session->upstream;
    event.consent_id = internal::ConsentId(consent);
    event.subject_commitment =
        SubjectCommitment(provider_->PairwiseSubject(*client, session->subject));
    Audit(std::move(event));
    r = provider_->IssueCode(*auth, *session, 303);
  } else {
    r = provider_->ErrorRedirect(*auth, "access_denied", "the person did not agree to share");
  }
  r.headers.Add("Set-Cookie", Cookie(kConsentCsrfCookie, "", "/consent", 0));
  return r;
}

http::Response Broker::ConsentsPage(const http::Request& request) const {
  std::optional<store::Session> session = SessionFromCookie(request);
  if (!session) {
    return ErrorPage(401, "You are not signed in",
                     "Sign in to a service through Accord to see what you have agreed to share.");
  }
  auto consents = store_.ListConsents(session->subject);
  if (!consents.ok()) return UnavailablePage();
  std::string csrf = crypto::RandomToken(32);
  web::ConsentsPage page;
  page.revoke_action = "/consents/revoke";
  page.csrf_token = csrf;
  auto revoked = request.query.GetUnique("revoked");
  for (const auto& c : *consents) {
    if (c.revoked_at != 0) continue;
    web::ConsentRecordView view;
    view.client_id = c.client_id;
    const trust::ServicePolicy* policy = trust_.FindPolicy(c.client_id);
    view.service_name = policy != nullptr ? policy->service_name : c.client_id;
    view.service_country = policy != nullptr ? policy->country : "";
    for (const auto& n : internal::ConsentedNames(c)) view.attributes.push_back(AttributeLabel(n));
    view.granted_on = DateText(c.granted_at);
    page.consents.push_back(std::move(view));
  }
  if (revoked.ok()) {
    const trust::ServicePolicy* policy = trust_.FindPolicy(*revoked);
    if (policy != nullptr) page.notice = "You withdrew your consent for " + policy->service_name;
  }
  http::Response r = HtmlPage(200, web::RenderConsents(page));
  r.headers.Add("Set-Cookie", Cookie(kConsentsCsrfCookie, csrf, "/consents", 3600));
  return r;
}

http::Response Broker::ConsentRevoke(const http::Request& request) const {
  const auto& form = request.Form();
  if (!form.ok() || form->FirstDuplicate()) {
    return ErrorPage(400, "Invalid request", "The form could not be read.");
  }
  auto csrf = form->GetUnique(web::kCsrfFieldName);
  auto client_id = form->GetUnique("client_id");
  auto cookie = GetCookie(request, kConsentsCsrfCookie);
  if (!csrf.ok() || !client_id.ok() || !cookie || !crypto::ConstantTimeEquals(*csrf, *cookie)) {
    return ErrorPage(403, "Your request could not be completed",
                     "Your browser did not send the expected security token. Open the page "
                     "again and retry.");
  }
  std::optional<store::Session> session = SessionFromCookie(request);
  if (!session) {
    return ErrorPage(401, "You are not signed in",
                     "Sign in to a service through Accord to manage what you share.");
  }
  // The same revoke as `accord consents revoke` (consent_admin.h).
  Status revoked = RevokeConsentAndRecord(store_, clock_, provider_, audit_, commitment_key_,
                                          session->subject, *client_id, session->upstream);
  if (!revoked.ok() && revoked.reason() == "not_found") {
    return ErrorPage(404, "Nothing to withdraw", "You have no consent for that service.");
  }
  if (!revoked.ok()) return UnavailablePage();
  return http::Redirect("/consents?revoked=" + http::FormEncode(*client_id), 303);
}

namespace internal {

std::vector<std::string> ConsentedNames(const store::Consent& consent) {
  std::vector<std::string> names;
  auto parsed = ParseJson(consent.claims_json);
  if (!parsed.ok() || !parsed->is_array()) return names;
  for (const auto& v : parsed->get_array()) {
    if (v.is_string()) names.emplace_back(v.get_string());
  }
  return names;
}

std::string ConsentId(const store::Consent& c) {
  std::string input = c.subject + '\0' + c.client_id + '\0' + std::to_string(c.granted_at);
  auto digest = crypto::Sha256(AsBytes(input));
  return "consent-" + HexEncode(BytesView(digest.data(), 12));
}

}  // namespace internal
}  // namespace accord::oidc::broker
