// Test helpers: the repository's catalogue and small in-memory catalogues.
#ifndef ACCORD_JOURNEYS_TEST_UTIL_H_
#define ACCORD_JOURNEYS_TEST_UTIL_H_

#include <filesystem>
#include <string>

#include "journeys/catalogue.h"

namespace accord::journeys::testing {

inline std::filesystem::path DataDir() { return std::filesystem::path(ACCORD_SOURCE_DIR) / "data"; }

inline const CatalogueFile& Vocabulary() {
  static const CatalogueFile kVocabulary{"data/vocabulary.json", R"({"attributes": {
    "birthdate": {"type": "date", "source": "identity", "description": "d"},
    "nationality": {"type": "country", "source": "identity", "description": "n"},
    "monthly_salary_sgd": {"type": "number", "source": "answer", "description": "s"}}})"};
  return kVocabulary;
}

// A minimal valid service file with the given id, rule, prerequisites and deadline.
inline CatalogueFile ServiceFile(const std::string& id, const std::string& rule,
                                 const std::string& prerequisites = "[]",
                                 const std::string& deadline = "") {
  std::string text = R"({"id": ")" + id + R"(", "name": "Service )" + id +
                     R"(", "agency": "A", "country": "SG", "url": "https://example.gov.sg",
      "checked": "2026-11", "summary": "s", "cost": {"text": "Free"}, "channel": "online",)" +
                     (deadline.empty() ? "" : R"("deadline": )" + deadline + ",") +
                     R"("prerequisites": )" + prerequisites +
                     R"(, "attributes": ["birthdate", "nationality", "monthly_salary_sgd"],
      "eligibility": )" + rule + "}";
  return CatalogueFile{"data/services/" + id + ".json", text};
}

}  // namespace accord::journeys::testing

#endif  // ACCORD_JOURNEYS_TEST_UTIL_H_
