// Data classification under both national schemes (docs/security.md, "Classification"; facts in
// ../shared/reference/data-classification.md).
//
// Every attribute (common names of data/trust/frameworks.toml) and every stored record type maps to
//   - a UK marking (Government Security Classifications 2023): OFFICIAL < OFFICIAL-SENSITIVE <
//     SECRET < TOP SECRET ("SENSITIVE" is a handling marking on OFFICIAL, ordered between);
//   - Singapore's security classification: Official (Open) < Official (Closed) < Restricted <
//     Confidential (Cloud-Eligible) < Confidential < Secret < Top Secret (Cloud-Eligible is the
//     subset of Confidential that may be held in a commercial cloud, so it ranks below it);
//   - Singapore's sensitivity: Non-Sensitive < Sensitive (Normal) < Sensitive (High).
// Anything not in the table is treated as the most restrictive class (TOP SECRET / Top Secret /
// Sensitive (High)) and remembered, so start-up can report it (Unclassified()).
//
// Thread safety: a ClassificationTable is built once (Parse/Load), then Classify() is safe to call
// concurrently (the unclassified list is guarded by a mutex).
#ifndef ACCORD_DATASEC_CLASSIFICATION_H_
#define ACCORD_DATASEC_CLASSIFICATION_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace accord::datasec {

enum class UkMarking { kOfficial = 0, kOfficialSensitive = 1, kSecret = 2, kTopSecret = 3 };
enum class SgClassification {
  kOfficialOpen = 0,
  kOfficialClosed = 1,
  kRestricted = 2,
  kConfidentialCloudEligible = 3,
  kConfidential = 4,
  kSecret = 5,
  kTopSecret = 6,
};
enum class SgSensitivity { kNonSensitive = 0, kSensitiveNormal = 1, kSensitiveHigh = 2 };

// Official spellings ("OFFICIAL-SENSITIVE", "Confidential (Cloud-Eligible)", "Sensitive (High)").
std::string_view Name(UkMarking m);
std::string_view Name(SgClassification c);
std::string_view Name(SgSensitivity s);
std::optional<UkMarking> ParseUkMarking(std::string_view text);
std::optional<SgClassification> ParseSgClassification(std::string_view text);
std::optional<SgSensitivity> ParseSgSensitivity(std::string_view text);

// One marking under each scheme. Ordered per scheme; "fits within" is the product order.
struct Classification {
  UkMarking uk = UkMarking::kTopSecret;
  SgClassification sg_classification = SgClassification::kTopSecret;
  SgSensitivity sg_sensitivity = SgSensitivity::kSensitiveHigh;

  static constexpr Classification MostRestrictive() { return Classification{}; }
  // True when every label is at most the ceiling's label.
  bool FitsWithin(const Classification& ceiling) const;
  // SECRET / Secret and above: never held or released by Accord.
  bool IsNationalSecurity() const;
  // "OFFICIAL-SENSITIVE / Confidential (Cloud-Eligible) / Sensitive (High)".
  std::string ToString() const;
  friend bool operator==(const Classification&, const Classification&) = default;
};

// The label-wise maximum (a record holding several attributes takes the highest of each).
Classification Max(const Classification& a, const Classification& b);

enum class ItemKind { kAttribute, kRecord };

// Stored record types (docs/store.md tables, the audit log and datasec's own state).
inline constexpr const char* kRecordTypes[] = {
    "sessions",          "auth_codes",       "pushed_requests",  "login_transactions",
    "refresh_families",  "consents",         "released_attribute_snapshots",
    "signing_keys",      "audit_entries",    "logout_deliveries", "session_clients",
    "replay_entries",    "upstream_logins",
};

class ClassificationTable {
 public:
  // <dir>/classification.toml. Errors: InvalidArgument "bad_config" naming file and key, e.g.
  //   classification.toml: attributes.birthdate: unknown class "ordinaryy"
  static Result<ClassificationTable> Load(const std::string& dir);
  static Result<ClassificationTable> Parse(std::string_view toml_text,
                                           std::string_view file_name = "classification.toml");

  ClassificationTable(ClassificationTable&&) noexcept;
  ClassificationTable& operator=(ClassificationTable&&) noexcept;
  ~ClassificationTable();

  // The configured class, or MostRestrictive() (and `name` is remembered as unclassified).
  Classification Classify(ItemKind kind, std::string_view name) const;
  // True when `name` is configured (does not record anything).
  bool IsClassified(ItemKind kind, std::string_view name) const;
  // The class name ("ordinary", "high_risk", ...) of a configured item, "" if unclassified.
  std::string ClassName(ItemKind kind, std::string_view name) const;
  // Every item Classify() had to treat as most restrictive so far, plus every record type of
  // kRecordTypes missing from the file: "attribute:foo", "record:bar"; sorted, no duplicates.
  // The integrator prints it at start-up.
  std::vector<std::string> Unclassified() const;

  const std::map<std::string, Classification>& classes() const { return classes_; }
  const std::map<std::string, std::string>& attributes() const { return attributes_; }
  const std::map<std::string, std::string>& records() const { return records_; }

 private:
  ClassificationTable();
  std::map<std::string, Classification> classes_;    // class name -> labels
  std::map<std::string, std::string> attributes_;    // attribute -> class name
  std::map<std::string, std::string> records_;       // record type -> class name
  std::unique_ptr<std::mutex> mu_;
  mutable std::set<std::string> unclassified_;       // guarded by *mu_
};

}  // namespace accord::datasec

#endif  // ACCORD_DATASEC_CLASSIFICATION_H_
