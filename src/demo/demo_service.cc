#include "demo/demo_service.h"

#include <toml++/toml.h>

#include <boost/json.hpp>
#include <cctype>
#include <filesystem>

#include "crypto/constant_time.h"
#include "journeys/api.h"
#include "web/assets.h"
#include "web/components.h"
#include "web/html.h"
#include "web/journey_page.h"
#include "web/pages.h"

namespace accord::demo {
namespace {

Result<std::string> RequiredString(const toml::table& t, std::string_view key) {
  auto v = t[key].value<std::string>();
  if (!v || v->empty()) {
    return InvalidArgument("demo_service." + std::string(key) + ": required string",
                           "bad_config");
  }
  return *v;
}

std::string Text(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  return boost::json::serialize(*v);
}

std::string Row(std::string_view text) { return web::HtmlEscape(text); }

constexpr std::string_view kJourneyPath = "/journey";
constexpr size_t kMaxJourneyFormBytes = 16 * 1024;

// "accord_demo_" + the client id with anything but letters, digits, '-' and '_' as '_': the two
// demo services and the gateway share the host 127.0.0.1, and cookies ignore the port.
std::string CookieName(std::string_view client_id) {
  std::string name = "accord_demo_";
  for (char c : client_id.substr(0, 64)) {
    name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  }
  return name;
}

// Value of cookie `name` in the request's Cookie headers, or "".
std::string GetCookie(const http::Request& request, std::string_view name) {
  for (std::string_view header : request.headers.GetAll("Cookie")) {
    while (!header.empty()) {
      size_t end = header.find(';');
      std::string_view pair = header.substr(0, end);
      header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return std::string(pair.substr(eq + 1));
      }
    }
  }
  return {};
}

}  // namespace

bool IsDemoServiceConfig(std::string_view toml_text) {
  try {
    toml::table t = toml::parse(toml_text);
    return t.contains("demo_service");
  } catch (const toml::parse_error&) {
    return false;
  }
}

Result<DemoServiceConfig> ParseDemoServiceConfig(std::string_view toml_text,
                                                 std::string_view base_dir) {
  toml::table root;
  try {
    root = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(std::string("config: ") + std::string(e.description()), "bad_config");
  }
  for (const auto& [key, value] : root) {
    if (key != "demo_service" && key != "upstreams") {
      return InvalidArgument(std::string(key.str()) + ": unknown key", "bad_config");
    }
  }
  const toml::table* svc = root["demo_service"].as_table();
  if (svc == nullptr) return InvalidArgument("demo_service: required table", "bad_config");
  static constexpr std::string_view kKeys[] = {"name",    "agency",   "country", "description",
                                               "address", "port",     "base_url",
                                               "accord_consents_url", "journey_event",
                                               "catalogue_dir"};
  for (const auto& [key, value] : *svc) {
    bool known = false;
    for (auto k : kKeys) known = known || key.str() == k;
    if (!known) {
      return InvalidArgument("demo_service." + std::string(key.str()) + ": unknown key",
                             "bad_config");
    }
  }
  DemoServiceConfig c;
  ACCORD_ASSIGN_OR_RETURN(c.name, RequiredString(*svc, "name"));
  ACCORD_ASSIGN_OR_RETURN(c.agency, RequiredString(*svc, "agency"));
  ACCORD_ASSIGN_OR_RETURN(c.country, RequiredString(*svc, "country"));
  ACCORD_ASSIGN_OR_RETURN(c.base_url, RequiredString(*svc, "base_url"));
  c.description = (*svc)["description"].value_or(std::string());
  c.address = (*svc)["address"].value_or(std::string("127.0.0.1"));
  c.accord_consents_url = (*svc)["accord_consents_url"].value_or(std::string());
  c.journey_event = (*svc)["journey_event"].value_or(std::string());
  if (auto dir = (*svc)["catalogue_dir"].value<std::string>()) {
    std::filesystem::path p(*dir);
    c.catalogue_dir = p.is_absolute() || base_dir.empty()
                          ? p.string()
                          : (std::filesystem::path(base_dir) / p).lexically_normal().string();
  } else {
    c.catalogue_dir = web::FindUnderRoots("data", base_dir);
    if (c.catalogue_dir.empty()) c.catalogue_dir = "data";
  }
  auto port = (*svc)["port"].value<int64_t>();
  if (!port || *port < 0 || *port > 65535) {
    return InvalidArgument("demo_service.port: required, 0..65535", "bad_config");
  }
  c.port = static_cast<uint16_t>(*port);
  const toml::array* ups = root["upstreams"].as_array();
  if (ups == nullptr || ups->size() != 1) {
    return InvalidArgument("upstreams: exactly one [[upstreams]] table (Accord) is required",
                           "bad_config");
  }
  ACCORD_ASSIGN_OR_RETURN(c.upstreams, oidc::connectors::ParseUpstreams(*ups, base_dir));
  if (c.upstreams[0].redirect_uri != c.base_url + "/callback") {
    return InvalidArgument("upstreams[0].redirect_uri: must be demo_service.base_url + \"/callback\"",
                           "bad_config");
  }
  return c;
}

