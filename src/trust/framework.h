// A trust framework as configured in data/trust/frameworks.toml: how its levels map onto the
// common eIDAS vocabulary, the vocabulary its own services expect in verified_claims, and the
// attribute schema mapping its providers' claims to common attribute names (docs/trust.md).
//
// Thread safety: immutable values once loaded; MapAssertion is pure.
#ifndef ACCORD_TRUST_FRAMEWORK_H_
#define ACCORD_TRUST_FRAMEWORK_H_

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "trust/attribute_source.h"
#include "trust/identity.h"
#include "trust/level.h"

namespace accord::trust {

// One level rule; rules are tried in order and the first match wins (no match: Level::kNone).
// A rule matches when every condition it sets holds (a rule must set at least one).
struct LevelRule {
  std::vector<std::string> vot_all;  // every component present in the vot ("Cl.Cm.P2" -> Cl, Cm, P2)
  std::vector<std::string> acr_in;   // acr equals one of these
  std::vector<std::string> amr_any;  // at least one of these amr values present
  Level level = Level::kNone;
  std::string evidence;              // summary recorded in CommonIdentity::evidence ("" = none)
};

// Data classification of an attribute (../shared/reference/data-classification.md).
enum class Classification {
  kOrdinary,  // name, birth date, ...: OFFICIAL / Restricted, Sensitive (Normal)
  kHighRisk,  // national identifiers (NRIC/FIN, passport number), health, ...: OFFICIAL-SENSITIVE /
              // Confidential (Cloud-Eligible), Sensitive (High); never released across borders
};

struct AttributeMapping {
  std::string name;                  // common attribute name (given_name, national_identifier, ...)
  Classification classification = Classification::kOrdinary;
  std::string format;                // "" or "date" (YYYY-MM-DD; other values are not taken)
  std::vector<AttributeSource> from; // tried in order; the first value found wins
};

struct Framework {
  std::string id;                    // Accord's key, e.g. "uk_diatf", "sg_singpass", "eidas"
  std::string name;                  // human readable
  std::string country;               // ISO 3166-1 alpha-3, "" for eIDAS
  std::string ida_trust_framework;   // the verified_claims trust_framework value
  std::map<Level, std::string> assurance_terms;  // this framework's words for common levels
  std::vector<LevelRule> levels;
  std::vector<AttributeMapping> attributes;
};

// An upstream identity provider and the framework it asserts under.
struct UpstreamDecl {
  std::string id, framework, country, name;
};

// Maps an assertion through `framework` (the one `upstream` is declared with). The assertion's
// country/framework, when set, must equal the declaration's (InvalidArgument "country_mismatch" /
// "framework_mismatch").
Result<CommonIdentity> MapAssertion(const Framework& framework, const UpstreamDecl& upstream,
                                    const Assertion& assertion);

// True when the rule's conditions all hold for the assertion.
bool RuleMatches(const LevelRule& rule, const Assertion& assertion);

}  // namespace accord::trust

#endif  // ACCORD_TRUST_FRAMEWORK_H_
