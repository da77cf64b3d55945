#include "trust/release.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "trust/test_util.h"

namespace accord::trust {
namespace {

namespace json = boost::json;
using testing::OneLoginAssertion;
using testing::ShippedRegistry;
using testing::SingpassAssertion;

constexpr std::string_view kSgService = "sg-mom-employment-pass";
constexpr std::string_view kUkService = "uk-hmrc-leaving-uk";

const ServicePolicy& Policy(std::string_view client_id) {
  const ServicePolicy* p = ShippedRegistry().FindPolicy(client_id);
  EXPECT_NE(p, nullptr);
  return *p;
}

CommonIdentity Identity(const Assertion& a) {
  auto id = ShippedRegistry().Map(a);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return std::move(id).value();
}

std::vector<std::string> Names(const ReleasePlan& plan) {
  std::vector<std::string> out;
  for (const auto& r : plan.to_consent) out.push_back(r.name);
  return out;
}

ReleasePlan Plan(std::string_view client, const CommonIdentity& id, std::string_view scope,
                 std::string_view claims = "", std::string_view acr = "") {
  auto plan = PlanRelease(Policy(client), id, scope, claims, acr);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? std::move(plan).value() : ReleasePlan{};
}

void ExpectUnmet(const Result<ReleasePlan>& r) {
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.status().reason(), "unmet_authentication_requirements");
}

TEST(PlanReleaseTest, UkIdentityToSingaporeServiceIsMinimised) {
  ReleasePlan plan = Plan(kSgService, Identity(OneLoginAssertion()), "openid profile email");
  // profile asks for name too, and email is asked: neither is allowed for this service.
  EXPECT_EQ(Names(plan), (std::vector<std::string>{"given_name", "family_name", "birthdate"}));
  EXPECT_EQ(plan.to_consent[2].purpose, "To check your age against the pass criteria");
  EXPECT_TRUE(plan.to_consent[2].essential);  // essential by policy
  EXPECT_EQ(plan.level, Level::kSubstantial);
  EXPECT_EQ(plan.acr, "http://eidas.europa.eu/LoA/substantial");
  // The Singapore service's framework has no words for levels: the eIDAS vocabulary is used.
  EXPECT_EQ(plan.trust_framework, "eidas");
  EXPECT_EQ(plan.assurance_level, "substantial");
  EXPECT_EQ(plan.userinfo_attributes.size(), 3u);
  EXPECT_TRUE(plan.id_token_attributes.empty());
}

TEST(PlanReleaseTest, SingaporeIdentityToUkServiceUsesGpg45Words) {
  ReleasePlan plan = Plan(kUkService, Identity(SingpassAssertion()), "openid profile");
  EXPECT_EQ(Names(plan), (std::vector<std::string>{"name", "given_name", "family_name", "birthdate"}));
  EXPECT_EQ(plan.trust_framework, "uk_diatf");
  EXPECT_EQ(plan.assurance_level, "medium");
}

TEST(PlanReleaseTest, NationalIdentifierIsNeverReleasedToUkService) {
  ReleasePlan plan = Plan(kUkService, Identity(SingpassAssertion()), "openid",
                          R"({"userinfo":{"national_identifier":{"essential":true},
                                          "given_name":null}})");
  EXPECT_EQ(Names(plan), std::vector<std::string>{"given_name"});
  json::object claims = ReleaseClaims(Identity(SingpassAssertion()), plan,
                                      {"given_name", "national_identifier"});
  EXPECT_FALSE(claims.contains("national_identifier"));
  EXPECT_EQ(json::serialize(claims).find("S0000001I"), std::string::npos);
}

TEST(PlanReleaseTest, HighRiskAttributeStaysInItsCountryEvenIfPolicyAllowsIt) {
  // A hand-built policy (bypassing the registry's check) still does not get it across borders.
  ServicePolicy p = Policy(kUkService);
  p.allowed_attributes.push_back({"national_identifier", "Test", false});
  auto id = Identity(SingpassAssertion());
  auto plan = PlanRelease(p, id, "openid", R"({"userinfo":{"national_identifier":null}})", "");
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->to_consent.empty());
  p.country = "SGP";  // a domestic service may receive it
  plan = PlanRelease(p, id, "openid", R"({"userinfo":{"national_identifier":null}})", "");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Names(*plan), std::vector<std::string>{"national_identifier"});
}

