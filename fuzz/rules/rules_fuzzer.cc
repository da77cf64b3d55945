// Fuzz target: rule parsing, compilation and evaluation. Input: a JSON text; if it is an array
// [rule, data] the rule is evaluated against the data, otherwise the whole text is the rule and is
// evaluated against a fixed person. Every input must end in a value or a clean error (no crash, no
// hang: the step and memory budgets bound the work), and explanations must not crash either.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/json.h"
#include "rules/evaluator.h"
#include "rules/explain.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  using namespace accord;
  std::string_view text(reinterpret_cast<const char*>(bytes), size);
  auto parsed = ParseJson(text, JsonLimits{.max_bytes = 64 * 1024, .max_depth = 80});
  if (!parsed.ok()) return 0;
  static const boost::json::value kPerson = *ParseJson(
      R"({"birthdate":"1990-02-28","nationality":"GB","monthly_salary_sgd":6000,"xs":[1,2,3,"4",null],
          "event_date":"2027-01-04","a":{"b":[{"c":1}]}})");
  const boost::json::value* rule_json = &*parsed;
  const boost::json::value* data = &kPerson;
  if (parsed->is_array() && parsed->get_array().size() == 2) {
    rule_json = &parsed->get_array()[0];
    data = &parsed->get_array()[1];
  }
  auto rule = rules::Rule::Compile(*rule_json, "fuzz");
  if (!rule.ok()) return 0;
  rules::Evaluator evaluator(rules::EvalLimits{.max_steps = 20'000, .max_arena_bytes = 1 << 20});
  auto out = evaluator.Apply(*rule, *data);
  (void)out;
  auto explained = rules::Explain(*rule, *data, rules::MissingMask(*rule, *data), evaluator);
  (void)explained;
  return 0;
}
