#include "demo/identity_facts.h"

#include <boost/json/string.hpp>
#include <cctype>
#include <utility>

#include "journeys/api.h"

namespace accord::demo {
namespace {

// alpha-3 -> alpha-2, sorted by alpha-3.
constexpr std::pair<std::string_view, std::string_view> kAlpha3[] = {
    {"AUS", "AU"}, {"BGD", "BD"}, {"CAN", "CA"}, {"CHN", "CN"}, {"DEU", "DE"}, {"ESP", "ES"},
    {"FRA", "FR"}, {"GBR", "GB"}, {"HKG", "HK"}, {"IDN", "ID"}, {"IND", "IN"}, {"IRL", "IE"},
    {"ITA", "IT"}, {"JPN", "JP"}, {"KOR", "KR"}, {"LKA", "LK"}, {"MMR", "MM"}, {"MYS", "MY"},
    {"NLD", "NL"}, {"NZL", "NZ"}, {"PAK", "PK"}, {"PHL", "PH"}, {"SGP", "SG"}, {"THA", "TH"},
    {"USA", "US"}, {"VNM", "VN"}, {"ZAF", "ZA"}};

const boost::json::object* Object(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

std::string String(const boost::json::object* o, std::string_view key) {
  if (o == nullptr) return {};
  const boost::json::value* v = o->if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The claim `name`: inside verified_claims.claims first, else top-level.
const boost::json::value* Claim(const boost::json::object& claims,
                                const boost::json::object* verified, std::string_view name) {
  if (verified != nullptr) {
    if (const boost::json::value* v = verified->if_contains(name)) return v;
  }
  return claims.if_contains(name);
}

// Adds `name` = `value` when the vocabulary says it is an identity attribute of that type.
void Put(const journeys::Catalogue& catalogue, std::string_view name, boost::json::value value,
         boost::json::object& facts) {
  const journeys::Attribute* a = catalogue.FindAttribute(name);
  if (a == nullptr || a->source != "identity") return;
  boost::json::object one{{name, std::move(value)}};
  if (!journeys::ValidateFacts(one, catalogue).ok()) return;
  facts[name] = std::move(one.at(name));
}

std::string Source(const boost::json::object& claims) {
  const boost::json::object* vc = Object(claims, "verified_claims");
  const boost::json::object* verification = vc ? Object(*vc, "verification") : nullptr;
  if (verification == nullptr) return {};
  std::string level = String(verification, "assurance_level");
  std::string framework = String(verification, "trust_framework");
  std::string by;
  if (const boost::json::value* ev = verification->if_contains("evidence");
      ev != nullptr && ev->is_array() && !ev->get_array().empty() &&
      ev->get_array()[0].is_object()) {
    const boost::json::object* record = Object(ev->get_array()[0].get_object(), "record");
    const boost::json::object* source = record ? Object(*record, "source") : nullptr;
    by = String(source, "name");
    std::string country = String(source, "country_code");
    if (!by.empty() && !country.empty()) by += " (" + country + ")";
  }
  std::string out = "Verified";
  if (!by.empty()) out += " by " + by;
  if (!level.empty()) out += " to level " + level;
  if (!framework.empty()) out += " (trust framework " + framework + ")";
  return out + ", shared through Accord.";
}

}  // namespace

std::optional<std::string> CountryAlpha2(std::string_view code) {
  std::string upper;
  for (char c : code) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return std::nullopt;
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (upper.size() == 2) return upper;
  if (upper.size() != 3) return std::nullopt;
  for (const auto& [alpha3, alpha2] : kAlpha3) {
    if (alpha3 == upper) return std::string(alpha2);
  }
  return std::nullopt;
}

IdentityFacts MapClaimsToFacts(const boost::json::object& claims,
                               const journeys::Catalogue& catalogue) {
  IdentityFacts out;
  const boost::json::object* vc = Object(claims, "verified_claims");
  const boost::json::object* verified = vc ? Object(*vc, "claims") : nullptr;

  if (const boost::json::value* b = Claim(claims, verified, "birthdate");
      b != nullptr && b->is_string()) {
    Put(catalogue, "birthdate", *b, out.facts);
  }
  std::string nationality;
  if (const boost::json::value* n = Claim(claims, verified, "nationality");
      n != nullptr && n->is_string()) {
    nationality = std::string(n->get_string());
  } else if (const boost::json::value* ns = Claim(claims, verified, "nationalities");
             ns != nullptr && ns->is_array() && ns->get_array().size() == 1 &&
             ns->get_array()[0].is_string()) {
    nationality = std::string(ns->get_array()[0].get_string());
  }
  if (auto code = CountryAlpha2(nationality)) Put(catalogue, "nationality", boost::json::string(*code), out.facts);

  auto text = [&](std::string_view name) {
    const boost::json::value* v = Claim(claims, verified, name);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  std::string given = text("given_name"), family = text("family_name");
  out.display_name = given.empty() || family.empty() ? given + family : given + " " + family;
  if (out.display_name.empty()) out.display_name = text("name");
  if (out.display_name.size() > 200) out.display_name.clear();  // not a name anyone types
  out.source = Source(claims);
  return out;
}

}  // namespace accord::demo
