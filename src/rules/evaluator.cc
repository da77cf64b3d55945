#include "rules/evaluator.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "rules/dates.h"
#include "rules/internal/program.h"

namespace accord::rules {
namespace {

using internal::Node;
using internal::Op;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::optional<Value> Step(const Value& cur, std::string_view seg) {
  if (cur.kind() == ValueKind::kObject) return cur.member(seg);
  if (cur.kind() == ValueKind::kArray) {
    if (seg == "length") return Value::Number(cur.array_size());
    if (seg.empty() || seg.size() > 10 || (seg.size() > 1 && seg[0] == '0')) return std::nullopt;
    uint64_t index = 0;
    for (char c : seg) {
      if (c < '0' || c > '9') return std::nullopt;
      index = index * 10 + static_cast<uint64_t>(c - '0');
    }
    if (index >= cur.array_size()) return std::nullopt;
    return cur.array_at(static_cast<uint32_t>(index));
  }
  return std::nullopt;
}

// ECMAScript ToIntegerOrInfinity.
double ToInteger(double d) {
  if (std::isnan(d)) return 0;
  return std::trunc(d);
}

// Byte offset of code point `index` in UTF-8 `s` (s.size() when past the end).
size_t CodePointOffset(std::string_view s, size_t index) {
  size_t i = 0;
  while (i < s.size() && index > 0) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    --index;
  }
  return i;
}

size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// JavaScript String.prototype.substr on code points.
std::string_view JsSubstr(std::string_view s, double start, std::optional<double> length) {
  double size = static_cast<double>(CodePointCount(s));
  double from = ToInteger(start);
  if (from < 0) from = std::max(size + from, 0.0);
  from = std::min(from, size);
  double len = length ? std::clamp(ToInteger(*length), 0.0, size) : size;
  double to = std::min(from + len, size);
  if (to <= from) return {};
  size_t b = CodePointOffset(s, static_cast<size_t>(from));
  size_t e = b + CodePointOffset(s.substr(b), static_cast<size_t>(to - from));
  return s.substr(b, e - b);
}

bool GreaterOrEqual(const Value& a, const Value& b) {
  auto r = LessThan(a, b);
  return r.has_value() && !*r;
}

bool LessOrEqual(const Value& a, const Value& b) {
  auto r = LessThan(b, a);
  return r.has_value() && !*r;
}

bool Less(const Value& a, const Value& b) { return LessThan(a, b).value_or(false); }

std::optional<Date> DateArg(const Value& v) {
  if (!v.is_string()) return std::nullopt;
  return ParseDate(v.string());
}

}  // namespace

std::optional<Value> LookupPath(const Value& data, std::string_view path) {
  Value cur = data;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string_view seg =
        path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (cur.is_null()) return std::nullopt;
    auto next = Step(cur, seg);
    if (!next) return std::nullopt;
    cur = *next;
    if (dot == std::string_view::npos) return cur;
    start = dot + 1;
  }
}

Evaluator::Evaluator(const EvalLimits& limits) : limits_(limits), arena_(limits.max_arena_bytes) {}

Result<Value> Evaluator::Evaluate(const Rule& rule, const boost::json::value& data) {
  return EvaluateNode(rule, rule.program().root, data);
}

Result<Value> Evaluator::EvaluateNode(const Rule& rule, uint32_t node,
                                      const boost::json::value& data) {
  p_ = &rule.program();
  arena_.Reset();
  steps_ = 0;
  failed_ = false;
  if (node >= p_->nodes.size()) return InvalidArgument("no such rule node", "bad_node");
  Value v = Eval(node, Value::FromJson(data));
  if (failed_) return error_;
  return v;
}

Result<boost::json::value> Evaluator::Apply(const Rule& rule, const boost::json::value& data) {
  ACCORD_ASSIGN_OR_RETURN(Value v, Evaluate(rule, data));
  return ToJson(v);
}

Value Evaluator::Fail(Status status) {
  if (!failed_) {
    failed_ = true;
    error_ = std::move(status);
  }
  return Value::Null();
}

Value* Evaluator::NewValues(size_t n) {
  Value* v = arena_.AllocateArray<Value>(n == 0 ? 1 : n);
  if (v == nullptr) {
    Fail(ResourceExhausted("rule evaluation exceeded its memory budget", "rule_budget"));
  }
  return v;
}

Value Evaluator::NewString(std::string_view s) {
  char* buf = static_cast<char*>(arena_.Allocate(s.size(), 1));
  if (buf == nullptr) {
    return Fail(ResourceExhausted("rule evaluation exceeded its memory budget", "rule_budget"));
  }
  if (!s.empty()) std::memcpy(buf, s.data(), s.size());
  return Value::String(std::string_view(buf, s.size()));
}

