#include "demo/demo_service.h"

#include <toml++/toml.h>

#include <boost/json.hpp>

#include "web/components.h"
#include "web/html.h"
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
                                               "accord_consents_url"};
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
  ACCORD_ASSIGN_OR_RETURN(auto connector,
                          oidc::connectors::MakeConnector(config.upstreams[0], std::move(deps)));
  return std::unique_ptr<DemoService>(
      new DemoService(std::move(config), std::move(connector), clock));
}

DemoService::DemoService(DemoServiceConfig config,
                         std::unique_ptr<oidc::connectors::Connector> connector,
                         const Clock& clock)
    : config_(std::move(config)), connector_(std::move(connector)), clock_(clock) {}

Status DemoService::AddRoutes(http::Router& router) {
  ACCORD_RETURN_IF_ERROR(router.Add("demo_home", "GET", "/",
                                    [this](const http::Request& r) { return Home(r); }));
  http::RouteOptions sensitive;
  sensitive.sensitive = true;
  ACCORD_RETURN_IF_ERROR(router.Add(
      "demo_start", "POST", "/start", [this](const http::Request& r) { return Start(r); },
      sensitive));
  return router.Add(
      "demo_callback", "GET", "/callback", [this](const http::Request& r) { return Callback(r); },
      sensitive);
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
  if (!config_.accord_consents_url.empty()) {
    body += "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"" +
            web::HtmlEscape(config_.accord_consents_url) +
            "\">See or withdraw what you have shared through Accord</a></p>\n";
  }
  return Page(200, "You are signed in", body);
}

}  // namespace accord::demo