TEST(PlanReleaseTest, UnknownAndNotAllowedNamesAreIgnoredEvenWhenEssential) {
  ReleasePlan plan = Plan(kSgService, Identity(OneLoginAssertion()), "openid",
                          R"({"userinfo":{"shoe_size":{"essential":true},
                                          "name":{"essential":true},
                                          "birthdate":{"essential":true}}})");
  EXPECT_EQ(Names(plan), std::vector<std::string>{"birthdate"});
}

TEST(PlanReleaseTest, AttributeNotHeldIsNotPlanned) {
  Assertion a = OneLoginAssertion();
  a.claims.erase("vc");
  ReleasePlan plan = Plan(kSgService, Identity(a), "openid profile");
  EXPECT_TRUE(plan.to_consent.empty());
}

TEST(PlanReleaseTest, UpstreamNotAcceptedIsPermissionDenied) {
  auto r = PlanRelease(Policy(kSgService), Identity(SingpassAssertion()), "openid profile", "", "");
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(r.status().reason(), "upstream_not_accepted");
}

TEST(PlanReleaseTest, BelowServiceMinimumIsUnmet) {
  ExpectUnmet(PlanRelease(Policy(kSgService), Identity(OneLoginAssertion("P1")), "openid", "", ""));
  ExpectUnmet(PlanRelease(Policy(kSgService), Identity(OneLoginAssertion("Cl.Cm")), "openid", "", ""));
  ExpectUnmet(PlanRelease(Policy(kUkService),
                          Identity(SingpassAssertion("urn:singpass:authentication:loa:1")),
                          "openid", "", ""));
}

TEST(PlanReleaseTest, AcrValuesAboveIdentityLevelIsUnmet) {
  auto id = Identity(OneLoginAssertion());
  ExpectUnmet(PlanRelease(Policy(kSgService), id, "openid", "", "http://eidas.europa.eu/LoA/high"));
}

TEST(PlanReleaseTest, AcrValuesAnyOfIsSatisfiedByTheLowest) {
  auto id = Identity(OneLoginAssertion());
  ReleasePlan plan = Plan(kSgService, id, "openid", "",
                          "http://eidas.europa.eu/LoA/high  http://eidas.europa.eu/LoA/substantial");
  EXPECT_EQ(plan.acr, "http://eidas.europa.eu/LoA/substantial");
}

TEST(PlanReleaseTest, LowAcrDoesNotLowerServiceMinimum) {
  ExpectUnmet(PlanRelease(Policy(kSgService), Identity(OneLoginAssertion("P1")), "openid", "",
                          "http://eidas.europa.eu/LoA/low"));
}

TEST(PlanReleaseTest, OnlyUnknownAcrValuesIsUnmet) {
  ExpectUnmet(PlanRelease(Policy(kSgService), Identity(OneLoginAssertion()), "openid", "",
                          "urn:example:loa:gold"));
}

TEST(PlanReleaseTest, TooManyAcrValuesIsInvalid) {
  std::string acr;
  for (int i = 0; i < 17; ++i) acr += "http://eidas.europa.eu/LoA/low ";
  auto r = PlanRelease(Policy(kSgService), Identity(OneLoginAssertion()), "openid", "", acr);
  EXPECT_EQ(r.status().reason(), "bad_acr_values");
}

