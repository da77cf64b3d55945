#include "oidc/connectors/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/testing/temp_dir.h"
#include "crypto/keys.h"

namespace accord::oidc::connectors {
namespace {

class ParseUpstreamsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write("ec.jwk", PrivateJson(jose::Jwk::FromPrivateKey(
                        *crypto::PrivateKey::GenerateEc(crypto::Curve::kP256))));
    Write("enc.jwk", PrivateJson(jose::Jwk::FromPrivateKey(
                         *crypto::PrivateKey::GenerateEc(crypto::Curve::kP256))));
    Write("public.jwk", jose::Jwk::FromPrivateKey(
                            *crypto::PrivateKey::GenerateEc(crypto::Curve::kP256))
                            .ToPublicJson());
  }
  static std::string PrivateJson(const jose::Jwk& k) {
    auto s = k.ToPrivateJson();
    return std::string(AsStringView(s->view()));
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  Result<std::vector<UpstreamConfig>> Parse(std::string_view toml_text) {
    toml::table root = toml::parse(toml_text);
    return ParseUpstreams(*root["upstreams"].as_array(), dir_.string());
  }

  ::accord::testing::TempDir tmp_{"accord-connectors-config-"};
  std::filesystem::path dir_ = tmp_.path();
};

constexpr std::string_view kSingpass = R"(
[[upstreams]]
id = "sandbox-sg"
kind = "singpass"
issuer = "http://127.0.0.1:8082"
client_id = "accord"
redirect_uri = "http://127.0.0.1:8080/upstream/callback/sandbox-sg"
scope = "openid user.identity name"
signing_key_file = "ec.jwk"
encryption_key_file = "enc.jwk"
timeout_ms = 3000
)";

TEST_F(ParseUpstreamsTest, ParsesSingpassWithDefaults) {
  auto parsed = Parse(kSingpass);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->size(), 1u);
  const UpstreamConfig& c = parsed->front();
  EXPECT_EQ(c.kind, UpstreamKind::kSingpass);
  EXPECT_EQ(c.country, "SGP");
  EXPECT_TRUE(c.use_par);
  EXPECT_TRUE(c.use_dpop);
  EXPECT_TRUE(c.encryption_key.has_value());
  EXPECT_EQ(c.timeout_ms, 3000);
  EXPECT_EQ(c.DiscoveryUrl(), "http://127.0.0.1:8082/.well-known/openid-configuration");
}

TEST_F(ParseUpstreamsTest, ErrorsNameTheKey) {
  std::string text(kSingpass);
  text.replace(text.find("http://127.0.0.1:8082"), 21, "ftp://x");
  auto parsed = Parse(text);
  EXPECT_EQ(parsed.status().reason(), "bad_config");
  EXPECT_EQ(parsed.status().message().rfind("upstreams[0].issuer: ", 0), 0u)
      << parsed.status().message();
}

TEST_F(ParseUpstreamsTest, RejectsPublicOnlyKeyFile) {
  std::string text(kSingpass);
  text.replace(text.find("\"ec.jwk\""), 8, "\"public.jwk\"");
  auto parsed = Parse(text);
  EXPECT_EQ(parsed.status().message().rfind("upstreams[0].signing_key_file: ", 0), 0u)
      << parsed.status().message();
}

TEST_F(ParseUpstreamsTest, RejectsMissingKeyFile) {
  std::string text(kSingpass);
  text.replace(text.find("\"enc.jwk\""), 9, "\"missing.jwk\"");
  auto parsed = Parse(text);
  EXPECT_EQ(parsed.status().message(), "upstreams[0].encryption_key_file: cannot read the file");
}

TEST_F(ParseUpstreamsTest, RejectsSingpassWithoutDpop) {
  auto parsed = Parse(std::string(kSingpass) + "use_dpop = false\n");
  EXPECT_EQ(parsed.status().reason(), "bad_config");
}

TEST_F(ParseUpstreamsTest, RejectsOneLoginWithEcKey) {
  std::string text(kSingpass);
  text.replace(text.find("\"singpass\""), 10, "\"onelogin\"");
  auto parsed = Parse(text);
  EXPECT_EQ(parsed.status().message().rfind("upstreams[0].signing_key_file: ", 0), 0u)
      << parsed.status().message();
}

TEST_F(ParseUpstreamsTest, RejectsDuplicateIds) {
  auto parsed = Parse(std::string(kSingpass) + std::string(kSingpass));
  EXPECT_EQ(parsed.status().message(), "upstreams[1].id: duplicate id");
}

TEST_F(ParseUpstreamsTest, RejectsUnknownKind) {
  std::string text(kSingpass);
  text.replace(text.find("\"singpass\""), 10, "\"saml\"");
  EXPECT_EQ(Parse(text).status().message().rfind("upstreams[0].kind: ", 0), 0u);
}

TEST_F(ParseUpstreamsTest, RejectsScopeWithoutOpenid) {
  std::string text(kSingpass);
  text.replace(text.find("openid user.identity"), 6, "profile");
  EXPECT_EQ(Parse(text).status().message().rfind("upstreams[0].scope: ", 0), 0u);
}

TEST_F(ParseUpstreamsTest, RejectsTimeoutOutOfRange) {
  std::string text(kSingpass);
  text.replace(text.find("3000"), 4, "0");
  EXPECT_EQ(Parse(text).status().message().rfind("upstreams[0].timeout_ms: ", 0), 0u);
}

}  // namespace
}  // namespace accord::oidc::connectors
