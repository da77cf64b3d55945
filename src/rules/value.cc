#include "rules/value.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace accord::rules {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool IsJsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsJsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsJsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the longest StrDecimalLiteral prefix of `s` (sign, digits, fraction, exponent), or 0.
size_t DecimalPrefix(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    size_t j = i + 1, frac = 0;
    while (j < s.size() && IsDigit(s[j])) ++j, ++frac;
    if (digits + frac > 0) i = j, digits += frac;
  }
  if (digits == 0) return 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    size_t exp = 0;
    while (j < s.size() && IsDigit(s[j])) ++j, ++exp;
    if (exp > 0) i = j;
  }
  return i;
}

double ParseDecimal(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  double d = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec == std::errc::result_out_of_range) {
    // Overflow to infinity, underflow to zero, as JavaScript does.
    size_t e = s.find_first_of("eE");
    bool tiny = e != std::string_view::npos && e + 1 < s.size() && s[e + 1] == '-';
    d = tiny ? 0.0 : kInf;
  } else if (ec != std::errc() || ptr != s.data() + s.size()) {
    return kNaN;
  }
  return negative ? -d : d;
}

double ParseRadix(std::string_view digits, int radix) {
  if (digits.empty()) return kNaN;
  double d = 0;
  for (char c : digits) {
    int v;
    if (IsDigit(c)) v = c - '0';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z') v = c - 'A' + 10;
    else return kNaN;
    if (v >= radix) return kNaN;
    d = d * radix + v;
  }
  return d;
}

double InfinityLiteral(std::string_view s, bool allow_trailing) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  constexpr std::string_view kInfinity = "Infinity";
  if (s.substr(0, kInfinity.size()) == kInfinity && (allow_trailing || s.size() == kInfinity.size())) {
    return negative ? -kInf : kInf;
  }
  return kNaN;
}

int CompareCodePoints(std::string_view a, std::string_view b) {
  // UTF-8 byte order is code point order.
  int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

bool IsPrimitiveForEquality(const Value& v) {
  return v.kind() == ValueKind::kNumber || v.kind() == ValueKind::kString ||
         v.kind() == ValueKind::kBool;
}

}  // namespace

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = ValueKind::kBool;
  v.num_ = 0;
  v.b_ = b;
  return v;
}

Value Value::Number(double d) {
  Value v;
  v.kind_ = ValueKind::kNumber;
  v.num_ = d;
  return v;
}

Value Value::String(std::string_view s) {
  Value v;
  v.kind_ = ValueKind::kString;
  v.size_ = static_cast<uint32_t>(s.size());
  v.str_ = s.data();
  return v;
}

Value Value::Array(const Value* items, uint32_t n) {
  Value v;
  v.kind_ = ValueKind::kArray;
  v.size_ = n;
  v.ptr_ = items;
  return v;
}

Value Value::JsonArray(const boost::json::array* a) {
  Value v;
  v.kind_ = ValueKind::kArray;
  v.repr_ = Repr::kJson;
  v.size_ = static_cast<uint32_t>(a->size());
  v.ptr_ = a;
  return v;
}

Value Value::JsonObject(const boost::json::object* o) {
  Value v;
  v.kind_ = ValueKind::kObject;
  v.repr_ = Repr::kJson;
  v.size_ = static_cast<uint32_t>(o->size());
  v.ptr_ = o;
  return v;
}

Value Value::ReduceScope(const Value* items) {
  Value v;
  v.kind_ = ValueKind::kObject;
  v.repr_ = Repr::kScope;
  v.size_ = 2;
  v.ptr_ = items;
  return v;
}

Value Value::FromJson(const boost::json::value& j) {
  switch (j.kind()) {
    case boost::json::kind::null: return Null();
    case boost::json::kind::bool_: return Bool(j.get_bool());
    case boost::json::kind::int64: return Number(static_cast<double>(j.get_int64()));
    case boost::json::kind::uint64: return Number(static_cast<double>(j.get_uint64()));
    case boost::json::kind::double_: return Number(j.get_double());
    case boost::json::kind::string: {
      const auto& s = j.get_string();
      return String(std::string_view(s.data(), s.size()));
    }
    case boost::json::kind::array: return JsonArray(&j.get_array());
    case boost::json::kind::object: return JsonObject(&j.get_object());
  }
  return Null();
}

