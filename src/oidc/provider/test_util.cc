#include "oidc/provider/test_util.h"

#include <gtest/gtest.h>

#include <regex>

#include "common/base64url.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "jose/jwt.h"
#include "store/token_hash.h"

namespace accord::oidc::testing {

jose::Jwk NewEcKey(std::string kid) {
  auto key = crypto::PrivateKey::GenerateEc(crypto::Curve::kP256);
  EXPECT_TRUE(key.ok());
  jose::Jwk jwk = jose::Jwk::FromPrivateKey(std::move(*key));
  jwk.set_kid(std::move(kid));
  return jwk;
}

std::string TestConfigToml(const jose::Jwk& fapi_key, const jose::Jwk& oidc_key,
                           std::string_view people_file) {
  jose::Jwks fapi_set, oidc_set;
  fapi_set.Add(fapi_key.PublicOnly());
  oidc_set.Add(oidc_key.PublicOnly());
  return "issuer = \"" + std::string(kIssuer) +
         "\"\n"
         "[store]\nsqlite_path = \"accord.db\"\n"
         "[keys]\nkek_file = \"kek\"\n"
         "[sandbox]\npeople_file = \"" + std::string(people_file) + "\"\n"
         "[[clients]]\nclient_id = \"fapi-client\"\nprofile = \"fapi2\"\n"
         "redirect_uris = [\"https://rp.example/cb\"]\n"
         "scopes = [\"openid\", \"profile\", \"offline_access\"]\n"
         "jwks = '''" + fapi_set.ToPublicJson() + "'''\n"
         "[[clients]]\nclient_id = \"oidc-client\"\nprofile = \"oidc\"\n"
         "redirect_uris = [\"http://localhost:3000/cb\"]\n"
         "scopes = [\"openid\", \"profile\", \"birthdate\", \"offline_access\"]\n"
         "jwks = '''" + oidc_set.ToPublicJson() + "'''\n";
}

std::string ClientAssertion(const jose::Jwk& key, std::string_view client_id, const Clock& clock,
                            AssertionOptions options) {
  auto signer = jose::JwtSigner::Create(key, crypto::SignatureAlgorithm::kEs256, "");
  EXPECT_TRUE(signer.ok());
  boost::json::object claims;
  claims["iss"] = options.iss.empty() ? std::string(client_id) : options.iss;
  claims["sub"] = options.sub.empty() ? std::string(client_id) : options.sub;
  claims["aud"] = options.aud;
  claims["jti"] = options.jti.empty() ? crypto::RandomToken(16) : options.jti;
  claims["iat"] = clock.NowSeconds();
  claims["exp"] = clock.NowSeconds() + options.exp_offset;
  return *signer->Sign(claims);
}

std::string DpopProofJwt(const jose::Jwk& key, const Clock& clock, DpopOptions options) {
  jose::Jwk signing = key;
  signing.set_kid("");
  auto signer = jose::JwtSigner::Create(signing, crypto::SignatureAlgorithm::kEs256, options.typ);
  EXPECT_TRUE(signer.ok());
  boost::json::object claims;
  claims["htm"] = options.method;
  claims["htu"] = options.htu;
  claims["iat"] = clock.NowSeconds() + options.iat_offset;
  claims["jti"] = options.jti.empty() ? crypto::RandomToken(16) : options.jti;
  if (!options.nonce.empty()) claims["nonce"] = options.nonce;
  if (!options.access_token.empty()) {
    claims["ath"] = Base64UrlEncode(crypto::Sha256(AsBytes(options.access_token)));
  }
  boost::json::object header{{"jwk", key.PublicOnly().ToPublicJsonObject()}};
  header["jwk"].as_object().erase("kid");
  return *signer->Sign(claims, header);
}

ProviderEnv::ProviderEnv(bool replay_journal)
    : kek(crypto::RandomSecret(32)),
      fapi_key(NewEcKey("fapi-1")),
      oidc_key(NewEcKey("oidc-1")),
      dpop_key(NewEcKey("")) {
  store::StoreConfig sc;
  sc.sqlite_path = dir.File("accord.db");
  sc.replay_journal = replay_journal;
  auto opened = store::OpenStore(sc);
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  auto faulty = std::make_unique<store::testing::FaultyStore>(std::move(*opened));
  faults = faulty.get();
  store = std::move(faulty);
  std::string people_path = std::string(ACCORD_SOURCE_DIR) + "/data/people/sandbox-people.json";
  auto parsed = ParseConfig(TestConfigToml(fapi_key, oidc_key, people_path), dir.path());
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  config = std::move(*parsed);
  auto km = KeyManager::Create(*store, kek.Clone(), clock);
  EXPECT_TRUE(km.ok());
  keys = std::move(*km);
  Status ensured = keys->EnsureKeys();
  EXPECT_TRUE(ensured.ok()) << ensured.ToString();
  auto ppl = SandboxAuthenticator::FromFile(people_path);
  EXPECT_TRUE(ppl.ok()) << ppl.status().ToString();
  people = std::move(*ppl);
  auto p = Provider::Create({&config, store.get(), keys.get(), people.get(), &clock, &kek});
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  provider = std::move(*p);
}

ProviderEnv::~ProviderEnv() {
  provider.reset();
  keys.reset();
  store.reset();
}

http::Request ProviderEnv::Post(std::string path, std::string body) const {
  http::Request r;
  r.method = "POST";
  r.target = path;
  r.path = std::move(path);
  r.body = std::move(body);
  r.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  return r;
}

http::Request ProviderEnv::Get(std::string target) const {
  http::Request r;
  r.method = "GET";
  r.target = target;
  Status parsed = http::ParseTarget(target, &r.path, &r.query);
  EXPECT_TRUE(parsed.ok()) << parsed.ToString();
  return r;
}

std::string ProviderEnv::AssertionFields(const jose::Jwk& key, std::string_view client_id,
                                         AssertionOptions options) const {
  return "client_assertion_type=" + http::FormEncode(kJwtBearerAssertionType) +
         "&client_assertion=" + ClientAssertion(key, client_id, clock, std::move(options));
}

Pkce::Pkce()
    : verifier(crypto::RandomToken(32)),
      challenge(Base64UrlEncode(crypto::Sha256(AsBytes(verifier)))) {}

std::string ProviderEnv::OidcCode(const Pkce& pkce, std::string_view person,
                                  std::string_view scope) const {
  http::Response page = provider->Authorize(Get(
      "/authorize?client_id=oidc-client&response_type=code&scope=" + http::FormEncode(scope) +
      "&redirect_uri=" + http::FormEncode(kOidcRedirect) + "&state=st&nonce=nn&code_challenge=" +
      pkce.challenge + "&code_challenge_method=S256"));
  EXPECT_EQ(page.status, 200) << page.body;
  http::Request post = Post("/login", "txn=" + FormField(page.body, "txn") + "&csrf=" +
                                          FormField(page.body, "csrf") + "&person=" +
                                          std::string(person));
  post.headers.Set("Cookie", "accord_csrf=" + SetCookieValue(page, "accord_csrf"));
  http::Response redirect = provider->Login(post);
  EXPECT_EQ(redirect.status, 303) << redirect.body;
  return QueryParam(redirect.headers.Get("Location").value_or(""), "code");
}

std::string FormField(const std::string& html, const std::string& name) {
  std::smatch m;
  std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  return std::regex_search(html, m, re) ? m[1].str() : "";
}

std::string SetCookieValue(const http::Response& r, std::string_view name) {
  for (auto v : r.headers.GetAll("Set-Cookie")) {
    if (v.starts_with(std::string(name) + "=")) {
      std::string_view rest = v.substr(name.size() + 1);
      return std::string(rest.substr(0, rest.find(';')));
    }
  }
  return "";
}

std::string QueryParam(std::string_view url, std::string_view name) {
  size_t q = url.find('?');
  if (q == std::string_view::npos) return "";
  auto params = http::ParseForm(url.substr(q + 1));
  if (!params.ok()) return "";
  auto v = params->Get(name);
  return v ? std::string(*v) : "";
}

}  // namespace accord::oidc::testing
