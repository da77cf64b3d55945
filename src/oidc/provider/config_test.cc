#include "oidc/provider/config.h"

#include <gtest/gtest.h>

#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

using testing::NewEcKey;

std::string Jwks() {
  jose::Jwks set;
  set.Add(NewEcKey("k1").PublicOnly());
  return set.ToPublicJson();
}

std::string Client(std::string_view extra, std::string_view redirect = "https://rp.example/cb") {
  return "[[clients]]\nclient_id = \"c\"\nprofile = \"oidc\"\nredirect_uris = [\"" +
         std::string(redirect) + "\"]\njwks = '''" + Jwks() + "'''\n" + std::string(extra);
}

std::string Base(std::string_view issuer = "https://op.example") {
  return "issuer = \"" + std::string(issuer) + "\"\n[keys]\nkek_env = \"ACCORD_KEK\"\n";
}

std::string ErrorOf(std::string_view toml) {
  auto r = ParseConfig(toml);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "bad_config");
  return r.status().message();
}

TEST(ConfigTest, ParsesValidConfigWithDefaults) {
  auto r = ParseConfig(Base() + Client(""));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->issuer, "https://op.example");
  ASSERT_EQ(r->clients.size(), 1u);
  EXPECT_EQ(r->clients[0].sector_identifier, "rp.example");
  EXPECT_EQ(r->clients[0].id_token_alg, crypto::SignatureAlgorithm::kEs256);
  EXPECT_EQ(r->store.sqlite_path, "./var/accord.db");
  EXPECT_NE(r->FindClient("c"), nullptr);
}

TEST(ConfigTest, RedirectUriMustBeHttpsNamesTheKey) {
  EXPECT_EQ(ErrorOf(Base() + Client("", "http://rp.example/cb")),
            "clients[0].redirect_uris[0]: must be an absolute https URL (http allowed only for "
            "localhost)");
}

TEST(ConfigTest, HttpLocalhostRedirectAllowed) {
  EXPECT_TRUE(ParseConfig(Base() + Client("", "http://localhost:3000/cb")).ok());
}

TEST(ConfigTest, RedirectUriWithFragmentRejected) {
  EXPECT_EQ(ErrorOf(Base() + Client("", "https://rp.example/cb#x")),
            "clients[0].redirect_uris[0]: must not have a fragment");
}

TEST(ConfigTest, IssuerMustBeHttps) {
  EXPECT_NE(ErrorOf(Base("http://op.example") + Client("")).find("issuer: "), std::string::npos);
}

TEST(ConfigTest, UnknownProfileRejected) {
  std::string toml = Base() + Client("");
  toml.replace(toml.find("\"oidc\""), 6, "\"fapi3\"");
  EXPECT_EQ(ErrorOf(toml), "clients[0].profile: must be \"fapi2\" or \"oidc\"");
}

TEST(ConfigTest, BadAlgorithmRejected) {
  EXPECT_EQ(ErrorOf(Base() + Client("id_token_signed_response_alg = \"HS256\"\n")),
            "clients[0].id_token_signed_response_alg: must be \"ES256\" or \"PS256\"");
}

TEST(ConfigTest, UnknownClientKeyRejected) {
  EXPECT_EQ(ErrorOf(Base() + Client("colour = \"red\"\n")), "clients[0].colour: unknown key");
}

TEST(ConfigTest, DuplicateClientIdRejected) {
  EXPECT_EQ(ErrorOf(Base() + Client("") + Client("")), "clients[1].client_id: duplicate client_id");
}

TEST(ConfigTest, MissingJwksRejected) {
  std::string toml = Base() +
                     "[[clients]]\nclient_id = \"c\"\nredirect_uris = [\"https://rp.example/cb\"]\n";
  EXPECT_EQ(ErrorOf(toml), "clients[0].jwks: exactly one of jwks, jwks_file or jwks_uri is required");
}

