// `accord rules test FILE` and `accord rules eval RULE DATA` (see docs/rules.md).
#include <boost/json/serialize.hpp>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "app/commands.h"
#include "common/json.h"
#include "rules/conformance.h"
#include "rules/evaluator.h"

namespace accord::app {
namespace {

constexpr JsonLimits kRuleInput{.max_bytes = 4 << 20, .max_depth = 64};

// A JSON text, or @path to read one from a file.
Result<boost::json::value> ReadJsonArg(const std::string& arg) {
  std::string text = arg;
  if (!arg.empty() && arg[0] == '@') {
    std::ifstream in(arg.substr(1), std::ios::binary);
    if (!in) return NotFound("cannot read " + arg.substr(1), "unreadable");
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  return ParseJson(text, kRuleInput);
}

int RunTest(const std::string& file) {
  auto suite = ReadJsonArg("@" + file);
  if (!suite.ok()) {
    std::cerr << file << ": " << suite.status().message() << "\n";
    return 2;
  }
  auto result = rules::RunSuite(*suite);
  if (!result.ok()) {
    std::cerr << file << ": " << result.status().message() << "\n";
    return 2;
  }
  for (const auto& f : result->failures) {
    std::cout << "FAIL " << file << " case at $[" << f.index << "]"
              << (f.section.empty() ? "" : " (" + f.section + ")") << ": " << f.rule << " with data "
              << f.data << ": expected " << f.expected << ", got " << f.actual << "\n";
  }
  std::cout << result->passed << " passed, " << result->failed << " failed\n";
  return result->failed == 0 ? 0 : 1;
}

int RunEval(const std::string& rule_arg, const std::string& data_arg) {
  auto logic = ReadJsonArg(rule_arg);
  if (!logic.ok()) {
    std::cerr << "rule: " << logic.status().message() << "\n";
    return 2;
  }
  auto data = ReadJsonArg(data_arg);
  if (!data.ok()) {
    std::cerr << "data: " << data.status().message() << "\n";
    return 2;
  }
  std::string source = rule_arg.size() > 1 && rule_arg[0] == '@' ? rule_arg.substr(1) : "rule";
  auto rule = rules::Rule::Compile(*logic, source);
  if (!rule.ok()) {
    std::cerr << rule.status().message() << "\n";
    return 1;
  }
  rules::Evaluator evaluator;
  auto out = evaluator.Apply(*rule, *data);
  if (!out.ok()) {
    std::cerr << out.status().message() << "\n";
    return 1;
  }
  std::cout << boost::json::serialize(*out) << "\n";
  return 0;
}

void Register(CLI::App& app) {
  auto* rules = app.add_subcommand("rules", "JsonLogic rules: run test suites, evaluate a rule");
  rules->require_subcommand(1);

  auto* test = rules->add_subcommand("test", "Run a suite in JsonLogic tests.json format");
  auto file = std::make_shared<std::string>();
  test->add_option("FILE", *file, "Suite file: [rule, data, expected] triples and comment strings")
      ->required();
  test->callback([file] { SetCommandAction([file] { return RunTest(*file); }); });

  auto* eval = rules->add_subcommand("eval", "Evaluate RULE against DATA and print the result");
  auto rule = std::make_shared<std::string>();
  auto data = std::make_shared<std::string>();
  eval->add_option("RULE", *rule, "JSON text or @file")->required();
  eval->add_option("DATA", *data, "JSON text or @file")->required();
  eval->callback([rule, data] { SetCommandAction([rule, data] { return RunEval(*rule, *data); }); });
}

const CommandRegistrar kRegistrar("rules", &Register, 60);

}  // namespace
}  // namespace accord::app
