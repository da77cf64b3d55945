#include "trust/registry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/testing/temp_dir.h"
#include "trust/test_util.h"

namespace accord::trust {
namespace {

using testing::ShippedRegistry;

constexpr std::string_view kMinimalFrameworks = R"(
[[frameworks]]
id = "uk_diatf"
name = "UK"
country = "GBR"
ida_trust_framework = "uk_diatf"
assurance_terms = { substantial = "medium" }
  [[frameworks.levels]]
  vot_all = ["P2"]
  level = "substantial"
  [[frameworks.attributes]]
  name = "given_name"
  from = [{ pointer = "/given_name" }]

[[frameworks]]
id = "sg_singpass"
name = "SG"
country = "SGP"
ida_trust_framework = "urn:accord:trust_framework:sg_singpass"
  [[frameworks.attributes]]
  name = "national_identifier"
  classification = "high_risk"
  from = [{ pointer = "/sub_attributes/identity_number" }]
  [[frameworks.attributes]]
  name = "given_name"
  from = [{ pointer = "/given_name" }]

[[upstreams]]
id = "sandbox-uk"
framework = "uk_diatf"
country = "GBR"
name = "UK sandbox"

[[upstreams]]
id = "sandbox-sg"
framework = "sg_singpass"
country = "SGP"
name = "SG sandbox"
)";

Status ParseError(std::string_view frameworks, std::string_view services = {}) {
  auto r = TrustRegistry::Parse(frameworks, services);
  EXPECT_FALSE(r.ok());
  return r.status();
}

std::string With(std::string_view extra) { return std::string(kMinimalFrameworks) + std::string(extra); }

ServicePolicy UkService() {
  ServicePolicy p;
  p.client_id = "uk-service";
  p.service_name = "A UK service";
  p.country = "GBR";
  p.accepted_upstreams = {"sandbox-sg"};
  p.allowed_attributes = {{"given_name", "To greet you", false}};
  p.minimum_level = Level::kSubstantial;
  p.trust_framework = "uk_diatf";
  return p;
}

TEST(TrustRegistryTest, LoadsShippedConfiguration) {
  const TrustRegistry& r = ShippedRegistry();
  EXPECT_EQ(r.frameworks().size(), 3u);
  EXPECT_EQ(r.upstreams().size(), 4u);
  ASSERT_EQ(r.policies().size(), 2u);
  const ServicePolicy* sg = r.FindPolicy("sg-mom-employment-pass");
  ASSERT_NE(sg, nullptr);
  EXPECT_EQ(sg->country, "SGP");
  EXPECT_EQ(sg->minimum_level, Level::kSubstantial);
  EXPECT_EQ(sg->accepted_upstreams, (std::vector<std::string>{"sandbox-uk", "onelogin"}));
  ASSERT_EQ(sg->allowed_attributes.size(), 3u);
  EXPECT_EQ(sg->allowed_attributes[2].name, "birthdate");
  EXPECT_FALSE(sg->allowed_attributes[2].purpose.empty());
  const ServicePolicy* uk = r.FindPolicy("uk-hmrc-leaving-uk");
  ASSERT_NE(uk, nullptr);
  EXPECT_EQ(uk->ida_trust_framework, "uk_diatf");
  EXPECT_EQ(uk->assurance_terms.at(Level::kSubstantial), "medium");
  for (const auto& a : uk->allowed_attributes) EXPECT_NE(a.name, "national_identifier");
  EXPECT_EQ(r.FindPolicy("nobody"), nullptr);
  EXPECT_EQ(r.FindUpstream("sandbox-sg")->framework, "sg_singpass");
}

TEST(TrustRegistryTest, MissingDirectoryIsAnError) {
  auto r = TrustRegistry::Load("/nonexistent/trust");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("frameworks.toml"), std::string::npos);
}

TEST(TrustRegistryTest, LoadReadsServicesFileWhenPresent) {
  ::accord::testing::TempDir tmp("accord-trust-registry-test-");
  const std::filesystem::path dir = tmp.path();
  std::ofstream(dir / "frameworks.toml") << kMinimalFrameworks;
  std::ofstream(dir / "services.toml") << "[[services]]\nclient_id = \"x\"\n";
  auto r = TrustRegistry::Load(dir.string());
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("services.toml: services[0].name: required"), std::string::npos)
      << r.status().message();
  std::filesystem::remove(dir / "services.toml");
  EXPECT_TRUE(TrustRegistry::Load(dir.string()).ok());
}

TEST(TrustRegistryTest, TomlSyntaxErrorNamesFileAndLine) {
  Status s = ParseError("[[frameworks]]\nid = \n");
  EXPECT_NE(s.message().find("frameworks.toml: line 2"), std::string::npos) << s.message();
  EXPECT_EQ(s.reason(), "bad_config");
}

TEST(TrustRegistryTest, BadLevelNameNamesKey) {
  std::string text(kMinimalFrameworks);
  text.replace(text.find("level = \"substantial\""), 21, "level = \"medium\"");
  Status s = ParseError(text);
  EXPECT_NE(s.message().find("frameworks.toml: frameworks[0].levels[0].level"), std::string::npos)
      << s.message();
}

TEST(TrustRegistryTest, UnknownKeyIsRejected) {
  Status s = ParseError(With("\n[[frameworks]]\nid = \"x\"\nname = \"x\"\nida_trust_framework = \"x\"\nlevel = 1\n"));
  EXPECT_NE(s.message().find("frameworks[2].level: unknown key"), std::string::npos) << s.message();
}

