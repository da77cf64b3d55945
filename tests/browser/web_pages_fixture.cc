// Test-only server for the browser test (tests/browser/pages_browser.mjs): renders every page of
// src/web with sample data, writes each to <out>/<name>.html, and serves them at /pages/<name>
// next to the real asset routes (web::AddAssetRoutes) and the real journeys routes
// (journeys::AddJourneyRoutes over the repository catalogue), through the default filter chain
// with the pages' CSP. Nothing here is part of `accord serve`.
//
// Usage: web_pages_fixture <repo root> <out dir>
// Prints "listening on http://127.0.0.1:PORT" and serves until SIGINT/SIGTERM.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "http/filters.h"
#include "http/metrics.h"
#include "http/server.h"
#include "journeys/api.h"
#include "journeys/catalogue.h"
#include "web/assets.h"
#include "web/html.h"
#include "web/journey_page.h"
#include "web/pages.h"

namespace {

using namespace accord;

std::map<std::string, std::string> SamplePages() {
  std::map<std::string, std::string> pages;
  web::SandboxLoginPage login;
  login.csrf_token = "sample-csrf";
  login.hidden = {{"txn", "sample-txn"}};
  login.people = {{"sandbox-uk-0001", "Amelia Clarke", "Born 12 April 1990, British"},
                  {"sandbox-sg-0001", "Tan Wei Ling", "Born 1 February 1985, Singaporean"}};
  pages["sandbox-login"] = web::RenderSandboxLogin(login);
  login.error = "Choose a test person";
  pages["sandbox-login-error"] = web::RenderSandboxLogin(login);

  web::ChooseCountryPage choose;
  choose.service_name = "Apply for an Employment Pass";
  choose.service_country = "SGP";
  choose.form_action = "/pages/choose-country";
  choose.csrf_token = "sample-csrf";
  choose.choices = {
      {"sandbox-uk", "GOV.UK One Login", "GBR", "If you live in or are a citizen of the UK"},
      {"sandbox-sg", "Singpass", "SGP", ""}};
  pages["choose-country"] = web::RenderChooseCountry(choose);
  choose.error = "Select how you want to prove who you are";
  pages["choose-country-error"] = web::RenderChooseCountry(choose);

  web::ConsentPage consent;
  consent.service_name = "Apply for an Employment Pass";
  consent.service_country = "SGP";
  consent.home_provider = "GOV.UK One Login (United Kingdom)";
  consent.level = "Substantial";
  consent.items = {{"Full name", "To fill in the application for you", "Amelia Clarke"},
                   {"Date of birth", "To check you are over 18", "12 April 1990"},
                   {"Nationality", "To decide which documents you need", ""}};
  consent.form_action = "/pages/consent";
  consent.csrf_token = "sample-csrf";
  consent.hidden = {{"txn", "sample-txn"}};
  pages["consent"] = web::RenderConsent(consent);

  web::ConsentsPage consents;
  consents.revoke_action = "/pages/consents";
  consents.csrf_token = "sample-csrf";
  consents.notice = "You withdrew consent for Tell HMRC you are leaving the UK";
  consents.consents = {
      {"sg-ep",
       "Apply for an Employment Pass",
       "SGP",
       {"Full name", "Date of birth"},
       "4 January 2027"},
      {"uk-p85", "Tell HMRC you are leaving the UK", "GBR", {"Full name"}, "5 January 2027"}};
  pages["consents"] = web::RenderConsents(consents);
  pages["consents-empty"] = web::RenderConsents({{}, "/pages/consents", "sample-csrf", ""});

  pages["error"] = web::RenderError({"Sign-in could not be completed",
                                     "Your browser did not send the expected security token. "
                                     "Start again from the service.",
                                     "", true});
  pages["error-legacy"] = web::RenderErrorPage("Invalid request", "The form could not be read.");
  pages["provider-down"] =
      web::RenderProviderDown({"Singpass", "SGP", "/pages/choose-country", "/"});
  return pages;
}

int Run(const std::string& repo, const std::string& out_dir) {
  auto catalogue = journeys::Catalogue::Load(std::filesystem::path(repo) / "data");
  if (!catalogue.ok()) {
    std::cerr << catalogue.status().message() << "\n";
    return 1;
  }
  auto assets = web::ResolveAssetsDir("", repo);
  if (!assets.ok()) {
    std::cerr << assets.status().message() << "\n";
    return 1;
  }
  std::filesystem::create_directories(out_dir);
  http::Router router;
  http::RouteOptions page_options;
  page_options.content_security_policy = std::string(web::kPageCsp);
  for (auto& [name, html] : SamplePages()) {
    std::ofstream(std::filesystem::path(out_dir) / (name + ".html"), std::ios::binary) << html;
    Status added = router.Add(
        "page_" + name, "GET", "/pages/" + name,
        [body = html](const http::Request&) {
          http::Response r;
          r.headers.Set("Content-Type", "text/html; charset=utf-8");
          r.body = body;
          return r;
        },
        page_options);
    if (!added.ok()) {
      std::cerr << added.message() << "\n";
      return 1;
    }
  }
  Status routes = web::AddAssetRoutes(router, *assets);
  if (routes.ok()) routes = journeys::AddJourneyRoutes(router, *catalogue);
  if (!routes.ok()) {
    std::cerr << routes.message() << "\n";
    return 1;
  }
  http::Registry registry;
  http::DefaultFilterOptions filter_options;
  filter_options.access_log_enabled = false;
  http::Pipeline pipeline(router, http::DefaultFilters(router, registry, filter_options));
  http::ServerOptions options;
  options.threads = 2;
  auto server = http::Server::Create(options, pipeline);
  if (!server.ok()) {
    std::cerr << server.status().message() << "\n";
    return 1;
  }
  std::cout << "listening on http://127.0.0.1:" << (*server)->port() << std::endl;
  Status ran = (*server)->RunUntilSignal();
  return ran.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: web_pages_fixture <repo root> <out dir>\n";
    return 2;
  }
  return Run(argv[1], argv[2]);
}