const Value* Evaluator::EvalChildren(uint32_t node, const Value& data) {
  const Node& n = p_->nodes[node];
  Value* out = NewValues(n.child_count);
  if (out == nullptr) return nullptr;
  for (uint32_t i = 0; i < n.child_count; ++i) {
    out[i] = Eval(p_->child(n, i), data);
    if (failed_) return nullptr;
  }
  return out;
}

Value Evaluator::Eval(uint32_t node, const Value& data) {
  if (failed_) return Value::Null();
  if (++steps_ > limits_.max_steps) {
    return Fail(ResourceExhausted(
        "rule evaluation exceeded its step budget (" + std::to_string(limits_.max_steps) + ")",
        "rule_budget"));
  }
  const Node& n = p_->nodes[node];
  switch (n.op) {
    case Op::kLiteral:
      return n.literal;
    case Op::kArray: {
      const Value* items = EvalChildren(node, data);
      return items ? Value::Array(items, n.child_count) : Value::Null();
    }
    case Op::kVarStatic: {
      if (n.whole_data) return data;
      Value cur = data;
      bool found = true;
      for (uint32_t i = 0; i < n.path_count; ++i) {
        std::optional<Value> next;
        if (!cur.is_null()) next = Step(cur, p_->segment(n.path_begin + i));
        if (!next) {
          found = false;
          break;
        }
        cur = *next;
      }
      if (found) return cur;
      return n.child_count > 0 ? Eval(p_->child(n, 0), data) : Value::Null();
    }
    case Op::kVar: {
      const Value* a = EvalChildren(node, data);
      if (a == nullptr) return Value::Null();
      if (a[0].is_null() || (a[0].is_string() && a[0].string().empty())) return data;
      scratch_.clear();
      AppendString(a[0], &scratch_);
      auto found = LookupPath(data, scratch_);
      if (found) return *found;
      return n.child_count > 1 ? a[1] : Value::Null();
    }
    case Op::kMissing: {
      const Value* a = EvalChildren(node, data);
      if (a == nullptr) return Value::Null();
      if (n.child_count > 0 && a[0].is_array()) return Missing(a[0], data);
      return Missing(Value::Array(a, n.child_count), data);
    }
    case Op::kMissingSome: {
      const Value* a = EvalChildren(node, data);
      if (a == nullptr) return Value::Null();
      bool options_array = a[1].is_array();
      Value missing = Missing(options_array ? a[1] : Value::Array(&a[1], 1), data);
      if (failed_) return Value::Null();
      if (options_array) {
        double present = static_cast<double>(a[1].array_size()) - missing.array_size();
        if (GreaterOrEqual(Value::Number(present), a[0])) return Value::Array(nullptr, 0);
      }
      return missing;
    }
    case Op::kIf: {
      uint32_t i = 0;
      for (; i + 1 < n.child_count; i += 2) {
        if (Truthy(Eval(p_->child(n, i), data))) return Eval(p_->child(n, i + 1), data);
      }
      if (i + 1 == n.child_count) return Eval(p_->child(n, i), data);
      return Value::Null();
    }
    case Op::kAnd:
    case Op::kOr: {
      Value current;
      bool want = n.op == Op::kOr;
      for (uint32_t i = 0; i < n.child_count; ++i) {
        current = Eval(p_->child(n, i), data);
        if (Truthy(current) == want) return current;
      }
      return current;
    }
    case Op::kNot:
      return Value::Bool(!Truthy(Eval(p_->child(n, 0), data)));
    case Op::kNotNot:
      return Value::Bool(Truthy(Eval(p_->child(n, 0), data)));
    case Op::kEq: case Op::kStrictEq: case Op::kNe: case Op::kStrictNe:
    case Op::kGt: case Op::kGe: case Op::kLt: case Op::kLe: case Op::kIn:
      return EvalBinary(node, data);
    case Op::kMod: case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv:
    case Op::kMin: case Op::kMax:
      return EvalArithmetic(node, data);
    case Op::kLog:
      // Deliberately silent: rule data may be personal data and must not reach a log.
      return Eval(p_->child(n, 0), data);
    case Op::kCat: case Op::kSubstr: case Op::kMerge: {
      const Value* a = EvalChildren(node, data);
      if (a == nullptr) return Value::Null();
      if (n.op == Op::kCat) return Cat(a, n.child_count);
      if (n.op == Op::kSubstr) return Substr(a, n.child_count);
      return Merge(a, n.child_count);
    }
    case Op::kMap: case Op::kFilter: case Op::kReduce: case Op::kAll: case Op::kNone:
    case Op::kSome:
      return EvalIteration(node, data);
    case Op::kAgeOn: case Op::kDaysBetween: case Op::kDateAdd:
      return EvalDate(node, data);
  }
  return Value::Null();
}

