// Value: the evaluator's small, non-owning JSON-like value (JsonLogic as json-logic-js 2.0.5 sees it).
//
// A Value is 16 bytes and never owns memory: strings and arrays point into the data being evaluated
// (a boost::json::value), into a compiled Rule, or into the Evaluator's arena. A Value is therefore
// valid only while what it points into is alive and, for arena values, until the Evaluator's next
// evaluation. Objects exist only as views of JSON objects (from data or rule literals) and as the
// internal {current, accumulator} scope of `reduce`.
//
// The coercions below follow ECMAScript (Number(), parseFloat, String(), ==, ===, <) because
// JsonLogic's reference behaviour is json-logic-js. Differences (documented in docs/rules.md):
// strings compare and are measured by Unicode code point, not UTF-16 unit; only ASCII whitespace is
// trimmed when a string is converted to a number.
//
// Thread safety: immutable values; the functions are pure.
#ifndef ACCORD_RULES_VALUE_H_
#define ACCORD_RULES_VALUE_H_

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace accord::rules {

enum class ValueKind : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

class Value {
 public:
  Value() : kind_(ValueKind::kNull), repr_(Repr::kPlain), size_(0), num_(0) {}

  static Value Null() { return Value(); }
  static Value Bool(bool b);
  static Value Number(double d);
  static Value String(std::string_view s);
  // An array of `n` values stored elsewhere (arena or rule); `items` outlives the Value.
  static Value Array(const Value* items, uint32_t n);
  // Views of JSON held elsewhere.
  static Value JsonArray(const boost::json::array* a);
  static Value JsonObject(const boost::json::object* o);
  // The `reduce` scope: items[0] is `current`, items[1] is `accumulator`.
  static Value ReduceScope(const Value* items);
  // O(1) view of any JSON value (int64/uint64 become doubles, as in JavaScript).
  static Value FromJson(const boost::json::value& v);

  ValueKind kind() const { return kind_; }
  bool is_null() const { return kind_ == ValueKind::kNull; }
  bool is_array() const { return kind_ == ValueKind::kArray; }
  bool is_string() const { return kind_ == ValueKind::kString; }
  bool is_number() const { return kind_ == ValueKind::kNumber; }

  bool boolean() const { return b_; }
  double number() const { return num_; }
  std::string_view string() const { return std::string_view(str_, size_); }

  // Arrays (either representation). Preconditions: is_array(); i < array_size().
  uint32_t array_size() const { return size_; }
  Value array_at(uint32_t i) const;

  // Objects. Member lookup by name; nullopt when absent (JavaScript `undefined`).
  std::optional<Value> member(std::string_view name) const;

  // Identity for JavaScript reference equality of arrays and objects.
  const void* identity() const { return ptr_; }
  bool is_reduce_scope() const { return repr_ == Repr::kScope; }
  const boost::json::object* json_object() const {
    return repr_ == Repr::kJson ? static_cast<const boost::json::object*>(ptr_) : nullptr;
  }

 private:
  enum class Repr : uint8_t { kPlain, kJson, kScope };
  ValueKind kind_;
  Repr repr_;
  uint32_t size_;
  union {
    bool b_;
    double num_;
    const char* str_;
    const void* ptr_;  // Value[] (plain array or scope), boost::json::array or ::object
  };
};

// JsonLogic truthiness: JavaScript truthiness except that an empty array is false.
bool Truthy(const Value& v);

// ECMAScript Number(v) (ToNumber after ToPrimitive): "" -> 0, " 12 " -> 12, "0x1f" -> 31,
// null -> 0, [] -> 0, [7] -> 7, objects -> NaN.
double ToNumber(const Value& v);
// ECMAScript Number(string).
double StringToNumber(std::string_view s);
// ECMAScript parseFloat(String(v)): the longest decimal prefix, NaN if none.
double ParseFloat(const Value& v);

// Appends ECMAScript String(v): null -> "null", arrays joined by "," (null members empty),
// objects "[object Object]". Nesting deeper than `max_depth` is rendered as "".
void AppendString(const Value& v, std::string* out, int max_depth = 64);
std::string ToJsString(const Value& v);
// ECMAScript Number::toString for a double ("1", "0.5", "1e+21", "NaN", "-Infinity").
void AppendNumber(double d, std::string* out);

// ECMAScript == and ===.
bool LooseEquals(const Value& a, const Value& b);
bool StrictEquals(const Value& a, const Value& b);

// ECMAScript abstract relational comparison a < b: nullopt means "undefined" (a NaN was involved).
std::optional<bool> LessThan(const Value& a, const Value& b);

// Deep copy to JSON. Integral doubles within 2^53 become int64; NaN and infinities become null
// (as JSON.stringify); the reduce scope becomes {"current", "accumulator"}.
boost::json::value ToJson(const Value& v);

}  // namespace accord::rules

#endif  // ACCORD_RULES_VALUE_H_