Result<std::unique_ptr<DemoService>> DemoService::Create(DemoServiceConfig config,
                                                         oidc::connectors::ConnectorDeps deps) {
  if (config.upstreams.size() != 1) {
    return InvalidArgument("demo service: exactly one upstream", "bad_config");
  }
  const Clock& clock = deps.clock != nullptr ? *deps.clock : SystemClock::Instance();
  std::optional<journeys::Catalogue> catalogue;
  if (!config.journey_event.empty()) {
    auto loaded = journeys::Catalogue::Load(config.catalogue_dir);
    if (!loaded.ok()) {
      return InvalidArgument("demo_service.catalogue_dir: " + loaded.status().message(),
                             "bad_config");
    }
    if (loaded->FindEvent(config.journey_event) == nullptr) {
      return InvalidArgument("demo_service.journey_event: no life event \"" +
                                 config.journey_event + "\" in " + config.catalogue_dir,
                             "bad_config");
    }
    catalogue.emplace(std::move(*loaded));
  }
  ACCORD_ASSIGN_OR_RETURN(auto connector,
                          oidc::connectors::MakeConnector(config.upstreams[0], std::move(deps)));
  return std::unique_ptr<DemoService>(
      new DemoService(std::move(config), std::move(connector), clock, std::move(catalogue)));
}

DemoService::DemoService(DemoServiceConfig config,
                         std::unique_ptr<oidc::connectors::Connector> connector,
                         const Clock& clock, std::optional<journeys::Catalogue> catalogue)
    : config_(std::move(config)),
      connector_(std::move(connector)),
      clock_(clock),
      catalogue_(std::move(catalogue)),
      cookie_name_(CookieName(config_.upstreams[0].client_id)),
      sessions_(clock) {
  if (catalogue_) event_ = catalogue_->FindEvent(config_.journey_event);
}

Status DemoService::AddRoutes(http::Router& router) {
  ACCORD_RETURN_IF_ERROR(router.Add("demo_home", "GET", "/",
                                    [this](const http::Request& r) { return Home(r); }));
  http::RouteOptions sensitive;
  sensitive.sensitive = true;
  ACCORD_RETURN_IF_ERROR(router.Add(
      "demo_start", "POST", "/start", [this](const http::Request& r) { return Start(r); },
      sensitive));
  ACCORD_RETURN_IF_ERROR(router.Add(
      "demo_callback", "GET", "/callback", [this](const http::Request& r) { return Callback(r); },
      sensitive));
  if (event_ == nullptr) return Status::Ok();
  ACCORD_RETURN_IF_ERROR(router.Add(
      "demo_journey", "GET", std::string(kJourneyPath),
      [this](const http::Request& r) { return Journey(r); }, sensitive));
  http::RouteOptions form = sensitive;
  form.max_body_bytes = kMaxJourneyFormBytes;
  return router.Add(
      "demo_journey_post", "POST", std::string(kJourneyPath),
      [this](const http::Request& r) { return JourneySubmit(r); }, form);
}

http::Response DemoService::Page(int status, std::string_view title,
                                 std::string body_html) const {
  web::Layout layout;
  layout.title = std::string(title);
  layout.body_html = "<span class=\"govuk-caption-l\">" + web::HtmlEscape(config_.agency) + " (" +
                     web::HtmlEscape(web::CountryName(config_.country)) +
                     ", demo service)</span>\n" + body_html;
  http::Response r;
  r.status = status;
  r.headers.Set("Content-Type", "text/html; charset=utf-8");
  // The start form posts here and is answered with a redirect to Accord.
  std::string accord_origin = config_.upstreams[0].issuer;
  r.headers.Set("Content-Security-Policy",
                web::PageCsp(std::span<const std::string>(&accord_origin, 1)));
  r.body = web::RenderLayout(layout);
  return r;
}

http::Response DemoService::Home(const http::Request&) const {
  std::string body = "<h1 class=\"govuk-heading-xl\">" + web::HtmlEscape(config_.name) + "</h1>\n";
  if (!config_.description.empty()) {
    body += "<p class=\"govuk-body-l\">" + web::HtmlEscape(config_.description) + "</p>\n";
  }
  body +=
      "<p class=\"govuk-body\">You can prove who you are with your own country's digital "
      "identity. Accord, the UK-Singapore digital identity gateway, will ask you what to share "
      "with this service.</p>\n<form method=\"post\" action=\"/start\" novalidate>" +
      web::Button("Start now") + "</form>\n";
  return Page(200, config_.name, body);
}