Value Evaluator::EvalBinary(uint32_t node, const Value& data) {
  const Node& n = p_->nodes[node];
  Value a = Eval(p_->child(n, 0), data);
  Value b = Eval(p_->child(n, 1), data);
  switch (n.op) {
    case Op::kEq: return Value::Bool(LooseEquals(a, b));
    case Op::kStrictEq: return Value::Bool(StrictEquals(a, b));
    case Op::kNe: return Value::Bool(!LooseEquals(a, b));
    case Op::kStrictNe: return Value::Bool(!StrictEquals(a, b));
    case Op::kGt: return Value::Bool(Less(b, a));
    case Op::kGe: return Value::Bool(GreaterOrEqual(a, b));
    case Op::kLt:
    case Op::kLe: {
      auto cmp = n.op == Op::kLt ? Less : LessOrEqual;
      if (n.child_count == 2) return Value::Bool(cmp(a, b));
      Value c = Eval(p_->child(n, 2), data);
      return Value::Bool(cmp(a, b) && cmp(b, c));
    }
    case Op::kIn: {
      if (b.is_string()) {
        scratch_.clear();
        AppendString(a, &scratch_);
        return Value::Bool(b.string().find(scratch_) != std::string_view::npos);
      }
      if (b.is_array()) {
        for (uint32_t i = 0; i < b.array_size(); ++i) {
          if (StrictEquals(b.array_at(i), a)) return Value::Bool(true);
        }
      }
      return Value::Bool(false);
    }
    default: return Value::Null();
  }
}

Value Evaluator::EvalArithmetic(uint32_t node, const Value& data) {
  const Node& n = p_->nodes[node];
  const Value* a = EvalChildren(node, data);
  if (a == nullptr) return Value::Null();
  switch (n.op) {
    case Op::kMod: return Value::Number(std::fmod(ToNumber(a[0]), ToNumber(a[1])));
    case Op::kDiv: return Value::Number(ToNumber(a[0]) / ToNumber(a[1]));
    case Op::kSub:
      if (n.child_count == 1) return Value::Number(-ToNumber(a[0]));
      return Value::Number(ToNumber(a[0]) - ToNumber(a[1]));
    case Op::kAdd: {
      double sum = 0;
      for (uint32_t i = 0; i < n.child_count; ++i) sum += ParseFloat(a[i]);
      return Value::Number(sum);
    }
    case Op::kMul: {
      if (n.child_count == 1) return a[0];  // Array.prototype.reduce with one element
      double product = ParseFloat(a[0]);
      for (uint32_t i = 1; i < n.child_count; ++i) product *= ParseFloat(a[i]);
      return Value::Number(product);
    }
    case Op::kMin:
    case Op::kMax: {
      double best = ToNumber(a[0]);
      for (uint32_t i = 1; i < n.child_count && !std::isnan(best); ++i) {
        double x = ToNumber(a[i]);
        if (std::isnan(x)) best = kNaN;
        else best = n.op == Op::kMin ? std::min(best, x) : std::max(best, x);
      }
      return Value::Number(best);
    }
    default: return Value::Null();
  }
}