Value Value::array_at(uint32_t i) const {
  if (repr_ == Repr::kJson) return FromJson((*static_cast<const boost::json::array*>(ptr_))[i]);
  return static_cast<const Value*>(ptr_)[i];
}

std::optional<Value> Value::member(std::string_view name) const {
  if (kind_ != ValueKind::kObject) return std::nullopt;
  if (repr_ == Repr::kScope) {
    const Value* items = static_cast<const Value*>(ptr_);
    if (name == "current") return items[0];
    if (name == "accumulator") return items[1];
    return std::nullopt;
  }
  const auto* obj = static_cast<const boost::json::object*>(ptr_);
  auto it = obj->find(boost::json::string_view(name.data(), name.size()));
  if (it == obj->end()) return std::nullopt;
  return FromJson(it->value());
}

bool Truthy(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kNull: return false;
    case ValueKind::kBool: return v.boolean();
    case ValueKind::kNumber: return v.number() != 0 && !std::isnan(v.number());
    case ValueKind::kString: return !v.string().empty();
    case ValueKind::kArray: return v.array_size() != 0;
    case ValueKind::kObject: return true;
  }
  return false;
}

double StringToNumber(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return 0;
  if (s.size() > 2 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') return ParseRadix(s.substr(2), 16);
    if (p == 'o' || p == 'O') return ParseRadix(s.substr(2), 8);
    if (p == 'b' || p == 'B') return ParseRadix(s.substr(2), 2);
  }
  double inf = InfinityLiteral(s, false);
  if (!std::isnan(inf)) return inf;
  if (DecimalPrefix(s) != s.size()) return kNaN;
  return ParseDecimal(s);
}

double ToNumber(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kNull: return 0;
    case ValueKind::kBool: return v.boolean() ? 1 : 0;
    case ValueKind::kNumber: return v.number();
    case ValueKind::kString: return StringToNumber(v.string());
    case ValueKind::kArray:
      if (v.array_size() == 0) return 0;
      return StringToNumber(ToJsString(v));
    case ValueKind::kObject: return kNaN;
  }
  return kNaN;
}

double ParseFloat(const Value& v) {
  if (v.kind() == ValueKind::kNumber) return v.number();
  std::string text;
  std::string_view s;
  if (v.kind() == ValueKind::kString) {
    s = v.string();
  } else {
    AppendString(v, &text);
    s = text;
  }
  while (!s.empty() && IsJsSpace(s.front())) s.remove_prefix(1);
  double inf = InfinityLiteral(s, true);
  if (!std::isnan(inf)) return inf;
  size_t n = DecimalPrefix(s);
  if (n == 0) return kNaN;
  return ParseDecimal(s.substr(0, n));
}

void AppendNumber(double d, std::string* out) {
  if (std::isnan(d)) return out->append("NaN"), void();
  if (std::isinf(d)) return out->append(d < 0 ? "-Infinity" : "Infinity"), void();
  if (d == 0) return out->push_back('0');
  if (d < 0) {
    out->push_back('-');
    d = -d;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);  // "d.ddde+XX" or "de+XX"
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exp = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exp);
  int k = static_cast<int>(digits.size());
  int n = exp + 1;
  if (k <= n && n <= 21) {
    out->append(digits);
    out->append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out->append(digits, 0, n);
    out->push_back('.');
    out->append(digits, n);
  } else if (-6 < n && n <= 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-n), '0');
    out->append(digits);
  } else {
    out->push_back(digits[0]);
    if (k > 1) {
      out->push_back('.');
      out->append(digits, 1);
    }
    out->push_back('e');
    out->push_back(n - 1 < 0 ? '-' : '+');
    out->append(std::to_string(std::abs(n - 1)));
  }
}

