// Rule fixtures: per-service eligibility tests kept as data, OpenFisca style
// (data/tests/<service-id>.json):
//   {"service": "sg-employment-pass",
//    "cases": [{"name": "...", "date": "2026-12-01", "input": {facts},
//               "output": {"status": "eligible" | "not_eligible" | "needs_information",
//                          "missing": [...], "condition": "substring of the deciding condition"}}]}
// `missing` and `condition` are optional; when given they must match (missing exactly, condition as
// a substring).
//
// Thread safety: pure except for the Planner passed in.
#ifndef ACCORD_JOURNEYS_FIXTURES_H_
#define ACCORD_JOURNEYS_FIXTURES_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "journeys/catalogue.h"
#include "journeys/planner.h"

namespace accord::journeys {

struct FixtureResult {
  std::string service_id;
  size_t passed = 0;
  std::vector<std::string> failures;  // "file: $.cases[2] (name): expected ..., got ..."
};

// Errors only when the fixture file itself is malformed or names an unknown service.
Result<FixtureResult> RunFixtureFile(const Catalogue& catalogue, const CatalogueFile& file,
                                     Planner& planner);

}  // namespace accord::journeys

#endif  // ACCORD_JOURNEYS_FIXTURES_H_