TEST(PlanReleaseTest, AcrClaimRequestIsARequirement) {
  auto id = Identity(OneLoginAssertion());
  ExpectUnmet(PlanRelease(Policy(kSgService), id, "openid",
                          R"({"id_token":{"acr":{"essential":true,"values":["http://eidas.europa.eu/LoA/high"]}}})",
                          ""));
  EXPECT_TRUE(PlanRelease(Policy(kSgService), id, "openid",
                          R"({"id_token":{"acr":{"value":"http://eidas.europa.eu/LoA/substantial"}}})", "")
                  .ok());
}

TEST(PlanReleaseTest, VerifiedClaimsAssuranceLevelInServiceVocabulary) {
  auto id = Identity(SingpassAssertion());
  constexpr std::string_view kMedium = R"({"userinfo":{"verified_claims":{
      "verification":{"trust_framework":{"value":"uk_diatf"},"assurance_level":{"value":"medium"}},
      "claims":{"given_name":null,"family_name":null}}}})";
  ReleasePlan plan = Plan(kUkService, id, "openid", kMedium);
  EXPECT_EQ(Names(plan), (std::vector<std::string>{"given_name", "family_name"}));
  EXPECT_EQ(plan.assurance_level, "medium");
  constexpr std::string_view kHigh = R"({"userinfo":{"verified_claims":{
      "verification":{"assurance_level":{"value":"high"}},"claims":{"given_name":null}}}})";
  ExpectUnmet(PlanRelease(Policy(kUkService), id, "openid", kHigh, ""));
  constexpr std::string_view kUnknown = R"({"userinfo":{"verified_claims":{
      "verification":{"assurance_level":{"value":"gold"}},"claims":{"given_name":null}}}})";
  ExpectUnmet(PlanRelease(Policy(kUkService), id, "openid", kUnknown, ""));
}

TEST(PlanReleaseTest, EidasTrustFrameworkMayBeAskedForExplicitly) {
  ReleasePlan plan = Plan(kUkService, Identity(SingpassAssertion()), "openid",
                          R"({"userinfo":{"verified_claims":{
                              "verification":{"trust_framework":{"value":"eidas"}},
                              "claims":{"birthdate":null}}}})");
  EXPECT_TRUE(plan.verified_claims);
  EXPECT_EQ(plan.trust_framework, "eidas");
  EXPECT_EQ(plan.assurance_level, "substantial");
}

TEST(PlanReleaseTest, UnmetTrustFrameworkOmitsVerifiedClaims) {
  auto id = Identity(SingpassAssertion());
  ReleasePlan plan = Plan(kUkService, id, "openid profile",
                          R"({"userinfo":{"verified_claims":{
                              "verification":{"trust_framework":{"value":"de_aml"}},
                              "claims":{"birthdate":null}}}})");
  EXPECT_FALSE(plan.verified_claims);
  json::object claims = ReleaseClaims(id, plan, {"birthdate", "given_name"});
  EXPECT_FALSE(claims.contains("verified_claims"));
  EXPECT_EQ(claims.at("birthdate"), json::value("1994-02-28"));
}

TEST(PlanReleaseTest, MalformedClaimsRequestIsAnError) {
  auto r = PlanRelease(Policy(kSgService), Identity(OneLoginAssertion()), "openid", "{", "");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST(ReleaseClaimsTest, VerifiedClaimsStructure) {
  auto id = Identity(OneLoginAssertion());
  ReleasePlan plan = Plan(kSgService, id, "openid profile");
  json::object claims = ReleaseClaims(id, plan, {"given_name", "family_name", "birthdate"});
  EXPECT_EQ(claims.at("given_name"), json::value("Ada Grace"));
  EXPECT_EQ(claims.at("family_name"), json::value("Testwright"));
  EXPECT_EQ(claims.at("birthdate"), json::value("1987-04-12"));
  const json::object& vc = claims.at("verified_claims").as_object();
  const json::object& verification = vc.at("verification").as_object();
  EXPECT_EQ(verification.at("trust_framework"), json::value("eidas"));
  EXPECT_EQ(verification.at("assurance_level"), json::value("substantial"));
  EXPECT_EQ(verification.at("time"), json::value("2026-01-01T00:00:00Z"));
  const json::array& evidence = verification.at("evidence").as_array();
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0].at("type"), json::value("electronic_record"));
  EXPECT_EQ(evidence[0].at("record").at("type"), json::value("uk_one_login_gpg45_medium"));
  EXPECT_EQ(evidence[0].at("record").at("source").at("country_code"), json::value("GBR"));
  EXPECT_EQ(evidence[0].at("record").at("source").at("name"),
            json::value("GOV.UK One Login (Accord sandbox)"));
  const json::object& inner = vc.at("claims").as_object();
  EXPECT_EQ(inner.size(), 3u);
  EXPECT_EQ(inner.at("birthdate"), json::value("1987-04-12"));
}

