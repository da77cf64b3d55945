// Mapping of each upstream's assertions through the shipped configuration (data/trust).
#include "trust/framework.h"

#include <gtest/gtest.h>

#include "trust/test_util.h"

namespace accord::trust {
namespace {

using testing::Obj;
using testing::OneLoginAssertion;
using testing::ShippedRegistry;
using testing::SingpassAssertion;

Level LevelOf(const Assertion& a) {
  auto id = ShippedRegistry().Map(a);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return id.ok() ? id->level : Level::kHigh;
}

TEST(OneLoginMappingTest, P2IsSubstantialWithEvidence) {
  auto id = ShippedRegistry().Map(OneLoginAssertion("P2"));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->level, Level::kSubstantial);
  EXPECT_EQ(id->source_level, "P2");
  EXPECT_EQ(id->trust_framework, "uk_diatf");
  EXPECT_EQ(id->country, "GBR");
  EXPECT_EQ(id->source_name, "GOV.UK One Login (Accord sandbox)");
  EXPECT_EQ(id->evidence, std::vector<std::string>{"uk_one_login_gpg45_medium"});
  EXPECT_EQ(id->verification_time, 1767225600);
}

TEST(OneLoginMappingTest, FullVectorWithP2IsSubstantial) {
  EXPECT_EQ(LevelOf(OneLoginAssertion("Cl.Cm.P2")), Level::kSubstantial);
}

TEST(OneLoginMappingTest, P1IsLow) { EXPECT_EQ(LevelOf(OneLoginAssertion("P1")), Level::kLow); }

TEST(OneLoginMappingTest, CredentialOnlyIsNone) {
  auto id = ShippedRegistry().Map(OneLoginAssertion("Cl.Cm"));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->level, Level::kNone);
  EXPECT_EQ(id->source_level, "Cl.Cm");
  EXPECT_TRUE(id->evidence.empty());
  EXPECT_EQ(LevelOf(OneLoginAssertion("Cl")), Level::kNone);
  EXPECT_EQ(LevelOf(OneLoginAssertion("")), Level::kNone);
  EXPECT_EQ(LevelOf(OneLoginAssertion("P3")), Level::kNone);
}

TEST(OneLoginMappingTest, NamesFromCoreIdentityNameParts) {
  auto id = ShippedRegistry().Map(OneLoginAssertion());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->attributes.at("given_name"), boost::json::value("Ada Grace"));
  EXPECT_EQ(id->attributes.at("family_name"), boost::json::value("Testwright"));
  EXPECT_EQ(id->attributes.at("name"), boost::json::value("Ada Grace Testwright"));
  EXPECT_EQ(id->attributes.at("birthdate"), boost::json::value("1987-04-12"));  // first = best
  EXPECT_TRUE(id->high_risk.empty());
}

TEST(OneLoginMappingTest, ConnectorExtractedClaimsWin) {
  Assertion a = OneLoginAssertion();
  a.claims["given_name"] = "Ada";
  a.claims["family_name"] = "Testwright-Smith";
  a.claims["birthdate"] = "1987-04-13";
  auto id = ShippedRegistry().Map(a);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->attributes.at("given_name"), boost::json::value("Ada"));
  EXPECT_EQ(id->attributes.at("family_name"), boost::json::value("Testwright-Smith"));
  EXPECT_EQ(id->attributes.at("birthdate"), boost::json::value("1987-04-13"));
}

TEST(OneLoginMappingTest, FlattenedCredentialSubjectIsRead) {
  Assertion a = OneLoginAssertion();
  a.claims = Obj(R"({"name":[{"nameParts":[{"value":"Bart","type":"GivenName"},
                                           {"value":"Fictionley","type":"FamilyName"}]}],
                     "birthDate":[{"value":"1959-11-30"}]})");
  auto id = ShippedRegistry().Map(a);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->attributes.at("given_name"), boost::json::value("Bart"));
  EXPECT_EQ(id->attributes.at("family_name"), boost::json::value("Fictionley"));
  EXPECT_EQ(id->attributes.at("birthdate"), boost::json::value("1959-11-30"));
}

