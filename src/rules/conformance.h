// Conformance: runs a test suite in the format of JsonLogic's shared tests.json (a JSON array whose
// items are comment strings or [rule, data, expected] triples) through Rule + Evaluator.
//
// Results compare as JSON with numbers compared by value (1 == 1.0). A rule that fails to compile or
// evaluate counts as a failure with the error as its actual result.
//
// Thread safety: pure.
#ifndef ACCORD_RULES_CONFORMANCE_H_
#define ACCORD_RULES_CONFORMANCE_H_

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace accord::rules {

struct SuiteFailure {
  size_t index = 0;      // position of the case in the file's top-level array
  std::string section;   // the last comment before it
  std::string rule;      // compact JSON
  std::string data;
  std::string expected;
  std::string actual;    // compact JSON, or "error: ..."
};

struct SuiteResult {
  size_t passed = 0;
  size_t failed = 0;
  std::vector<SuiteFailure> failures;
};

// Errors (kInvalidArgument "bad_suite") only when the suite itself is malformed.
Result<SuiteResult> RunSuite(const boost::json::value& suite);

// JSON equality with numbers compared numerically.
bool JsonEquivalent(const boost::json::value& a, const boost::json::value& b);

}  // namespace accord::rules

#endif  // ACCORD_RULES_CONFORMANCE_H_