TEST(ReleaseClaimsTest, OnlyConsentedAttributesAreReleased) {
  auto id = Identity(OneLoginAssertion());
  ReleasePlan plan = Plan(kSgService, id, "openid profile");
  json::object claims = ReleaseClaims(id, plan, {"birthdate", "email", "name"});
  EXPECT_FALSE(claims.contains("given_name"));
  EXPECT_FALSE(claims.contains("name"));  // consented but never planned
  EXPECT_FALSE(claims.contains("email"));
  EXPECT_EQ(claims.at("verified_claims").at("claims").as_object().size(), 1u);
}

TEST(ReleaseClaimsTest, NothingConsentedReleasesNothing) {
  auto id = Identity(OneLoginAssertion());
  ReleasePlan plan = Plan(kSgService, id, "openid profile");
  EXPECT_TRUE(ReleaseClaims(id, plan, {}).empty());
}

TEST(ReleaseClaimsTest, TargetsFollowWhereClaimsWereAsked) {
  auto id = Identity(OneLoginAssertion());
  ReleasePlan plan = Plan(kSgService, id, "openid",
                          R"({"id_token":{"verified_claims":{"verification":{"trust_framework":null},
                                                             "claims":{"given_name":null}}},
                              "userinfo":{"birthdate":null}})");
  std::vector<std::string> all = {"given_name", "birthdate"};
  json::object in_id_token = ReleaseClaimsFor(id, plan, all, ClaimsTarget::kIdToken);
  json::object in_userinfo = ReleaseClaimsFor(id, plan, all, ClaimsTarget::kUserinfo);
  EXPECT_TRUE(in_id_token.contains("given_name"));
  EXPECT_FALSE(in_id_token.contains("birthdate"));
  EXPECT_TRUE(in_userinfo.contains("birthdate"));
  EXPECT_FALSE(in_userinfo.contains("given_name"));
  EXPECT_TRUE(in_id_token.contains("verified_claims"));
}

TEST(ReleaseClaimsTest, SameClaimsAfterIdentityRoundTrip) {
  auto id = Identity(SingpassAssertion());
  auto back = CommonIdentity::FromJson(id.ToJson());
  ASSERT_TRUE(back.ok());
  ReleasePlan plan = Plan(kUkService, id, "openid profile");
  std::vector<std::string> all = {"name", "given_name", "family_name", "birthdate"};
  EXPECT_EQ(json::serialize(ReleaseClaims(id, plan, all)),
            json::serialize(ReleaseClaims(*back, plan, all)));
}

TEST(ReleaseClaimsTest, NoTimeWhenUnknown) {
  Assertion a = SingpassAssertion();
  a.auth_time = 0;
  auto id = Identity(a);
  ReleasePlan plan = Plan(kUkService, id, "openid profile");
  json::object claims = ReleaseClaims(id, plan, {"birthdate"});
  EXPECT_FALSE(claims.at("verified_claims").at("verification").as_object().contains("time"));
}

TEST(ScopeClaimsTest, StandardScopes) {
  auto profile = ScopeClaims("profile");
  EXPECT_NE(std::find(profile.begin(), profile.end(), "birthdate"), profile.end());
  EXPECT_EQ(ScopeClaims("email").size(), 2u);
  EXPECT_EQ(ScopeClaims("birthdate"), std::vector<std::string_view>{"birthdate"});
  EXPECT_TRUE(ScopeClaims("openid").empty());
}

TEST(FormatIsoTimeTest, Utc) {
  EXPECT_EQ(FormatIsoTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoTime(1767225600), "2026-01-01T00:00:00Z");
}

}  // namespace
}  // namespace accord::trust
