// Explain: which condition of a rule decided its outcome, and whether missing data could change it.
//
// Explanations descend through `and` / `or` (the way eligibility rules are written): a false `and`
// is explained by its first false condition (preferring one that reads no missing variable), a true
// `or` by its first true one; any other node is explained as a whole. The outcome is `decided`
// when the deciding condition reads none of the missing variables, so "not eligible because
// nationality != GB" can be told apart from "we need your salary first".
//
// Thread safety: pure functions over the rule; the Evaluator passed in is used (and reset).
#ifndef ACCORD_RULES_EXPLAIN_H_
#define ACCORD_RULES_EXPLAIN_H_

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "rules/evaluator.h"
#include "rules/rule.h"

namespace accord::rules {

struct Explanation {
  bool truthy = false;    // the outcome (JsonLogic truthiness of the rule's result)
  bool decided = false;   // the deciding condition reads no missing variable
  uint32_t node = 0;      // the deciding node in the compiled tree
  std::string condition;  // human-readable form of the deciding node, e.g. "monthly_salary_sgd >= 5600"
  std::string json_path;  // where it is written, e.g. "$.eligibility.and[1]"
  // When undecided: the missing variables (as a MissingMask subset) whose values could change the
  // outcome, i.e. those read by the undecided conditions. Ask for exactly these.
  uint64_t pending = 0;
};

// Bit i is set when rule.variables()[i] is missing from `data` (JsonLogic `missing`: absent, null
// or "").
uint64_t MissingMask(const Rule& rule, const boost::json::value& data);
// The names of the variables in `mask`, in rule order.
std::vector<std::string> MaskNames(const Rule& rule, uint64_t mask);

Result<Explanation> Explain(const Rule& rule, const boost::json::value& data, uint64_t missing_mask,
                            Evaluator& evaluator);

}  // namespace accord::rules

#endif  // ACCORD_RULES_EXPLAIN_H_