http::Response DemoService::Start(const http::Request&) {
  auto started = connector_->Start();
  if (!started.ok()) {
    return Page(503, "Sorry, there is a problem",
                "<h1 class=\"govuk-heading-l\">Sorry, there is a problem with the service</h1>"
                "<p class=\"govuk-body\">Accord could not be reached. Try again later.</p>");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t now = clock_.NowSeconds();
    for (auto it = pending_.begin(); it != pending_.end();) {
      it = now - it->second.created_at > 600 ? pending_.erase(it) : std::next(it);
    }
    if (pending_.size() >= kMaxPendingLogins) {
      return Page(503, "Sorry, the service is busy",
                  "<h1 class=\"govuk-heading-l\">Sorry, the service is busy</h1>"
                  "<p class=\"govuk-body\">Try again in a few minutes.</p>");
    }
    pending_.emplace(started->pending.state, started->pending);
  }
  return http::Redirect(started->redirect_url, 303);
}

http::Response DemoService::Callback(const http::Request& request) {
  auto state = request.query.GetUnique("state");
  std::optional<oidc::connectors::PendingLogin> pending;
  if (state.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pending_.find(std::string(*state));
    if (it != pending_.end()) {
      pending = it->second;
      pending_.erase(it);
    }
  }
  if (!pending) {
    return Page(400, "Sign-in expired",
                "<h1 class=\"govuk-heading-l\">Your sign-in has expired</h1>"
                "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/\">Start again</a></p>");
  }
  auto identity = connector_->Finish(request.query, *pending);
  if (!identity.ok()) {
    std::string detail = identity.status().reason() == "upstream_error"
                             ? identity.status().message()
                             : std::string(identity.status().reason());
    return Page(403, "You were not signed in",
                "<h1 class=\"govuk-heading-l\">You were not signed in</h1>"
                "<p class=\"govuk-body\">Accord did not confirm your identity, so nothing was "
                "shared with this service.</p><p class=\"govuk-body\">Reason given: <code>" +
                    web::HtmlEscape(detail) +
                    "</code></p><p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/\">Start "
                    "again</a></p>");
  }
  const boost::json::object& claims = identity->claims;
  std::vector<web::SummaryRow> person;
  for (std::string_view key : {"given_name", "family_name", "birthdate", "nationality"}) {
    std::string v = Text(claims, key);
    if (!v.empty()) person.push_back({std::string(key), Row(v)});
  }
  std::vector<web::SummaryRow> verification;
  verification.push_back({"Level (acr)", Row(identity->acr)});
  verification.push_back({"Identifier for this service (sub)", Row(identity->subject)});
  if (const boost::json::value* vc = claims.if_contains("verified_claims");
      vc != nullptr && vc->is_object()) {
    if (const boost::json::value* v = vc->get_object().if_contains("verification");
        v != nullptr && v->is_object()) {
      for (std::string_view key : {"trust_framework", "assurance_level", "time"}) {
        std::string t = Text(v->get_object(), key);
        if (!t.empty()) verification.push_back({std::string(key), Row(t)});
      }
      if (const boost::json::value* ev = v->get_object().if_contains("evidence");
          ev != nullptr) {
        verification.push_back({"evidence", Row(boost::json::serialize(*ev))});
      }
    }
  }
  std::string body = "<h1 class=\"govuk-heading-xl\">You are signed in</h1>\n"
                     "<p class=\"govuk-body\">Accord recognised your identity and shared what "
                     "you agreed to with " +
                     web::HtmlEscape(config_.name) + ".</p>\n" +
                     web::SummaryCard("What this service received", person, 2) +
                     web::SummaryCard("How your identity was verified", verification, 2);
  std::string token;
  if (event_ != nullptr) {
    auto created = sessions_.Create(MapClaimsToFacts(claims, *catalogue_));
    if (created.ok()) {
      token = std::move(*created);
      body += "<h2 class=\"govuk-heading-m\">Your next steps</h2>\n"
              "<p class=\"govuk-body\">" +
              web::HtmlEscape(event_->name) + ": " + web::HtmlEscape(event_->description) +
              " Your steps across both governments are worked out from what you shared, and "
              "we ask only for what is missing.</p>\n"
              "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"" +
              std::string(kJourneyPath) + "\">See your steps: " +
              web::HtmlEscape(event_->name) + "</a></p>\n";
    }
  }
  if (!config_.accord_consents_url.empty()) {
    body += "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"" +
            web::HtmlEscape(config_.accord_consents_url) +
            "\">See or withdraw what you have shared through Accord</a></p>\n";
  }
  http::Response r = Page(200, "You are signed in", body);
  if (!token.empty()) r.headers.Add("Set-Cookie", SessionCookie(token));
  return r;
}