TEST(ConfigTest, JwksUriAccepted) {
  std::string toml = Base() +
                     "[[clients]]\nclient_id = \"c\"\nredirect_uris = [\"https://rp.example/cb\"]\n"
                     "jwks_uri = \"https://rp.example/jwks\"\n";
  auto r = ParseConfig(toml);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->clients[0].jwks_uri, "https://rp.example/jwks");
}

TEST(ConfigTest, PlainHttpJwksUriRejected) {
  std::string toml = Base() +
                     "[[clients]]\nclient_id = \"c\"\nredirect_uris = [\"https://rp.example/cb\"]\n"
                     "jwks_uri = \"http://rp.example/jwks\"\n";
  EXPECT_EQ(ErrorOf(toml),
            "clients[0].jwks_uri: must be an absolute https URL (http allowed only for localhost)");
}

TEST(ConfigTest, PrivateKeyInJwksRejected) {
  jose::Jwks set;
  set.Add(NewEcKey("k"));
  auto priv = set.keys()[0].ToPrivateJson();
  ASSERT_TRUE(priv.ok());
  std::string toml = Base() +
                     "[[clients]]\nclient_id = \"c\"\nredirect_uris = [\"https://rp.example/cb\"]\n"
                     "jwks = '''{\"keys\":[" + std::string(AsStringView(priv->view())) + "]}'''\n";
  EXPECT_NE(ErrorOf(toml).find("clients[0].jwks: not a public JWK Set"), std::string::npos);
}

TEST(ConfigTest, ScopesMustIncludeOpenid) {
  EXPECT_EQ(ErrorOf(Base() + Client("scopes = [\"profile\"]\n")),
            "clients[0].scopes: must include \"openid\"");
}

TEST(ConfigTest, KekSourceRequired) {
  EXPECT_EQ(ErrorOf("issuer = \"https://op.example\"\n" + Client("")),
            "keys: exactly one of keys.kek_file or keys.kek_env is required");
}

TEST(ConfigTest, SyntaxErrorReportsLine) {
  EXPECT_NE(ErrorOf("issuer = \n").find("config: line 1"), std::string::npos);
}

TEST(ConfigTest, PortOutOfRangeRejected) {
  EXPECT_EQ(ErrorOf(Base() + "[server]\nport = 70000\n" + Client("")),
            "server.port: must be between 0 and 65535");
}

TEST(ConfigTest, HandlerConcurrencyDefaultsToFourAndIsBounded) {
  auto defaults = ParseConfig(Base() + Client(""));
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->handler_concurrency, 4);
  auto set = ParseConfig(Base() + "[server]\nhandler_concurrency = 0\n" + Client(""));
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->handler_concurrency, 0);
  EXPECT_EQ(ErrorOf(Base() + "[server]\nhandler_concurrency = -1\n" + Client("")),
            "server.handler_concurrency: must be between 0 and 1024");
}

TEST(ConfigTest, ExampleConfigParses) {
  auto r = LoadConfigFile(std::string(ACCORD_SOURCE_DIR) + "/config/accord.example.toml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->clients.size(), 2u);
  EXPECT_EQ(r->clients[0].profile, ClientProfile::kFapi2);
  EXPECT_EQ(r->clients[1].profile, ClientProfile::kOidc);
}

TEST(ConfigTest, LoadKekFromEnvRequires32Bytes) {
  auto cfg = ParseConfig(Base() + Client(""));
  ASSERT_TRUE(cfg.ok());
  setenv("ACCORD_KEK", "c2hvcnQ", 1);
  auto bad = LoadKek(*cfg);
  EXPECT_EQ(bad.status().reason(), "bad_kek");
  EXPECT_EQ(bad.status().message().find("c2hvcnQ"), std::string::npos);
  setenv("ACCORD_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", 1);
  auto good = LoadKek(*cfg);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->size(), 32u);
  unsetenv("ACCORD_KEK");
}

}  // namespace
}  // namespace accord::oidc
