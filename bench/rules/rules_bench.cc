// rules_bench: rule evaluations per second over the catalogue's eligibility rules with fixture data,
// and journeys planned per second (bench/rules/compare.sh runs json-logic-js on the same cases).
//
//   build/default/src/rules/rules_bench --benchmark_filter=.   (run from the repository root)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <functional>
#include <optional>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/json.h"
#include "journeys/catalogue.h"
#include "journeys/planner.h"
#include "rules/evaluator.h"

namespace {

using namespace accord;

std::filesystem::path DataDir() { return std::filesystem::path(ACCORD_SOURCE_DIR) / "data"; }

struct Case {
  const rules::Rule* rule;
  boost::json::value data;
};

// Every fixture case of every service, with event_date set as the planner does.
struct Corpus {
  journeys::Catalogue catalogue;
  std::vector<Case> cases;
};

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto c = journeys::Catalogue::Load(DataDir());
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
      std::abort();
    }
    auto* out = new Corpus{*c, {}};
    for (const auto& entry : std::filesystem::directory_iterator(DataDir() / "tests")) {
      std::ifstream in(entry.path());
      std::stringstream ss;
      ss << in.rdbuf();
      auto fixture = ParseJsonObject(ss.str());
      if (!fixture.ok()) continue;
      const auto* service = out->catalogue.FindService(std::string((*fixture)["service"].as_string()));
      if (service == nullptr) continue;
      for (const auto& tc : (*fixture)["cases"].as_array()) {
        boost::json::object data = tc.at("input").as_object();
        data["event_date"] = tc.at("date");
        out->cases.push_back(Case{&service->eligibility, std::move(data)});
      }
    }
    return out;
  }();
  return *corpus;
}

void BM_RuleEvaluation(benchmark::State& state) {
  const Corpus& corpus = GetCorpus();
  rules::Evaluator evaluator;
  size_t i = 0;
  for (auto _ : state) {
    const Case& c = corpus.cases[i];
    auto r = evaluator.Evaluate(*c.rule, c.data);
    benchmark::DoNotOptimize(r);
    if (++i == corpus.cases.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["cases"] = static_cast<double>(corpus.cases.size());
}
BENCHMARK(BM_RuleEvaluation);

// A journey over every service of the catalogue (>= 20), built in memory from the loaded files.
void BM_PlanJourney(benchmark::State& state) {
  const Corpus& corpus = GetCorpus();
  const char* event = state.range(0) == 0 ? "uk-to-sg-work" : "everything";
  std::optional<journeys::Catalogue> all;
  const journeys::Catalogue* catalogue = &corpus.catalogue;
  if (state.range(0) == 1) {
    // Compose one event listing every service, prerequisites first (catalogue order is sorted by
    // file name, so order by prerequisite depth).
    std::vector<std::string> ids;
    std::function<void(const journeys::Service&)> add = [&](const journeys::Service& s) {
      for (const auto& p : s.prerequisites) add(*corpus.catalogue.FindService(p));
      if (std::find(ids.begin(), ids.end(), s.id) == ids.end()) ids.push_back(s.id);
    };
    for (const auto& s : corpus.catalogue.services()) add(s);
    boost::json::array services(ids.begin(), ids.end());
    boost::json::object e{{"id", "everything"}, {"name", "Every service"},
                          {"description", "benchmark"}, {"event_date_label", "date"},
                          {"steps", boost::json::array{boost::json::object{
                                        {"title", "All"}, {"logic", "and"}, {"services", services}}}}};
    std::vector<journeys::CatalogueFile> service_files, event_files;
    for (const auto& s : corpus.catalogue.services()) {
      std::ifstream in(s.file);
      std::stringstream ss;
      ss << in.rdbuf();
      service_files.push_back({s.file, ss.str()});
    }
    event_files.push_back({"everything.json", boost::json::serialize(e)});
    std::ifstream vin(DataDir() / "vocabulary.json");
    std::stringstream vs;
    vs << vin.rdbuf();
    auto built = journeys::Catalogue::Build({"vocabulary.json", vs.str()}, service_files, event_files);
    if (!built.ok()) {
      state.SkipWithError(built.status().message().c_str());
      return;
    }
    all = std::move(built).value();
    catalogue = &*all;
    state.counters["services"] = static_cast<double>(ids.size());
  }
  journeys::Planner planner(*catalogue);
  auto facts = ParseJsonObject(R"({"birthdate":"1990-05-17","nationality":"GB","residence_country":"GB",
      "has_job_offer":true,"monthly_salary_sgd":7000,"works_in_financial_services":false,
      "compass_points":50,"married":true,"lived_in_uk":true,"worked_in_uk":true,
      "leaving_uk_for_full_tax_year":true,"in_self_assessment":false})");
  auto date = rules::ParseDate("2027-01-04");
  for (auto _ : state) {
    auto plan = planner.PlanJourney(event, *date, *facts);
    benchmark::DoNotOptimize(plan);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PlanJourney)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