std::string DemoService::SessionCookie(std::string_view token) const {
  std::string c = cookie_name_ + "=" + std::string(token) +
                  "; Path=/; Max-Age=28800; HttpOnly; SameSite=Lax";
  if (config_.base_url.starts_with("https://")) c += "; Secure";
  return c;
}

std::string DemoService::SessionToken(const http::Request& request) const {
  return GetCookie(request, cookie_name_);
}

http::Response DemoService::NotSignedIn() const {
  return Page(403, "You are not signed in",
              "<h1 class=\"govuk-heading-l\">You are not signed in</h1>"
              "<p class=\"govuk-body\">Your steps use what you shared when you signed in, so "
              "sign in first. If you were signed in, your session has ended.</p>"
              "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/\">Start again</a></p>");
}

http::Response DemoService::JourneyResponse(
    const DemoSession& session, std::optional<journeys::AnswersForm> rejected) const {
  const boost::json::object& identity = session.identity.facts;
  int status = 200;
  web::JourneyPage page;
  if (rejected) {
    page = journeys::BuildJourneyPage(*event_, *catalogue_, std::move(*rejected), identity,
                                      &status);
  } else if (session.answers.event_date || !session.answers.facts.empty()) {
    http::Params form = journeys::AnswersToForm(session.answers, *catalogue_);
    page = journeys::BuildJourneyPage(*event_, *catalogue_, &form, identity, &status);
  } else {
    page = journeys::BuildJourneyPage(*event_, *catalogue_, nullptr, identity, &status);
  }
  page.caption = config_.agency + " (" + web::CountryName(config_.country) + ", demo service)";
  page.form_action = std::string(kJourneyPath);
  page.csrf_token = session.csrf;
  page.identity_source = session.identity.display_name.empty()
                             ? session.identity.source
                             : "You are signed in as " + session.identity.display_name + ". " +
                                   session.identity.source;
  http::Response r;
  r.status = status;
  r.headers.Set("Content-Type", "text/html; charset=utf-8");
  r.headers.Set("Content-Security-Policy", std::string(web::kPageCsp));
  r.body = web::RenderJourney(page);
  return r;
}

http::Response DemoService::Journey(const http::Request& request) {
  std::optional<DemoSession> session = sessions_.Get(SessionToken(request));
  if (!session) return NotSignedIn();
  return JourneyResponse(*session, std::nullopt);
}

http::Response DemoService::JourneySubmit(const http::Request& request) {
  const std::string token = SessionToken(request);
  std::optional<DemoSession> session = sessions_.Get(token);
  if (!session) return NotSignedIn();
  const auto& form = request.Form(http::FormLimits{.max_bytes = kMaxJourneyFormBytes, .max_params = 128});
  if (!form.ok() || form->FirstDuplicate()) {
    return Page(400, "There is a problem",
                "<h1 class=\"govuk-heading-l\">There is a problem</h1>"
                "<p class=\"govuk-body\">The form could not be read. "
                "<a class=\"govuk-link\" href=\"/journey\">Go back to your steps</a> and try "
                "again.</p>");
  }
  auto csrf = form->GetUnique(web::kCsrfFieldName);
  if (!csrf.ok() || !crypto::ConstantTimeEquals(*csrf, session->csrf)) {
    return Page(403, "Your answers were not saved",
                "<h1 class=\"govuk-heading-l\">Your answers were not saved</h1>"
                "<p class=\"govuk-body\">The form did not come from this page of the service, "
                "so nothing was changed. <a class=\"govuk-link\" href=\"/journey\">Go back to "
                "your steps</a> and try again.</p>");
  }
  journeys::AnswersForm read =
      journeys::ReadAnswersForm(*event_, *catalogue_, &*form, session->identity.facts);
  if (!read.errors.empty()) return JourneyResponse(*session, std::move(read));
  Status kept = sessions_.SetAnswers(token, std::move(read.answers));
  if (kept.reason() == "answers_too_large") {
    return Page(400, "There is a problem",
                "<h1 class=\"govuk-heading-l\">There is a problem</h1>"
                "<p class=\"govuk-body\">Your answers are too long to keep. "
                "<a class=\"govuk-link\" href=\"/journey\">Go back to your steps</a> and "
                "shorten them.</p>");
  }
  if (!kept.ok()) return NotSignedIn();
  return http::Redirect(std::string(kJourneyPath), 303);
}

}  // namespace accord::demo
