#include "oidc/provider/national_config.h"

#include <gtest/gtest.h>

#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

std::string Jwks(std::initializer_list<jose::Jwk> keys) {
  jose::Jwks set;
  for (const auto& k : keys) set.Add(k.PublicOnly());
  return set.ToPublicJson();
}

jose::Jwk EncKey() {
  jose::Jwk k = testing::NewEcKey("enc-1");
  k.set_use("enc");
  return k;
}

std::string Toml(std::string_view top, std::string_view client, std::string_view extra = "") {
  return std::string(top) +
         "\nissuer = \"http://127.0.0.1:8081\"\n[keys]\nkek_env = \"X\"\n" + std::string(extra) +
         "\n[[clients]]\nclient_id = \"rp\"\nredirect_uris = [\"http://localhost:3000/cb\"]\n" +
         std::string(client);
}

TEST(NationalConfigTest, DefaultsToAccordProfile) {
  auto cfg = ParseConfig(Toml("", "jwks = '''" + Jwks({testing::NewEcKey("s")}) + "'''\n"));
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->profile, "accord");
  EXPECT_EQ(cfg->key_owner, "accord");
}

TEST(NationalConfigTest, OneLoginDefaultsFromTheIssuer) {
  auto cfg = ParseConfig(Toml("profile = \"onelogin\"\nkey_owner = \"sandbox-uk\"",
                              "scopes = [\"openid\", \"email\", \"phone\"]\njwks = '''" +
                                  Jwks({testing::NewEcKey("s")}) + "'''\n"));
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->profile, "onelogin");
  EXPECT_EQ(cfg->key_owner, "sandbox-uk");
  EXPECT_EQ(cfg->onelogin_did, "did:web:127.0.0.1%3A8081");
  EXPECT_EQ(cfg->onelogin_identity_issuer, "http://127.0.0.1:8081/");
  EXPECT_EQ(cfg->onelogin_identity_key_owner, "sandbox-uk-identity");
}

TEST(NationalConfigTest, OneLoginTableOverrides) {
  auto cfg = ParseConfig(Toml("profile = \"onelogin\"", "jwks = '''" + Jwks({testing::NewEcKey("s")}) + "'''\n",
                              "[onelogin]\ndid = \"did:web:identity.example\"\n"
                              "identity_issuer = \"https://identity.example/\"\n"
                              "identity_key_owner = \"uk-core\"\n"));
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->onelogin_did, "did:web:identity.example");
  EXPECT_EQ(cfg->onelogin_identity_issuer, "https://identity.example/");
  EXPECT_EQ(cfg->onelogin_identity_key_owner, "uk-core");
}

TEST(NationalConfigTest, UnknownProfileNamed) {
  auto cfg = ParseConfig(Toml("profile = \"eidas\"", "jwks = '''" + Jwks({testing::NewEcKey("s")}) + "'''\n"));
  ASSERT_FALSE(cfg.ok());
  EXPECT_TRUE(cfg.status().message().starts_with("profile:")) << cfg.status().message();
}

TEST(NationalConfigTest, OneLoginTableNeedsOneLoginProfile) {
  auto cfg = ParseConfig(Toml("", "jwks = '''" + Jwks({testing::NewEcKey("s")}) + "'''\n",
                              "[onelogin]\ndid = \"did:web:x\"\n"));
  ASSERT_FALSE(cfg.ok());
  EXPECT_TRUE(cfg.status().message().starts_with("onelogin:")) << cfg.status().message();
}

TEST(NationalConfigTest, BadDidRejected) {
  auto cfg = ParseConfig(Toml("profile = \"onelogin\"", "jwks = '''" + Jwks({testing::NewEcKey("s")}) + "'''\n",
                              "[onelogin]\ndid = \"did:key:abc\"\n"));
  ASSERT_FALSE(cfg.ok());
  EXPECT_TRUE(cfg.status().message().starts_with("onelogin.did:")) << cfg.status().message();
}

TEST(NationalConfigTest, BadKeyOwnerRejected) {
  auto cfg = ParseConfig(Toml("key_owner = \"Has Space\"", "jwks = '''" + Jwks({testing::NewEcKey("s")}) + "'''\n"));
  ASSERT_FALSE(cfg.ok());
  EXPECT_TRUE(cfg.status().message().starts_with("key_owner:"));
}

TEST(NationalConfigTest, ScopeOfAnotherProfileRejected) {
  auto cfg = ParseConfig(Toml("profile = \"onelogin\"", "scopes = [\"openid\", \"user.identity\"]\njwks = '''" +
                                                            Jwks({testing::NewEcKey("s")}) + "'''\n"));
  ASSERT_FALSE(cfg.ok());
  EXPECT_TRUE(cfg.status().message().starts_with("clients[0].scopes[1]:")) << cfg.status().message();
}

TEST(NationalConfigTest, SingpassClientWithoutEncKeyRefused) {
  auto cfg = ParseConfig(Toml("profile = \"singpass\"", "profile = \"fapi2\"\njwks = '''" +
                                                            Jwks({testing::NewEcKey("s")}) + "'''\n"));
  ASSERT_FALSE(cfg.ok());
  EXPECT_TRUE(cfg.status().message().starts_with("clients[0].jwks:")) << cfg.status().message();
}

TEST(NationalConfigTest, SingpassClientMustBeFapi2) {
  auto cfg = ParseConfig(Toml("profile = \"singpass\"", "profile = \"oidc\"\njwks = '''" +
                                                            Jwks({testing::NewEcKey("s"), EncKey()}) + "'''\n"));
  ASSERT_FALSE(cfg.ok());
  EXPECT_TRUE(cfg.status().message().starts_with("clients[0].profile:")) << cfg.status().message();
}

TEST(NationalConfigTest, SingpassClientWithEncKeyAccepted) {
  auto cfg = ParseConfig(Toml("profile = \"singpass\"",
                              "profile = \"fapi2\"\nscopes = [\"openid\", \"user.identity\", \"name\"]\n"
                              "jwks = '''" + Jwks({testing::NewEcKey("s"), EncKey()}) + "'''\n"));
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->profile, "singpass");
}

}  // namespace
}  // namespace accord::oidc
