// Identity facts: the claims a demo service received from Accord (the attributes the person
// agreed to release, OIDC4IDA `verified_claims` included) mapped onto the journey catalogue's
// fact names (data/vocabulary.json), so the life-event planner can use them without asking the
// person again. The mapping, and why some claims are not mapped, is in docs/demo.md ("Life
// events after login"):
//
//   birthdate     -> birthdate    a real date YYYY-MM-DD, else left out (then asked)
//   nationality   -> nationality  ISO 3166-1 alpha-3 ("GBR") or alpha-2 ("GB") -> alpha-2;
//   nationalities                 (OIDC4IDA array: used only when it holds exactly one)
//   given_name, family_name, name -> not facts (no rule reads names); shown as who signed in
//   address.country               -> not mapped: residence_country is the residence on the
//                                    event date, which a current address does not tell
//   verified_claims.verification  -> the provenance sentence (trust framework, level, evidence)
//
// A value inside verified_claims.claims wins over the same top-level claim. Only vocabulary
// attributes whose source is "identity" are mapped, and each value is checked against its type
// (journeys::ValidateFacts); anything else is left out, so it is asked as an answer instead.
//
// Thread safety: pure functions.
#ifndef ACCORD_DEMO_IDENTITY_FACTS_H_
#define ACCORD_DEMO_IDENTITY_FACTS_H_

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "journeys/catalogue.h"

namespace accord::demo {

struct IdentityFacts {
  boost::json::object facts;  // vocabulary name -> value of its type
  std::string display_name;   // "Ada Testwright" from given_name/family_name/name, or ""
  // One sentence on who verified the facts, e.g. "Verified by GOV.UK One Login (GBR) to level
  // substantial (trust framework eidas), shared through Accord." ("" when nothing was verified).
  std::string source;
};

IdentityFacts MapClaimsToFacts(const boost::json::object& claims,
                               const journeys::Catalogue& catalogue);

// ISO 3166-1 alpha-2 for a code: two letters are kept (upper-cased); three letters are looked up
// in a table of alpha-3 codes (the UK, Singapore and the countries whose people most often move
// between them); nullopt otherwise, so the person is asked instead of being guessed about.
std::optional<std::string> CountryAlpha2(std::string_view code);

}  // namespace accord::demo

#endif  // ACCORD_DEMO_IDENTITY_FACTS_H_
