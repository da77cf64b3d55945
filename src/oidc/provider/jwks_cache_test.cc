#include "oidc/provider/jwks_cache.h"

#include <gtest/gtest.h>

#include "oidc/provider/client_auth.h"
#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

class JwksCacheTest : public ::testing::Test {
 protected:
  JwksCache::Fetcher Fake() {
    return [this](const std::string& url) -> Result<std::string> {
      ++fetches_;
      last_url_ = url;
      if (fail_) return Unavailable("down", "connect_failed");
      return document_;
    };
  }
  std::string SetOf(const jose::Jwk& key) {
    jose::Jwks set;
    set.Add(key.PublicOnly());
    return set.ToPublicJson();
  }
  FixedClock clock_{testing::kNow};
  int fetches_ = 0;
  bool fail_ = false;
  std::string last_url_;
  std::string document_;
};

TEST_F(JwksCacheTest, CachesUntilExpiry) {
  document_ = SetOf(testing::NewEcKey("a"));
  JwksCache cache(Fake(), clock_);
  ASSERT_TRUE(cache.Get("https://rp/jwks").ok());
  ASSERT_TRUE(cache.Get("https://rp/jwks").ok());
  EXPECT_EQ(fetches_, 1);
  clock_.AdvanceSeconds(kJwksCacheSeconds);
  ASSERT_TRUE(cache.Get("https://rp/jwks").ok());
  EXPECT_EQ(fetches_, 2);
}

TEST_F(JwksCacheTest, RefreshIsRateLimited) {
  document_ = SetOf(testing::NewEcKey("a"));
  JwksCache cache(Fake(), clock_);
  ASSERT_TRUE(cache.Get("https://rp/jwks").ok());
  ASSERT_TRUE(cache.Refresh("https://rp/jwks").ok());
  EXPECT_EQ(fetches_, 1);
  clock_.AdvanceSeconds(kJwksMinRefetchSeconds);
  ASSERT_TRUE(cache.Refresh("https://rp/jwks").ok());
  EXPECT_EQ(fetches_, 2);
}

TEST_F(JwksCacheTest, FailureKeepsPreviousSet) {
  document_ = SetOf(testing::NewEcKey("a"));
  JwksCache cache(Fake(), clock_);
  ASSERT_TRUE(cache.Get("https://rp/jwks").ok());
  fail_ = true;
  clock_.AdvanceSeconds(kJwksCacheSeconds);
  auto r = cache.Get("https://rp/jwks");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 1u);
}

TEST_F(JwksCacheTest, PrivateKeysInDocumentRejected) {
  jose::Jwks set;
  set.Add(testing::NewEcKey("a"));
  auto priv = set.keys()[0].ToPrivateJson();
  document_ = "{\"keys\":[" + std::string(AsStringView(priv->view())) + "]}";
  JwksCache cache(Fake(), clock_);
  EXPECT_EQ(cache.Get("https://rp/jwks").status().reason(), "jwks_unavailable");
}

TEST_F(JwksCacheTest, ClientAuthRefetchesAfterRotation) {
  testing::ProviderEnv env;
  std::string toml = testing::TestConfigToml(env.fapi_key, env.oidc_key, "people.json") +
                     "[[clients]]\nclient_id = \"uri-client\"\n"
                     "redirect_uris = [\"https://uri.example/cb\"]\n"
                     "jwks_uri = \"https://uri.example/jwks\"\n";
  auto config = ParseConfig(toml);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  jose::Jwk old_key = testing::NewEcKey("old"), new_key = testing::NewEcKey("new");
  document_ = SetOf(old_key);
  JwksCache cache(Fake(), env.clock);
  ClientAuthenticator auth(*config, *env.store, env.clock, &cache);
  auto body = [&](const jose::Jwk& key) {
    return *http::ParseForm(env.AssertionFields(key, "uri-client"));
  };
  std::vector<std::string> aud = {std::string(testing::kIssuer)};
  ASSERT_TRUE(auth.Authenticate(body(old_key), aud).ok());
  EXPECT_EQ(last_url_, "https://uri.example/jwks");
  document_ = SetOf(new_key);  // the client rotates
  env.clock.AdvanceSeconds(kJwksMinRefetchSeconds);
  auto r = auth.Authenticate(body(new_key), aud);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(fetches_, 2);
}

}  // namespace
}  // namespace accord::oidc