Value Evaluator::EvalIteration(uint32_t node, const Value& data) {
  const Node& n = p_->nodes[node];
  Value items = Eval(p_->child(n, 0), data);
  uint32_t logic = p_->child(n, 1);
  if (failed_) return Value::Null();
  if (n.op == Op::kReduce) {
    Value acc = n.child_count > 2 ? Eval(p_->child(n, 2), data) : Value::Null();
    if (!items.is_array()) return acc;
    for (uint32_t i = 0; i < items.array_size() && !failed_; ++i) {
      Value* scope = NewValues(2);
      if (scope == nullptr) return Value::Null();
      scope[0] = items.array_at(i);
      scope[1] = acc;
      acc = Eval(logic, Value::ReduceScope(scope));
    }
    return failed_ ? Value::Null() : acc;
  }
  if (!items.is_array()) {
    if (n.op == Op::kMap || n.op == Op::kFilter) return Value::Array(nullptr, 0);
    return Value::Bool(n.op == Op::kNone);
  }
  uint32_t size = items.array_size();
  if (n.op == Op::kMap || n.op == Op::kFilter) {
    Value* out = NewValues(size);
    if (out == nullptr) return Value::Null();
    uint32_t count = 0;
    for (uint32_t i = 0; i < size && !failed_; ++i) {
      Value item = items.array_at(i);
      Value r = Eval(logic, item);
      if (n.op == Op::kMap) out[count++] = r;
      else if (Truthy(r)) out[count++] = item;
    }
    return failed_ ? Value::Null() : Value::Array(out, count);
  }
  if (size == 0) return Value::Bool(n.op == Op::kNone);
  for (uint32_t i = 0; i < size && !failed_; ++i) {
    bool t = Truthy(Eval(logic, items.array_at(i)));
    if (n.op == Op::kAll && !t) return Value::Bool(false);
    if (n.op == Op::kNone && t) return Value::Bool(false);
    if (n.op == Op::kSome && t) return Value::Bool(true);
  }
  return Value::Bool(n.op != Op::kSome);
}

Value Evaluator::EvalDate(uint32_t node, const Value& data) {
  const Node& n = p_->nodes[node];
  Value a = Eval(p_->child(n, 0), data);
  Value b = Eval(p_->child(n, 1), data);
  auto first = DateArg(a);
  if (!first) return Value::Null();
  if (n.op == Op::kDateAdd) {
    double days = ToNumber(b);
    if (!std::isfinite(days) || days != std::trunc(days) || std::fabs(days) > 1e7) return Value::Null();
    auto r = AddDays(*first, static_cast<int64_t>(days));
    return r ? NewString(FormatDate(*r)) : Value::Null();
  }
  auto second = DateArg(b);
  if (!second) return Value::Null();
  if (n.op == Op::kDaysBetween) {
    return Value::Number(static_cast<double>(DaysBetween(*first, *second)));
  }
  auto age = AgeOn(*first, *second);
  return age ? Value::Number(*age) : Value::Null();
}

Value Evaluator::Missing(const Value& keys, const Value& data) {
  uint32_t size = keys.array_size();
  Value* out = NewValues(size);
  if (out == nullptr) return Value::Null();
  uint32_t count = 0;
  for (uint32_t i = 0; i < size; ++i) {
    Value key = keys.array_at(i);
    Value found = data;
    if (!(key.is_null() || (key.is_string() && key.string().empty()))) {
      scratch_.clear();
      AppendString(key, &scratch_);
      found = LookupPath(data, scratch_).value_or(Value::Null());
    }
    if (found.is_null() || (found.is_string() && found.string().empty())) out[count++] = key;
  }
  return Value::Array(out, count);
}

Value Evaluator::Cat(const Value* args, uint32_t n) {
  scratch_.clear();
  for (uint32_t i = 0; i < n; ++i) {
    if (!args[i].is_null()) AppendString(args[i], &scratch_);
    if (scratch_.size() > limits_.max_arena_bytes) break;
  }
  return NewString(scratch_);
}

Value Evaluator::Substr(const Value* args, uint32_t n) {
  scratch_.clear();
  AppendString(args[0], &scratch_);
  double start = ToNumber(args[1]);
  std::string_view r;
  if (n > 2 && Less(args[2], Value::Number(0))) {
    std::string_view temp = JsSubstr(scratch_, start, std::nullopt);
    double keep = static_cast<double>(CodePointCount(temp)) + ToNumber(args[2]);
    r = JsSubstr(temp, 0, keep);
  } else {
    std::optional<double> len;
    if (n > 2) len = ToNumber(args[2]);
    r = JsSubstr(scratch_, start, len);
  }
  return NewString(r);
}

Value Evaluator::Merge(const Value* args, uint32_t n) {
  size_t total = 0;
  for (uint32_t i = 0; i < n; ++i) total += args[i].is_array() ? args[i].array_size() : 1;
  Value* out = NewValues(total);
  if (out == nullptr) return Value::Null();
  size_t k = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (args[i].is_array()) {
      for (uint32_t j = 0; j < args[i].array_size(); ++j) out[k++] = args[i].array_at(j);
    } else {
      out[k++] = args[i];
    }
  }
  return Value::Array(out, static_cast<uint32_t>(k));
}

Result<boost::json::value> Apply(const boost::json::value& logic, const boost::json::value& data) {
  ACCORD_ASSIGN_OR_RETURN(Rule rule, Rule::Compile(logic));
  Evaluator evaluator;
  return evaluator.Apply(rule, data);
}

}  // namespace accord::rules
