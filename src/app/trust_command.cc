// `accord trust check [DIR]` and `accord trust map --upstream ID --assertion FILE [--dir DIR]`
// (see docs/trust.md). check validates data/trust/*.toml and prints the level mapping table and
// the service policies; map runs an upstream assertion through the mapping and prints the common
// identity JSON (it may contain personal data: it goes to stdout only, never to a log).
#include <boost/json/array.hpp>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

#include "app/commands.h"
#include "common/json.h"
#include "trust/registry.h"

namespace accord::app {
namespace {

struct TrustArgs {
  std::string dir = "data/trust";
  std::string upstream;
  std::string assertion;
};

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::string Condition(const trust::LevelRule& rule) {
  std::vector<std::string> parts;
  if (!rule.vot_all.empty()) parts.push_back("vot has " + Join(rule.vot_all, "+"));
  if (!rule.acr_in.empty()) parts.push_back("acr in " + Join(rule.acr_in, " | "));
  if (!rule.amr_any.empty()) parts.push_back("amr any " + Join(rule.amr_any, " | "));
  return Join(parts, " and ");
}

int RunCheck(const TrustArgs& a) {
  auto registry = trust::TrustRegistry::Load(a.dir);
  if (!registry.ok()) {
    std::cerr << a.dir << ": " << registry.status().message() << "\n";
    return 1;
  }
  std::cout << "Level mapping (first matching rule wins; no match: none)\n";
  std::cout << std::left << std::setw(14) << "framework" << std::setw(13) << "common level"
            << std::setw(14) << "term" << "condition\n";
  for (const auto& f : registry->frameworks()) {
    for (const auto& rule : f.levels) {
      auto term = f.assurance_terms.find(rule.level);
      std::cout << std::setw(14) << f.id << std::setw(13) << trust::LevelName(rule.level)
                << std::setw(14) << (term == f.assurance_terms.end() ? "-" : term->second)
                << Condition(rule) << "\n";
    }
  }
  std::cout << "\nUpstreams\n";
  for (const auto& u : registry->upstreams()) {
    std::cout << "  " << std::setw(12) << u.id << std::setw(14) << u.framework << u.country << "  "
              << u.name << "\n";
  }
  std::cout << "\nServices\n";
  for (const auto& p : registry->policies()) {
    std::vector<std::string> attrs;
    for (const auto& r : p.allowed_attributes) attrs.push_back(r.name + (r.essential ? "*" : ""));
    std::cout << "  " << p.client_id << " (" << p.country << "): accepts "
              << Join(p.accepted_upstreams, ", ") << "; minimum "
              << trust::LevelName(p.minimum_level) << "; attributes " << Join(attrs, ", ") << "\n";
  }
  std::cout << "\nOK: " << registry->frameworks().size() << " frameworks, "
            << registry->upstreams().size() << " upstreams, " << registry->policies().size()
            << " services\n";
  return 0;
}

Status ReadAssertion(const std::string& path, trust::Assertion* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read", "unreadable");
  std::stringstream ss;
  ss << in.rdbuf();
  ACCORD_ASSIGN_OR_RETURN(boost::json::object o,
                          ParseJsonObject(ss.str(), JsonLimits{.max_bytes = 256 * 1024, .max_depth = 32}));
  for (const auto& member : o) {
    std::string_view key = member.key();
    const auto& v = member.value();
    if (key == "acr" || key == "vot" || key == "country" || key == "framework") {
      if (!v.is_string()) return InvalidArgument(std::string(key) + " must be a string");
      std::string s(v.as_string());
      if (key == "acr") out->acr = s;
      if (key == "vot") out->vot = s;
      if (key == "country") out->country = s;
      if (key == "framework") out->framework = s;
    } else if (key == "amr") {
      if (!v.is_array()) return InvalidArgument("amr must be an array of strings");
      for (const auto& m : v.as_array()) {
        if (!m.is_string()) return InvalidArgument("amr must be an array of strings");
        out->amr.emplace_back(m.as_string());
      }
    } else if (key == "auth_time") {
      if (!v.is_int64()) return InvalidArgument("auth_time must be an integer");
      out->auth_time = v.as_int64();
    } else if (key == "claims") {
      if (!v.is_object()) return InvalidArgument("claims must be an object");
      out->claims = v.as_object();
    } else {
      return InvalidArgument("unknown member " + std::string(key) +
                             " (expected acr, vot, amr, auth_time, country, framework, claims)");
    }
  }
  return Status::Ok();
}

int RunMap(const TrustArgs& a) {
  auto registry = trust::TrustRegistry::Load(a.dir);
  if (!registry.ok()) {
    std::cerr << a.dir << ": " << registry.status().message() << "\n";
    return 1;
  }
  trust::Assertion assertion;
  assertion.upstream_id = a.upstream;
  Status read = ReadAssertion(a.assertion, &assertion);
  if (!read.ok()) {
    std::cerr << a.assertion << ": " << read.message() << "\n";
    return 2;
  }
  auto identity = registry->Map(assertion);
  if (!identity.ok()) {
    std::cerr << "map: " << identity.status().message() << "\n";
    return 1;
  }
  std::cout << identity->ToJson() << "\n";
  return 0;
}

void Register(CLI::App& app) {
  auto args = std::make_shared<TrustArgs>();
  auto* trust = app.add_subcommand("trust", "Trust frameworks, attribute mapping and service policies");
  trust->require_subcommand(1);
  auto* check = trust->add_subcommand("check", "Validate data/trust and print the level mapping");
  check->add_option("DIR", args->dir, "Trust configuration directory (default: data/trust)");
  check->callback([args] { SetCommandAction([args] { return RunCheck(*args); }); });
  auto* map = trust->add_subcommand("map", "Map an upstream assertion (JSON file) to the common identity");
  map->add_option("--upstream", args->upstream, "Upstream id (e.g. sandbox-uk)")->required();
  map->add_option("--assertion", args->assertion,
                  "JSON object: acr, vot, amr, auth_time, country, framework, claims")
      ->required();
  map->add_option("--dir", args->dir, "Trust configuration directory (default: data/trust)");
  map->callback([args] { SetCommandAction([args] { return RunMap(*args); }); });
}

const CommandRegistrar kRegistrar("trust", &Register, 62);

}  // namespace
}  // namespace accord::app
