// `accord journey EVENT --facts FILE --date YYYY-MM-DD [--catalogue DIR] [--json]` and
// `accord journey --list` (see docs/rules.md).
#include <boost/json/serialize.hpp>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "app/commands.h"
#include "common/json.h"
#include "journeys/catalogue.h"
#include "journeys/planner.h"

namespace accord::app {
namespace {

struct JourneyArgs {
  std::string event;
  std::string facts;
  std::string date;
  std::string catalogue = "data";
  bool json = false;
  bool list = false;
};

int RunJourney(const JourneyArgs& a) {
  auto catalogue = journeys::Catalogue::Load(a.catalogue);
  if (!catalogue.ok()) {
    std::cerr << catalogue.status().message() << "\n";
    return 1;
  }
  if (a.list) {
    for (const auto& e : catalogue->events()) std::cout << e.id << "\t" << e.name << "\n";
    return 0;
  }
  if (a.event.empty() || a.date.empty()) {
    std::cerr << "journey: EVENT and --date are required (or --list)\n";
    return 2;
  }
  auto date = rules::ParseDate(a.date);
  if (!date) {
    std::cerr << "--date: expected YYYY-MM-DD\n";
    return 2;
  }
  boost::json::object facts;
  if (!a.facts.empty()) {
    std::ifstream in(a.facts, std::ios::binary);
    if (!in) {
      std::cerr << a.facts << ": cannot read\n";
      return 2;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = ParseJsonObject(ss.str(), JsonLimits{.max_bytes = 256 * 1024, .max_depth = 16});
    if (!parsed.ok()) {
      std::cerr << a.facts << ": " << parsed.status().message() << "\n";
      return 2;
    }
    facts = std::move(parsed).value();
  }
  journeys::Planner planner(*catalogue);
  auto plan = planner.PlanJourney(a.event, *date, facts);
  if (!plan.ok()) {
    std::cerr << plan.status().message() << "\n";
    return 1;
  }
  if (a.json) {
    std::cout << boost::json::serialize(journeys::PlanToJson(*plan)) << "\n";
  } else {
    std::cout << journeys::PlanToText(*plan);
  }
  return 0;
}

void Register(CLI::App& app) {
  auto args = std::make_shared<JourneyArgs>();
  auto* cmd = app.add_subcommand("journey", "Plan a life-event journey across UK and Singapore services");
  cmd->add_option("EVENT", args->event, "Life event id (see --list)");
  cmd->add_option("--facts", args->facts, "JSON object of the person's attributes");
  cmd->add_option("--date", args->date, "Event date, YYYY-MM-DD");
  cmd->add_option("--catalogue", args->catalogue, "Catalogue directory (default: data)");
  cmd->add_flag("--json", args->json, "Print the plan as JSON");
  cmd->add_flag("--list", args->list, "List the life events");
  cmd->callback([args] { SetCommandAction([args] { return RunJourney(*args); }); });
}

const CommandRegistrar kRegistrar("journey", &Register, 61);

}  // namespace
}  // namespace accord::app
