// Internal: the compiled form of a rule (a flat tree of nodes) shared by Rule, Evaluator and
// Explain. Built once by Rule::Compile and immutable afterwards, so one Program may be evaluated
// from many threads at once (each with its own Evaluator).
#ifndef ACCORD_RULES_INTERNAL_PROGRAM_H_
#define ACCORD_RULES_INTERNAL_PROGRAM_H_

#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rules/value.h"

namespace accord::rules::internal {

enum class Op : uint8_t {
  kLiteral,       // a constant (scalar, constant array, or pass-through object)
  kArray,         // an array whose members are evaluated
  kVarStatic,     // var with a literal path; children: [default]
  kVar,           // var with a computed path; children: [path, default]
  kMissing, kMissingSome,
  kIf, kAnd, kOr, kNot, kNotNot,
  kEq, kStrictEq, kNe, kStrictNe, kGt, kGe, kLt, kLe,
  kMod, kAdd, kSub, kMul, kDiv, kMin, kMax,
  kLog, kIn, kCat, kSubstr, kMerge,
  kMap, kFilter, kReduce, kAll, kNone, kSome,
  kAgeOn, kDaysBetween, kDateAdd,
};

struct OperatorInfo {
  std::string_view name;
  Op op;
  uint32_t min_args;
  uint32_t max_args;
  std::string_view infix;  // non-empty: described as "a <infix> b"
};

constexpr uint32_t kAnyCount = 0xffffffff;

// The operator table (JsonLogic operators plus age_on, days_between, date_add); nullptr if unknown.
const OperatorInfo* FindOperator(std::string_view name);
const OperatorInfo& InfoFor(Op op);

struct PathSegment {
  uint32_t offset;  // into Program::path_text
  uint32_t length;
};

struct Node {
  Op op = Op::kLiteral;
  bool in_scope = false;      // inside the per-item logic of map/filter/reduce/all/none/some
  uint32_t first_child = 0;   // into Program::children
  uint32_t child_count = 0;
  uint32_t path_begin = 0;    // kVarStatic: segments [path_begin, path_begin + path_count)
  uint32_t path_count = 0;
  bool whole_data = false;    // kVarStatic with "" / null path: the data itself
  uint64_t var_mask = 0;      // rule variables (bit i = variables[i]) read in this subtree
  Value literal;
};

struct Program {
  boost::json::value source;  // the rule as written; literal strings and objects point into it
  std::vector<Node> nodes;
  std::vector<uint32_t> children;
  std::vector<PathSegment> segments;
  std::string path_text;
  std::vector<std::unique_ptr<Value[]>> constant_arrays;
  std::vector<std::string> variables;    // required top-scope var paths, in order of appearance
  std::vector<std::string> json_paths;   // per node: "$.eligibility.and[1]"
  std::vector<std::string> descriptions; // per node: "monthly_salary_sgd >= 5600"
  std::string source_name;
  uint32_t root = 0;

  uint32_t child(const Node& n, uint32_t i) const { return children[n.first_child + i]; }
  std::string_view segment(uint32_t i) const {
    return std::string_view(path_text).substr(segments[i].offset, segments[i].length);
  }
};

}  // namespace accord::rules::internal

#endif  // ACCORD_RULES_INTERNAL_PROGRAM_H_
