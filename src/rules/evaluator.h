// Evaluator: runs compiled Rules against data with JsonLogic semantics (json-logic-js 2.0.5).
//
// Each evaluation is bounded: at most `max_steps` node visits (so map/filter/reduce over huge
// arrays, or hostile nesting, ends with a clean kResourceExhausted "rule_budget" error) and at most
// `max_arena_bytes` of temporaries. Recursion depth is bounded by the rule's compiled depth
// (CompileLimits::max_depth), never by the data.
//
// Lifetime: a Value returned by Evaluate points into the rule, the data and this Evaluator's arena;
// it is valid until the next call on this Evaluator and while the rule and the data live. Use
// Apply (or ToJson) to get an owned copy.
//
// Thread safety: an Evaluator is single-threaded and reusable (its arena is kept between calls, so
// a warmed-up Evaluator does not allocate); use one per thread. Rules may be shared.
#ifndef ACCORD_RULES_EVALUATOR_H_
#define ACCORD_RULES_EVALUATOR_H_

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "rules/arena.h"
#include "rules/rule.h"
#include "rules/value.h"

namespace accord::rules {

struct EvalLimits {
  uint64_t max_steps = 100'000;
  size_t max_arena_bytes = size_t{4} << 20;  // 4 MiB
};

class Evaluator {
 public:
  explicit Evaluator(const EvalLimits& limits = {});

  Result<Value> Evaluate(const Rule& rule, const boost::json::value& data);
  // Evaluates one node of the rule's compiled tree (used by Explain); `node` < node_count().
  Result<Value> EvaluateNode(const Rule& rule, uint32_t node, const boost::json::value& data);
  // Evaluate and copy the result to JSON.
  Result<boost::json::value> Apply(const Rule& rule, const boost::json::value& data);

 private:
  Value Eval(uint32_t node, const Value& data);
  Value EvalBinary(uint32_t node, const Value& data);
  Value EvalArithmetic(uint32_t node, const Value& data);
  Value EvalIteration(uint32_t node, const Value& data);
  Value EvalDate(uint32_t node, const Value& data);
  Value Missing(const Value& keys, const Value& data);
  Value Substr(const Value* args, uint32_t n);
  Value Cat(const Value* args, uint32_t n);
  Value Merge(const Value* args, uint32_t n);
  // Evaluates the children of `node` into an arena array (nullptr on failure).
  const Value* EvalChildren(uint32_t node, const Value& data);
  Value* NewValues(size_t n);
  Value NewString(std::string_view s);
  Value Fail(Status status);

  EvalLimits limits_;
  Arena arena_;
  const internal::Program* p_ = nullptr;
  uint64_t steps_ = 0;
  bool failed_ = false;
  Status error_;
  std::string scratch_;
};

// Looks up a dotted path (JsonLogic `var` semantics) in `data`; nullopt when absent. Array members
// are addressed by decimal index; "length" of an array is its size.
std::optional<Value> LookupPath(const Value& data, std::string_view dotted_path);

// Compiles and evaluates in one go (for the CLI and tests); limits are the defaults.
Result<boost::json::value> Apply(const boost::json::value& logic, const boost::json::value& data);

}  // namespace accord::rules

#endif  // ACCORD_RULES_EVALUATOR_H_
