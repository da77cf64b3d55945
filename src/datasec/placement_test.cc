#include "datasec/placement.h"

#include <gtest/gtest.h>

#include "trust/registry.h"

namespace accord::datasec {
namespace {

constexpr char kClasses[] = R"toml(
[classes.ordinary]
uk = "OFFICIAL"
sg_classification = "Restricted"
sg_sensitivity = "Sensitive (Normal)"
[classes.high_risk]
uk = "OFFICIAL-SENSITIVE"
sg_classification = "Confidential (Cloud-Eligible)"
sg_sensitivity = "Sensitive (High)"
[classes.secret]
uk = "SECRET"
sg_classification = "Secret"
sg_sensitivity = "Sensitive (High)"
[attributes]
given_name = "ordinary"
national_identifier = "high_risk"
defence_clearance = "secret"
[records]
sessions = "high_risk"
consents = "ordinary"
)toml";

constexpr char kEnvs[] = R"toml(
[[environments]]
id = "sg-gcc-sg-region"
name = "GCC"
country = "SGP"
max_uk = "OFFICIAL"
max_sg_classification = "Restricted"
max_sg_sensitivity = "Sensitive (Normal)"
[[environments]]
id = "sg-geofenced-dedicated"
name = "geofenced"
country = "SGP"
max_uk = "OFFICIAL-SENSITIVE"
max_sg_classification = "Confidential (Cloud-Eligible)"
max_sg_sensitivity = "Sensitive (High)"
[deployment]
environment = "sg-geofenced-dedicated"
keep = ["sessions", "consents"]
[services.sg-mom-employment-pass]
environment = "sg-gcc-sg-region"
)toml";

PlacementPolicy MakePolicy(std::string_view envs = kEnvs) {
  auto p = PlacementPolicy::Parse(kClasses, envs);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return std::move(*p);
}

TEST(PlacementTest, ReleasesOrdinaryAttributeToGcc) {
  EXPECT_TRUE(MakePolicy().CheckRelease("sg-mom-employment-pass", "given_name").ok());
}

TEST(PlacementTest, DeniesHighRiskAttributeToGccNamingClassAndEnvironment) {
  Status s = MakePolicy().CheckRelease("sg-mom-employment-pass", "national_identifier");
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.reason(), "placement_denied");
  EXPECT_NE(s.message().find("national_identifier"), std::string::npos);
  EXPECT_NE(s.message().find("high_risk"), std::string::npos);
  EXPECT_NE(s.message().find("sg-gcc-sg-region"), std::string::npos);
}

TEST(PlacementTest, NeverReleasesSecret) {
  Status s = MakePolicy().CheckRelease("sg-mom-employment-pass", "defence_clearance");
  EXPECT_EQ(s.reason(), "placement_denied");
  EXPECT_NE(s.message().find("SECRET"), std::string::npos);
}

TEST(PlacementTest, DeniesUnclassifiedAttribute) {
  Status s = MakePolicy().CheckRelease("sg-mom-employment-pass", "health_status");
  EXPECT_EQ(s.reason(), "placement_denied");
  EXPECT_NE(s.message().find("unclassified"), std::string::npos);
}

TEST(PlacementTest, DeniesServiceWithoutEnvironment) {
  Status s = MakePolicy().CheckRelease("unknown-service", "given_name");
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("declares no hosting environment"), std::string::npos);
}

TEST(PlacementTest, DeploymentHoldsKeptRecords) {
  EXPECT_TRUE(MakePolicy().CheckDeployment().ok());
}

TEST(PlacementTest, DeploymentRefusesRecordItCannotHold) {
  std::string envs = kEnvs;
  envs.replace(envs.find("environment = \"sg-geofenced-dedicated\""),
               std::string("environment = \"sg-geofenced-dedicated\"").size(),
               "environment = \"sg-gcc-sg-region\"");
  Status s = MakePolicy(envs).CheckDeployment();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("record type sessions"), std::string::npos);
  EXPECT_NE(s.message().find("Sensitive (High)"), std::string::npos);
}

TEST(PlacementTest, EnvironmentMayNotDeclareSecretCeiling) {
  std::string envs = kEnvs;
  envs.replace(envs.find("max_uk = \"OFFICIAL\""), std::string("max_uk = \"OFFICIAL\"").size(),
               "max_uk = \"SECRET\"");
  auto p = PlacementPolicy::Parse(kClasses, envs);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("environments.toml: environments[0]"), std::string::npos);
}

TEST(PlacementTest, UnknownServiceEnvironmentNamesKey) {
  std::string envs = std::string(kEnvs) + "[services.x]\nenvironment = \"mars\"\n";
  auto p = PlacementPolicy::Parse(kClasses, envs);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("services.x.environment"), std::string::npos);
}

TEST(PlacementTest, UnknownKeptRecordNamesKey) {
  std::string envs = kEnvs;
  envs.replace(envs.find("\"consents\"]"), 11, "\"cookies\"]");
  auto p = PlacementPolicy::Parse(kClasses, envs);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("deployment.keep[1]"), std::string::npos);
}

TEST(PlacementTest, ViolationsListSecretAndUnclassified) {
  auto v = MakePolicy().Violations(nullptr);
  bool secret = false, unclassified = false;
  for (const auto& x : v) {
    if (x.subject == "attribute:defence_clearance") secret = true;
    if (x.subject == "record:auth_codes") unclassified = true;
  }
  EXPECT_TRUE(secret);
  EXPECT_TRUE(unclassified);
}

TEST(PlacementTest, ShippedConfigHasNoViolations) {
  auto p = PlacementPolicy::Load(ACCORD_SOURCE_DIR "/data/datasec");
  ASSERT_TRUE(p.ok()) << p.status().message();
  auto registry = trust::TrustRegistry::Load(ACCORD_SOURCE_DIR "/data/trust");
  ASSERT_TRUE(registry.ok()) << registry.status().message();
  auto v = p->Violations(&*registry);
  for (const auto& x : v) ADD_FAILURE() << x.subject << ": " << x.message;
  EXPECT_TRUE(p->CheckDeployment().ok());
  EXPECT_TRUE(p->CheckRelease("uk-hmrc-leaving-uk", "birthdate").ok());
  EXPECT_FALSE(p->CheckRelease("sg-mom-employment-pass", "passport_number").ok());
}

}  // namespace
}  // namespace accord::datasec
