#include <array>

#include "rules/internal/program.h"

namespace accord::rules::internal {
namespace {

constexpr std::array kOperators = {
    OperatorInfo{"var", Op::kVar, 0, 2, ""},
    OperatorInfo{"missing", Op::kMissing, 0, kAnyCount, ""},
    OperatorInfo{"missing_some", Op::kMissingSome, 2, 2, ""},
    OperatorInfo{"if", Op::kIf, 0, kAnyCount, ""},
    OperatorInfo{"?:", Op::kIf, 3, 3, ""},
    OperatorInfo{"and", Op::kAnd, 1, kAnyCount, " and "},
    OperatorInfo{"or", Op::kOr, 1, kAnyCount, " or "},
    OperatorInfo{"!", Op::kNot, 1, 1, ""},
    OperatorInfo{"!!", Op::kNotNot, 1, 1, ""},
    OperatorInfo{"==", Op::kEq, 2, 2, " == "},
    OperatorInfo{"===", Op::kStrictEq, 2, 2, " === "},
    OperatorInfo{"!=", Op::kNe, 2, 2, " != "},
    OperatorInfo{"!==", Op::kStrictNe, 2, 2, " !== "},
    OperatorInfo{">", Op::kGt, 2, 2, " > "},
    OperatorInfo{">=", Op::kGe, 2, 2, " >= "},
    OperatorInfo{"<", Op::kLt, 2, 3, " < "},
    OperatorInfo{"<=", Op::kLe, 2, 3, " <= "},
    OperatorInfo{"%", Op::kMod, 2, 2, " % "},
    OperatorInfo{"+", Op::kAdd, 0, kAnyCount, " + "},
    OperatorInfo{"-", Op::kSub, 1, 2, " - "},
    OperatorInfo{"*", Op::kMul, 1, kAnyCount, " * "},
    OperatorInfo{"/", Op::kDiv, 2, 2, " / "},
    OperatorInfo{"min", Op::kMin, 1, kAnyCount, ""},
    OperatorInfo{"max", Op::kMax, 1, kAnyCount, ""},
    OperatorInfo{"log", Op::kLog, 1, 1, ""},
    OperatorInfo{"in", Op::kIn, 2, 2, " in "},
    OperatorInfo{"cat", Op::kCat, 0, kAnyCount, ""},
    OperatorInfo{"substr", Op::kSubstr, 2, 3, ""},
    OperatorInfo{"merge", Op::kMerge, 0, kAnyCount, ""},
    OperatorInfo{"map", Op::kMap, 2, 2, ""},
    OperatorInfo{"filter", Op::kFilter, 2, 2, ""},
    OperatorInfo{"reduce", Op::kReduce, 2, 3, ""},
    OperatorInfo{"all", Op::kAll, 2, 2, ""},
    OperatorInfo{"none", Op::kNone, 2, 2, ""},
    OperatorInfo{"some", Op::kSome, 2, 2, ""},
    OperatorInfo{"age_on", Op::kAgeOn, 2, 2, ""},
    OperatorInfo{"days_between", Op::kDaysBetween, 2, 2, ""},
    OperatorInfo{"date_add", Op::kDateAdd, 2, 2, ""},
};

constexpr OperatorInfo kLiteralInfo{"literal", Op::kLiteral, 0, 0, ""};
constexpr OperatorInfo kArrayInfo{"array", Op::kArray, 0, kAnyCount, ""};

}  // namespace

const OperatorInfo* FindOperator(std::string_view name) {
  for (const OperatorInfo& info : kOperators) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

const OperatorInfo& InfoFor(Op op) {
  if (op == Op::kLiteral || op == Op::kVarStatic) return op == Op::kLiteral ? kLiteralInfo : kOperators[0];
  if (op == Op::kArray) return kArrayInfo;
  for (const OperatorInfo& info : kOperators) {
    if (info.op == op) return info;
  }
  return kLiteralInfo;
}

}  // namespace accord::rules::internal