TEST(OneLoginMappingTest, ConnectorCoreIdentityObjectIsRead) {
  // The One Login connector keeps the verified credentialSubject under "core_identity".
  Assertion a = OneLoginAssertion();
  a.claims = Obj(R"({"core_identity":{
      "name":[{"nameParts":[{"value":"Ada Mary","type":"GivenName"},
                            {"value":"Testwright","type":"FamilyName"}]}],
      "birthDate":[{"value":"1987-04-12"}]}})");
  auto id = ShippedRegistry().Map(a);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->attributes.at("given_name"), boost::json::value("Ada Mary"));
  EXPECT_EQ(id->attributes.at("family_name"), boost::json::value("Testwright"));
  EXPECT_EQ(id->attributes.at("name"), boost::json::value("Ada Mary Testwright"));
  EXPECT_EQ(id->attributes.at("birthdate"), boost::json::value("1987-04-12"));
}

TEST(OneLoginMappingTest, MalformedBirthdateIsNotTaken) {
  Assertion a = OneLoginAssertion();
  a.claims["birthdate"] = "12/04/1987";
  a.claims.erase("vc");
  auto id = ShippedRegistry().Map(a);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->attributes.count("birthdate"), 0u);
}

TEST(OneLoginMappingTest, PassportNumberIsHighRisk) {
  Assertion a = OneLoginAssertion();
  a.claims["https://vocab.account.gov.uk/v1/passport"] =
      Obj(R"({"p":[{"documentNumber":"123456789","icaoIssuerCode":"GBR"}]})")["p"];
  auto id = ShippedRegistry().Map(a);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->attributes.at("passport_number"), boost::json::value("123456789"));
  EXPECT_EQ(id->high_risk.count("passport_number"), 1u);
}

TEST(SingpassMappingTest, Loa2AndLoa3AreSubstantial) {
  auto id = ShippedRegistry().Map(SingpassAssertion("urn:singpass:authentication:loa:2"));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->level, Level::kSubstantial);
  EXPECT_EQ(id->source_level, "urn:singpass:authentication:loa:2");
  EXPECT_EQ(id->trust_framework, "sg_singpass");
  EXPECT_EQ(id->country, "SGP");
  EXPECT_EQ(id->evidence, std::vector<std::string>{"sg_singpass_government_record"});
  EXPECT_EQ(LevelOf(SingpassAssertion("urn:singpass:authentication:loa:3")), Level::kSubstantial);
}

TEST(SingpassMappingTest, Loa1AndUnknownAreNone) {
  EXPECT_EQ(LevelOf(SingpassAssertion("urn:singpass:authentication:loa:1")), Level::kNone);
  EXPECT_EQ(LevelOf(SingpassAssertion("urn:singpass:authentication:loa:4")), Level::kNone);
  EXPECT_EQ(LevelOf(SingpassAssertion("")), Level::kNone);
}

TEST(SingpassMappingTest, AttributesAndNationalIdentifier) {
  auto id = ShippedRegistry().Map(SingpassAssertion());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->attributes.at("name"), boost::json::value("Mei Ling Sampleton"));
  EXPECT_EQ(id->attributes.at("given_name"), boost::json::value("Mei Ling"));
  EXPECT_EQ(id->attributes.at("family_name"), boost::json::value("Sampleton"));
  EXPECT_EQ(id->attributes.at("birthdate"), boost::json::value("1994-02-28"));
  EXPECT_EQ(id->attributes.at("national_identifier"), boost::json::value("S0000001I"));
  EXPECT_EQ(id->attributes.at("national_identifier_country"), boost::json::value("SG"));
  EXPECT_EQ(id->high_risk, std::set<std::string>{"national_identifier"});
  EXPECT_EQ(id->attributes.count("account_type"), 0u);  // not in the schema: not mapped
}