void AppendString(const Value& v, std::string* out, int max_depth) {
  switch (v.kind()) {
    case ValueKind::kNull: out->append("null"); return;
    case ValueKind::kBool: out->append(v.boolean() ? "true" : "false"); return;
    case ValueKind::kNumber: AppendNumber(v.number(), out); return;
    case ValueKind::kString: out->append(v.string()); return;
    case ValueKind::kObject: out->append("[object Object]"); return;
    case ValueKind::kArray:
      if (max_depth <= 0) return;
      for (uint32_t i = 0; i < v.array_size(); ++i) {
        if (i > 0) out->push_back(',');
        Value item = v.array_at(i);
        if (!item.is_null()) AppendString(item, out, max_depth - 1);
      }
      return;
  }
}

std::string ToJsString(const Value& v) {
  std::string out;
  AppendString(v, &out);
  return out;
}

bool StrictEquals(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::kNull: return true;
    case ValueKind::kBool: return a.boolean() == b.boolean();
    case ValueKind::kNumber: return a.number() == b.number();
    case ValueKind::kString: return a.string() == b.string();
    case ValueKind::kArray:
    case ValueKind::kObject:
      return a.identity() == b.identity() && a.array_size() == b.array_size();
  }
  return false;
}

bool LooseEquals(const Value& a, const Value& b) {
  if (a.kind() == b.kind()) return StrictEquals(a, b);
  if (a.is_null() || b.is_null()) return false;
  if (a.is_number() && b.is_string()) return a.number() == StringToNumber(b.string());
  if (a.is_string() && b.is_number()) return StringToNumber(a.string()) == b.number();
  if (a.kind() == ValueKind::kBool) return LooseEquals(Value::Number(a.boolean() ? 1 : 0), b);
  if (b.kind() == ValueKind::kBool) return LooseEquals(a, Value::Number(b.boolean() ? 1 : 0));
  if (IsPrimitiveForEquality(a) && !IsPrimitiveForEquality(b)) {
    std::string s = ToJsString(b);
    return LooseEquals(a, Value::String(s));
  }
  if (!IsPrimitiveForEquality(a) && IsPrimitiveForEquality(b)) {
    std::string s = ToJsString(a);
    return LooseEquals(Value::String(s), b);
  }
  return false;
}

std::optional<bool> LessThan(const Value& a, const Value& b) {
  auto is_composite = [](const Value& v) {
    return v.kind() == ValueKind::kArray || v.kind() == ValueKind::kObject;
  };
  std::string sa, sb;
  std::string_view va, vb;
  bool a_str = a.is_string() || is_composite(a);
  bool b_str = b.is_string() || is_composite(b);
  if (a_str) {
    if (a.is_string()) va = a.string();
    else sa = ToJsString(a), va = sa;
  }
  if (b_str) {
    if (b.is_string()) vb = b.string();
    else sb = ToJsString(b), vb = sb;
  }
  if (a_str && b_str) return CompareCodePoints(va, vb) < 0;
  double x = a_str ? StringToNumber(va) : ToNumber(a);
  double y = b_str ? StringToNumber(vb) : ToNumber(b);
  if (std::isnan(x) || std::isnan(y)) return std::nullopt;
  return x < y;
}

boost::json::value ToJson(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kNull: return nullptr;
    case ValueKind::kBool: return v.boolean();
    case ValueKind::kNumber: {
      double d = v.number();
      if (!std::isfinite(d)) return nullptr;
      if (d == std::trunc(d) && std::fabs(d) <= 9007199254740992.0) {
        return static_cast<int64_t>(d);
      }
      return d;
    }
    case ValueKind::kString: {
      auto s = v.string();
      return boost::json::string(s.data(), s.size());
    }
    case ValueKind::kArray: {
      boost::json::array out;
      out.reserve(v.array_size());
      for (uint32_t i = 0; i < v.array_size(); ++i) out.push_back(ToJson(v.array_at(i)));
      return out;
    }
    case ValueKind::kObject: {
      if (const auto* obj = v.json_object()) return *obj;
      boost::json::object out;
      out["current"] = ToJson(*v.member("current"));
      out["accumulator"] = ToJson(*v.member("accumulator"));
      return out;
    }
  }
  return nullptr;
}

}  // namespace accord::rules
