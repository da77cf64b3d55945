#include "rules/conformance.h"

#include <boost/json/serialize.hpp>

#include "rules/evaluator.h"
#include "rules/rule.h"

namespace accord::rules {

bool JsonEquivalent(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!JsonEquivalent(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& [k, v] : x) {
      auto it = y.find(k);
      if (it == y.end() || !JsonEquivalent(v, it->value())) return false;
    }
    return true;
  }
  return a == b;
}

Result<SuiteResult> RunSuite(const boost::json::value& suite) {
  if (!suite.is_array()) return InvalidArgument("suite: $: expected an array", "bad_suite");
  SuiteResult result;
  std::string section;
  Evaluator evaluator;
  const auto& items = suite.get_array();
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& item = items[i];
    if (item.is_string()) {
      section = std::string(item.get_string());
      continue;
    }
    if (!item.is_array() || item.get_array().size() != 3) {
      return InvalidArgument("suite: $[" + std::to_string(i) +
                                 "]: expected a comment string or [rule, data, expected]",
                             "bad_suite");
    }
    const auto& c = item.get_array();
    std::string actual;
    bool ok = false;
    auto rule = Rule::Compile(c[0], "suite", "$[" + std::to_string(i) + "][0]");
    if (!rule.ok()) {
      actual = "error: " + rule.status().message();
    } else {
      auto out = evaluator.Apply(*rule, c[1]);
      if (!out.ok()) {
        actual = "error: " + out.status().message();
      } else {
        ok = JsonEquivalent(*out, c[2]);
        actual = boost::json::serialize(*out);
      }
    }
    if (ok) {
      ++result.passed;
    } else {
      ++result.failed;
      result.failures.push_back(SuiteFailure{i, section, boost::json::serialize(c[0]),
                                             boost::json::serialize(c[1]),
                                             boost::json::serialize(c[2]), actual});
    }
  }
  return result;
}

}  // namespace accord::rules