TEST(SingpassMappingTest, SubAttributesAndMyinfoStyleUserinfo) {
  Assertion a = SingpassAssertion();
  a.claims = Obj(R"({"sub_attributes":{"identity_number":"S9400228A","identity_coi":"SG",
                                        "name":"SAMPLETON MEI LING"},
                     "person_info":{"dob":{"value":"1994-02-28"}}})");
  auto id = ShippedRegistry().Map(a);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->attributes.at("name"), boost::json::value("SAMPLETON MEI LING"));
  EXPECT_EQ(id->attributes.at("birthdate"), boost::json::value("1994-02-28"));
  EXPECT_EQ(id->attributes.at("national_identifier"), boost::json::value("S9400228A"));
  EXPECT_EQ(id->attributes.count("given_name"), 0u);
  a.claims = Obj(R"({"person_info":{"uinfin":{"value":"S9400228A"},"name":{"value":"X Y"}}})");
  id = ShippedRegistry().Map(a);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->attributes.at("national_identifier"), boost::json::value("S9400228A"));
  EXPECT_EQ(id->attributes.at("name"), boost::json::value("X Y"));
}

TEST(EidasMappingTest, AcrUrisMapDirectly) {
  Framework const* eidas = ShippedRegistry().FindFramework("eidas");
  ASSERT_NE(eidas, nullptr);
  UpstreamDecl generic{"eu-generic", "eidas", "DEU", "Example eIDAS node"};
  for (Level l : {Level::kLow, Level::kSubstantial, Level::kHigh}) {
    Assertion a;
    a.upstream_id = "eu-generic";
    a.acr = std::string(EidasUri(l));
    a.claims = Obj(R"({"given_name":"Erika","family_name":"Muster","birthdate":"1964-08-12"})");
    auto id = MapAssertion(*eidas, generic, a);
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(id->level, l);
    EXPECT_EQ(id->attributes.size(), 3u);
  }
}

TEST(MappingTest, UnknownUpstreamIsNotFound) {
  Assertion a = OneLoginAssertion();
  a.upstream_id = "nowhere";
  auto id = ShippedRegistry().Map(a);
  EXPECT_EQ(id.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(id.status().reason(), "unknown_upstream");
}

TEST(MappingTest, CountryMustMatchDeclaration) {
  Assertion a = OneLoginAssertion();
  a.country = "SGP";
  EXPECT_EQ(ShippedRegistry().Map(a).status().reason(), "country_mismatch");
  a.country = "GBR";
  EXPECT_TRUE(ShippedRegistry().Map(a).ok());
}

TEST(MappingTest, FrameworkMustMatchDeclaration) {
  Assertion a = SingpassAssertion();
  a.framework = "uk_diatf";
  EXPECT_EQ(ShippedRegistry().Map(a).status().reason(), "framework_mismatch");
  a.framework = "sg_singpass";
  EXPECT_TRUE(ShippedRegistry().Map(a).ok());
}

TEST(RuleMatchesTest, AllConditionsMustHold) {
  LevelRule rule{.vot_all = {"Cl", "Cm"}, .acr_in = {}, .amr_any = {"sms", "face"},
                 .level = Level::kLow, .evidence = ""};
  Assertion a;
  a.vot = "Cl.Cm";
  a.amr = {"pwd", "sms"};
  EXPECT_TRUE(RuleMatches(rule, a));
  a.amr = {"pwd"};
  EXPECT_FALSE(RuleMatches(rule, a));
  a.amr = {"face"};
  a.vot = "Cl";
  EXPECT_FALSE(RuleMatches(rule, a));
  EXPECT_FALSE(RuleMatches(LevelRule{}, a));  // a rule without conditions never matches
}

}  // namespace
}  // namespace accord::trust
