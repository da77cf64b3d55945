#include "demo/identity_facts.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace accord::demo {
namespace {

class IdentityFactsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto c = journeys::Catalogue::Load(std::string(ACCORD_SOURCE_DIR) + "/data");
    ASSERT_TRUE(c.ok()) << c.status().message();
    catalogue_ = new journeys::Catalogue(std::move(*c));
  }
  static void TearDownTestSuite() { delete catalogue_; }
  static IdentityFacts Map(std::string_view json) {
    return MapClaimsToFacts(boost::json::parse(json).as_object(), *catalogue_);
  }
  static journeys::Catalogue* catalogue_;
};
journeys::Catalogue* IdentityFactsTest::catalogue_ = nullptr;

// What Accord releases to the Singapore demo service for a UK person (docs/trust.md, "Release").
constexpr std::string_view kReleased = R"({
  "sub": "pairwise", "given_name": "Ada", "family_name": "Testwright", "birthdate": "1987-04-12",
  "verified_claims": {
    "verification": {"trust_framework": "eidas", "assurance_level": "substantial",
                     "evidence": [{"type": "electronic_record",
                                   "record": {"type": "uk_one_login_gpg45_medium",
                                              "source": {"name": "GOV.UK One Login",
                                                         "country_code": "GBR"}}}]},
    "claims": {"given_name": "Ada", "family_name": "Testwright", "birthdate": "1987-04-12"}}})";

TEST_F(IdentityFactsTest, BirthdateBecomesTheBirthdateFact) {
  IdentityFacts f = Map(kReleased);
  EXPECT_EQ(f.facts, (boost::json::object{{"birthdate", "1987-04-12"}}));
}

TEST_F(IdentityFactsTest, NamesAreNotFactsButNameWhoSignedIn) {
  IdentityFacts f = Map(kReleased);
  EXPECT_FALSE(f.facts.contains("given_name"));
  EXPECT_FALSE(f.facts.contains("family_name"));
  EXPECT_EQ(f.display_name, "Ada Testwright");
  EXPECT_EQ(Map(R"({"name": "Mei Ling Sampleton"})").display_name, "Mei Ling Sampleton");
}

TEST_F(IdentityFactsTest, SourceNamesTheVerifierLevelAndFramework) {
  EXPECT_EQ(Map(kReleased).source,
            "Verified by GOV.UK One Login (GBR) to level substantial (trust framework eidas), "
            "shared through Accord.");
  EXPECT_EQ(Map(R"({"birthdate": "1987-04-12"})").source, "");
}

TEST_F(IdentityFactsTest, VerifiedClaimWinsOverTopLevel) {
  IdentityFacts f = Map(R"({"birthdate": "2000-01-01",
                            "verified_claims": {"verification": {},
                                                "claims": {"birthdate": "1987-04-12"}}})");
  EXPECT_EQ(f.facts.at("birthdate"), "1987-04-12");
}

TEST_F(IdentityFactsTest, NationalityAlpha3BecomesAlpha2) {
  EXPECT_EQ(Map(R"({"nationality": "GBR"})").facts.at("nationality"), "GB");
  EXPECT_EQ(Map(R"({"nationality": "SGP"})").facts.at("nationality"), "SG");
  EXPECT_EQ(Map(R"({"nationality": "de"})").facts.at("nationality"), "DE");
  EXPECT_EQ(Map(R"({"verified_claims": {"claims": {"nationalities": ["SGP"]}}})")
                .facts.at("nationality"),
            "SG");
}

TEST_F(IdentityFactsTest, UnknownOrAmbiguousNationalityIsLeftToAsk) {
  EXPECT_FALSE(Map(R"({"nationality": "XYZ"})").facts.contains("nationality"));
  EXPECT_FALSE(Map(R"({"nationality": "British"})").facts.contains("nationality"));
  EXPECT_FALSE(Map(R"({"nationalities": ["GBR", "SGP"]})").facts.contains("nationality"));
  EXPECT_FALSE(Map(R"({"nationality": 826})").facts.contains("nationality"));
}

TEST_F(IdentityFactsTest, BadBirthdatesAreLeftOut) {
  EXPECT_TRUE(Map(R"({"birthdate": "1987-02-30"})").facts.empty());
  EXPECT_TRUE(Map(R"({"birthdate": "12/04/1987"})").facts.empty());
  EXPECT_TRUE(Map(R"({"birthdate": 19870412})").facts.empty());
}

TEST_F(IdentityFactsTest, AddressIsNotTakenAsResidenceOnTheEventDate) {
  IdentityFacts f = Map(R"({"address": {"country": "GB"}, "residence_country": "GB"})");
  EXPECT_FALSE(f.facts.contains("residence_country"));
}

TEST_F(IdentityFactsTest, AnswerAttributesAreNeverTakenFromClaims) {
  // A claim that happens to share an answer's name is not an identity fact.
  EXPECT_TRUE(Map(R"({"married": true, "monthly_salary_sgd": 9000})").facts.empty());
}

TEST(CountryAlpha2Test, MapsTheTableAndKeepsAlpha2) {
  EXPECT_EQ(CountryAlpha2("GBR"), "GB");
  EXPECT_EQ(CountryAlpha2("sgp"), "SG");
  EXPECT_EQ(CountryAlpha2("SG"), "SG");
  EXPECT_EQ(CountryAlpha2("ZZZ"), std::nullopt);
  EXPECT_EQ(CountryAlpha2("G1"), std::nullopt);
  EXPECT_EQ(CountryAlpha2(""), std::nullopt);
}

}  // namespace
}  // namespace accord::demo
