#include "rules/explain.h"

#include <optional>

#include "rules/internal/program.h"

namespace accord::rules {
namespace {

using internal::Node;
using internal::Op;

struct Partial {
  bool truthy;
  bool decided;
  uint32_t node;
  uint64_t pending;  // missing variables that could change the outcome
};

Result<Partial> ExplainNode(const Rule& rule, uint32_t node, const boost::json::value& data,
                            uint64_t missing, Evaluator& ev) {
  const internal::Program& p = rule.program();
  const Node& n = p.nodes[node];
  if (n.op != Op::kAnd && n.op != Op::kOr) {
    ACCORD_ASSIGN_OR_RETURN(Value v, ev.EvaluateNode(rule, node, data));
    uint64_t pending = n.var_mask & missing;
    return Partial{Truthy(v), pending == 0, node, pending};
  }
  // `and` looks for a false child, `or` for a true one; a decided one settles the outcome.
  bool wanted = n.op == Op::kOr;
  std::optional<Partial> first_hit;
  uint64_t pending = 0;
  for (uint32_t i = 0; i < n.child_count; ++i) {
    ACCORD_ASSIGN_OR_RETURN(Partial c, ExplainNode(rule, p.child(n, i), data, missing, ev));
    pending |= c.pending;
    if (c.truthy == wanted) {
      if (c.decided) return c;
      if (!first_hit) first_hit = c;
    }
  }
  if (first_hit) return Partial{wanted, false, first_hit->node, pending};
  return Partial{!wanted, pending == 0, node, pending};
}

}  // namespace

uint64_t MissingMask(const Rule& rule, const boost::json::value& data) {
  uint64_t mask = 0;
  Value root = Value::FromJson(data);
  const auto& vars = rule.variables();
  for (size_t i = 0; i < vars.size(); ++i) {
    auto v = LookupPath(root, vars[i]);
    if (!v || v->is_null() || (v->is_string() && v->string().empty())) mask |= uint64_t{1} << i;
  }
  return mask;
}

std::vector<std::string> MaskNames(const Rule& rule, uint64_t mask) {
  std::vector<std::string> out;
  const auto& vars = rule.variables();
  for (size_t i = 0; i < vars.size(); ++i) {
    if (mask & (uint64_t{1} << i)) out.push_back(vars[i]);
  }
  return out;
}

Result<Explanation> Explain(const Rule& rule, const boost::json::value& data, uint64_t missing_mask,
                            Evaluator& evaluator) {
  ACCORD_ASSIGN_OR_RETURN(Partial p, ExplainNode(rule, rule.program().root, data, missing_mask, evaluator));
  Explanation e;
  e.truthy = p.truthy;
  e.decided = p.decided;
  e.node = p.node;
  e.pending = p.pending;
  e.condition = rule.program().descriptions[p.node];
  e.json_path = rule.program().json_paths[p.node];
  return e;
}

}  // namespace accord::rules
