// Rule: a JsonLogic rule compiled once into an immutable internal tree (rules are data).
//
// Compile validates the whole rule up front: unknown operators, wrong arity, malformed date
// literals, and the size bounds below are reported as errors that name the source (usually a file)
// and the JSON path of the offending node, e.g.
//   data/services/sg-employment-pass.json: $.eligibility.and[1]: unknown operator "<<"
// Objects with exactly one key are operations (as in json-logic-js); objects with zero or several
// keys are constants. The rule language and limits are documented in docs/rules.md.
//
// Lifetime and thread safety: a Rule shares its compiled program by reference count; copies are
// cheap and the program is immutable, so one Rule may be evaluated concurrently by many
// Evaluators (one per thread).
#ifndef ACCORD_RULES_RULE_H_
#define ACCORD_RULES_RULE_H_

#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace accord::rules {

namespace internal {
struct Program;
}

struct CompileLimits {
  uint32_t max_depth = 64;       // nesting of operations and arrays
  uint32_t max_nodes = 10'000;   // nodes in the compiled tree
  uint32_t max_variables = 64;   // distinct required variables (the explainer tracks them as bits)
};

class Rule {
 public:
  // The constant rule `null` (falsy): a placeholder until a compiled rule is assigned.
  Rule();

  // `source` names where the rule came from and `base_path` where it sits in that file (a JSON
  // path such as "$.eligibility"); both appear in error messages only.
  static Result<Rule> Compile(const boost::json::value& logic, std::string_view source = "rule",
                              std::string_view base_path = "$", const CompileLimits& limits = {});

  // Variables the rule reads from the data at top level without a default (dotted paths, in order
  // of first appearance). Variables inside map/filter/reduce/all/none/some item logic are not
  // included (they name item fields).
  const std::vector<std::string>& variables() const;
  size_t node_count() const;
  // The rule as written.
  const boost::json::value& source() const;

  const internal::Program& program() const { return *program_; }

 private:
  explicit Rule(std::shared_ptr<const internal::Program> p) : program_(std::move(p)) {}
  std::shared_ptr<const internal::Program> program_;
};

}  // namespace accord::rules

#endif  // ACCORD_RULES_RULE_H_
