#include "datasec/runtime_wiring.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "common/base64url.h"
#include "common/testing/temp_dir.h"
#include "crypto/random.h"
#include "datasec/sealing_store.h"
#include "store/token_hash.h"

namespace accord::datasec {
namespace {

constexpr int64_t kNow = 1800000000;
const std::string kPolicyDir = std::string(ACCORD_SOURCE_DIR) + "/data/datasec";

toml::table Toml(std::string_view text) { return toml::parse(text); }

class RuntimeWiringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kek_ = crypto::RandomSecret(32);
    ASSERT_TRUE(WriteKeyRingFile((dir_ / "kek").string(), {{"kek-1", &kek_}}, "kek-1").ok());
  }

  DatasecSettings Settings(std::string_view environment = "") {
    std::string text =
        "[keys]\nkek_file = \"kek\"\n[datasec]\npolicy_dir = \"" + kPolicyDir + "\"\n";
    if (!environment.empty()) text += "environment = \"" + std::string(environment) + "\"\n";
    auto s = ParseDatasecSettings(Toml(text), dir_.string());
    EXPECT_TRUE(s.ok()) << s.status().message();
    return *s;
  }

  ::accord::testing::TempDir tmp_{"accord-wiring-"};
  std::filesystem::path dir_ = tmp_.path();
  crypto::SecretBytes kek_;
  FixedClock clock_{kNow};
};

TEST_F(RuntimeWiringTest, ParsesSectionAndResolvesPaths) {
  auto s = ParseDatasecSettings(Toml("[keys]\nkek_file = \"k\"\n[datasec]\npolicy_dir = \"p\"\n"
                                     "environment = \"on-premises\"\nkek_file = \"ring\"\n"
                                     "sweep_interval = \"5m\"\n"),
                                "/etc/accord");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(s->configured);
  EXPECT_EQ(s->policy_dir, "/etc/accord/p");
  EXPECT_EQ(s->environment, "on-premises");
  EXPECT_EQ(s->kek_file, "/etc/accord/ring");  // its own ring wins over [keys]
  EXPECT_EQ(s->sweep_interval_seconds, 300);
}

TEST_F(RuntimeWiringTest, FallsBackToTheProvidersKek) {
  auto s = ParseDatasecSettings(Toml("[keys]\nkek_env = \"MY_KEK\"\n"), "/x");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_FALSE(s->configured);
  EXPECT_EQ(s->kek_env, "MY_KEK");
  EXPECT_TRUE(s->kek_file.empty());
}

TEST_F(RuntimeWiringTest, ErrorsNameTheKey) {
  auto unknown = ParseDatasecSettings(Toml("[keys]\nkek_file = \"k\"\n[datasec]\npolicy_dir = "
                                           "\"p\"\nenviron = \"x\"\n"), "");
  EXPECT_EQ(unknown.status().message(), "datasec.environ: unknown key");
  auto missing = ParseDatasecSettings(Toml("[keys]\nkek_file = \"k\"\n[datasec]\n"), "");
  EXPECT_EQ(missing.status().message(), "datasec.policy_dir: required");
  auto typed =
      ParseDatasecSettings(Toml("[keys]\nkek_file = \"k\"\n[datasec]\npolicy_dir = 3\n"), "");
  EXPECT_EQ(typed.status().message(), "datasec.policy_dir: must be a string");
  auto interval = ParseDatasecSettings(
      Toml("[keys]\nkek_file = \"k\"\n[datasec]\npolicy_dir = \"p\"\nsweep_interval = \"9y\"\n"),
      "");
  EXPECT_NE(interval.status().message().find("datasec.sweep_interval"), std::string::npos);
  auto no_kek = ParseDatasecSettings(Toml("[datasec]\npolicy_dir = \"p\"\n"), "");
  EXPECT_NE(no_kek.status().message().find("datasec.kek_file"), std::string::npos);
}

TEST_F(RuntimeWiringTest, UnknownEnvironmentIsNamedWithTheKnownOnes) {
  auto p = StoreProtection::Open(Settings("moon-base"), {}, &clock_);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("datasec.environment: unknown environment \"moon-base\""),
            std::string::npos);
  EXPECT_NE(p.status().message().find("sg-geofenced-dedicated"), std::string::npos);
}

TEST_F(RuntimeWiringTest, RefusesToStartWhenTheEnvironmentCannotHoldWhatIsKept) {
  auto p = StoreProtection::Open(Settings("uk-public-cloud"), {}, &clock_);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(p.status().reason(), "placement_denied");
  EXPECT_NE(p.status().message().find("record type sessions"), std::string::npos)
      << p.status().message();
  EXPECT_NE(p.status().message().find("uk-public-cloud"), std::string::npos);
}

TEST_F(RuntimeWiringTest, RefusesToStartWhenAHeldAttributeDoesNotFit) {
  auto p = StoreProtection::Open(Settings(), {"given_name", "blood_group"}, &clock_);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("attribute blood_group (unclassified"), std::string::npos)
      << p.status().message();
  EXPECT_NE(p.status().message().find("sg-geofenced-dedicated"), std::string::npos);
}