TEST(TrustRegistryTest, RuleNeedsACondition) {
  Status s = ParseError(With("\n[[frameworks]]\nid = \"x\"\nname = \"x\"\nida_trust_framework = \"x\"\n"
                             "  [[frameworks.levels]]\n  level = \"low\"\n"));
  EXPECT_NE(s.message().find("frameworks[2].levels[0]: needs at least one"), std::string::npos)
      << s.message();
}

TEST(TrustRegistryTest, BadPointerNamesSource) {
  Status s = ParseError(With("\n[[frameworks]]\nid = \"x\"\nname = \"x\"\nida_trust_framework = \"x\"\n"
                             "  [[frameworks.attributes]]\n  name = \"a\"\n  from = [{ pointer = \"a\" }]\n"));
  EXPECT_NE(s.message().find("frameworks[2].attributes[0].from[0]"), std::string::npos) << s.message();
}

TEST(TrustRegistryTest, DuplicateFrameworkIsRejected) {
  Status s = ParseError(With("\n[[frameworks]]\nid = \"uk_diatf\"\nname = \"x\"\nida_trust_framework = \"x\"\n"));
  EXPECT_NE(s.message().find("duplicate framework"), std::string::npos);
}

TEST(TrustRegistryTest, UpstreamNeedsKnownFrameworkAndCountry) {
  Status s = ParseError(With("\n[[upstreams]]\nid = \"u\"\nframework = \"nope\"\ncountry = \"GBR\"\nname = \"u\"\n"));
  EXPECT_NE(s.message().find("upstreams[2].framework: unknown framework"), std::string::npos);
  s = ParseError(With("\n[[upstreams]]\nid = \"u\"\nframework = \"uk_diatf\"\ncountry = \"SGP\"\nname = \"u\"\n"));
  EXPECT_NE(s.message().find("upstreams[2].country"), std::string::npos);
  s = ParseError(With("\n[[upstreams]]\nid = \"u\"\nframework = \"uk_diatf\"\ncountry = \"uk\"\nname = \"u\"\n"));
  EXPECT_NE(s.message().find("alpha-3"), std::string::npos);
}

TEST(TrustRegistryTest, HighRiskAttributeNeverCrossesBorder) {
  auto r = TrustRegistry::Parse(kMinimalFrameworks, "");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ServicePolicy p = UkService();
  p.allowed_attributes.push_back({"national_identifier", "To find your record", false});
  Status s = r->AddPolicy(p);
  EXPECT_EQ(s.reason(), "bad_config");
  EXPECT_NE(s.message().find("attributes[1].name: high-risk"), std::string::npos) << s.message();
  // A Singapore service may receive the NRIC/FIN from Singpass.
  p.client_id = "sg-domestic";
  p.country = "SGP";
  EXPECT_TRUE(r->AddPolicy(p).ok());
}

TEST(TrustRegistryTest, ShippedServicesRejectNricForUkService) {
  std::string services = R"(
[[services]]
client_id = "uk"
name = "UK"
country = "GBR"
accepted_upstreams = ["sandbox-sg"]
  [[services.attributes]]
  name = "national_identifier"
  purpose = "No"
)";
  Status s = ParseError(kMinimalFrameworks, services);
  EXPECT_NE(s.message().find("services.toml: services[0].attributes[0].name: high-risk"),
            std::string::npos)
      << s.message();
}

TEST(TrustRegistryTest, AddPolicyValidates) {
  auto r = TrustRegistry::Parse(kMinimalFrameworks, "");
  ASSERT_TRUE(r.ok());
  ServicePolicy p = UkService();
  p.accepted_upstreams = {"nowhere"};
  EXPECT_NE(r->AddPolicy(p).message().find("accepted_upstreams[0]: unknown upstream"), std::string::npos);
  p = UkService();
  p.allowed_attributes.push_back({"shoe_size", "Fit", false});
  EXPECT_NE(r->AddPolicy(p).message().find("no accepted upstream"), std::string::npos);
  p = UkService();
  p.allowed_attributes[0].purpose.clear();
  EXPECT_FALSE(r->AddPolicy(p).ok());
  p = UkService();
  p.minimum_level = Level::kNone;
  EXPECT_FALSE(r->AddPolicy(p).ok());
  p = UkService();
  p.trust_framework = "unknown";
  EXPECT_FALSE(r->AddPolicy(p).ok());
  p = UkService();
  p.country = "GB";
  EXPECT_FALSE(r->AddPolicy(p).ok());
}

TEST(TrustRegistryTest, AddPolicyFillsVocabularyAndRejectsDuplicates) {
  auto r = TrustRegistry::Parse(kMinimalFrameworks, "");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->AddPolicy(UkService()).ok());
  const ServicePolicy* p = r->FindPolicy("uk-service");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->ida_trust_framework, "uk_diatf");
  EXPECT_EQ(p->assurance_terms.at(Level::kSubstantial), "medium");
  Status again = r->AddPolicy(UkService());
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
}

TEST(TrustRegistryTest, ServiceBadMinimumLevelNamesKey) {
  std::string services = R"(
[[services]]
client_id = "uk"
name = "UK"
country = "GBR"
accepted_upstreams = ["sandbox-sg"]
minimum_level = "medium"
)";
  Status s = ParseError(kMinimalFrameworks, services);
  EXPECT_NE(s.message().find("services.toml: services[0].minimum_level"), std::string::npos);
}

}  // namespace
}  // namespace accord::trust