TEST_F(RuntimeWiringTest, ShippedDeploymentOpensAndSealsTheStore) {
  auto p = StoreProtection::Open(Settings(), {"given_name", "national_identifier"}, &clock_);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ((*p)->environment()->id, "sg-geofenced-dedicated");
  store::StoreConfig config;
  config.sqlite_path = (dir_ / "accord.db").string();
  auto inner = store::OpenStore(config);
  ASSERT_TRUE(inner.ok());
  std::unique_ptr<store::Store> sealed = (*p)->Seal(std::move(*inner));
  store::Session s;
  s.sid = "sid-1";
  s.secret_hash = store::HashToken("cookie");
  s.subject = "subject";
  s.auth_time = s.created_at = kNow;
  s.expires_at = kNow + 3600;
  s.identity_json = R"({"given_name":"Amelia"})";
  ASSERT_TRUE(sealed->CreateSession(s).ok());
  auto raw = static_cast<SealingStore&>(*sealed).inner().GetSessionBySid("sid-1", kNow);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->identity_json.rfind("acf1.kek-1.", 0), 0u);
  auto back = sealed->GetSessionBySid("sid-1", kNow);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->identity_json, s.identity_json);
}

TEST_F(RuntimeWiringTest, GatewayConfigChecksEveryTrustFrameworkAttribute) {
  std::string text = "[keys]\nkek_file = \"kek\"\n[broker]\ntrust_dir = \"" +
                     std::string(ACCORD_SOURCE_DIR) + "/data/trust\"\n[datasec]\npolicy_dir = \"" +
                     kPolicyDir + "\"\n";
  auto p = OpenStoreProtection(Toml(text), dir_.string(), &clock_);
  ASSERT_TRUE(p.ok()) << p.status().message();
  // Every framework attribute was checked, so none is left unclassified by the shipped config.
  for (const auto& item : (*p)->placement()->classification().Unclassified()) ADD_FAILURE() << item;
  auto bad = OpenStoreProtection(Toml(text + "environment = \"on-premises\"\n"), dir_.string(),
                                 &clock_);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("on-premises"), std::string::npos);
}

TEST_F(RuntimeWiringTest, ReportListsUnclassifiedItems) {
  auto p = StoreProtection::Open(Settings(), {}, &clock_);
  ASSERT_TRUE(p.ok()) << p.status().message();
  (void)(*p)->placement()->classification().Classify(ItemKind::kAttribute, "shoe_size");
  bool found = false;
  for (const auto& line : (*p)->Report(nullptr)) {
    found = found || line.find("unclassified attribute:shoe_size") != std::string::npos;
  }
  EXPECT_TRUE(found);
}

TEST_F(RuntimeWiringTest, WithoutSectionSealsButReportsNoPlacement) {
  auto s = ParseDatasecSettings(Toml("[keys]\nkek_file = \"kek\"\n"), dir_.string());
  ASSERT_TRUE(s.ok());
  auto p = StoreProtection::Open(*s, {"blood_group"}, &clock_);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ((*p)->placement(), nullptr);
  EXPECT_EQ((*p)->keks().CurrentKekId(), "kek-1");
  auto lines = (*p)->Report(nullptr);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find("placement policy not checked"), std::string::npos);
}

TEST_F(RuntimeWiringTest, BareKeyInEnvironmentVariableIsKekDefault) {
  std::string value = Base64UrlEncode(kek_.view());
  ASSERT_EQ(::setenv("ACCORD_WIRING_TEST_KEK", value.c_str(), 1), 0);
  DatasecSettings s;
  s.kek_env = "ACCORD_WIRING_TEST_KEK";
  auto ring = LoadKeyRing(s);
  ASSERT_TRUE(ring.ok()) << ring.status().message();
  EXPECT_EQ((*ring)->CurrentKekId(), "default");
  ::unsetenv("ACCORD_WIRING_TEST_KEK");
  auto unset = LoadKeyRing(s);
  EXPECT_NE(unset.status().message().find("ACCORD_WIRING_TEST_KEK is not set"), std::string::npos);
}

TEST_F(RuntimeWiringTest, ReloadPicksUpAStagedKek) {
  DatasecSettings s = Settings();
  s.sweep_interval_seconds = 1;
  auto p = StoreProtection::Open(s, {}, &clock_);
  ASSERT_TRUE(p.ok()) << p.status().message();
  (*p)->StartReload();
  crypto::SecretBytes staged = crypto::RandomSecret(32);
  ASSERT_TRUE(WriteKeyRingFile((dir_ / "kek").string(), {{"kek-1", &kek_}, {"kek-2", &staged}},
                               "kek-1").ok());
  bool seen = false;
  for (int i = 0; i < 50 && !seen; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto ids = (*p)->keks().Ids();
    seen = std::find(ids.begin(), ids.end(), "kek-2") != ids.end();
  }
  (*p)->StopReload();
  EXPECT_TRUE(seen);
  EXPECT_EQ((*p)->keks().CurrentKekId(), "kek-1");
  EXPECT_EQ((*p)->reload_failures(), 0);
}

}  // namespace
}  // namespace accord::datasec
