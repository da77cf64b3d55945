// The broker's back-channel logout endpoint for an upstream (upstream_logout.h), one test per rule:
// a real connector verifying tokens from the in-process TestUpstream (its JWKS over HTTP), the
// sandbox Provider ending sessions, and the SQLite store holding sessions, the upstream-login
// records and the jti replay cache.
#include "oidc/broker/upstream_logout.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/form.h"
#include "oidc/broker/broker.h"
#include "oidc/connectors/test_upstream.h"
#include "oidc/provider/test_util.h"
#include "store/token_hash.h"
#include "trust/registry.h"

namespace accord::oidc::broker {
namespace {

namespace json = boost::json;
using connectors::testing::TestUpstream;
using testing::kNow;

constexpr std::string_view kUpstream = "sandbox-uk";  // declared in data/trust/frameworks.toml

class UpstreamLogoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = crypto::PrivateKey::GenerateEc(crypto::Curve::kP256);
    ASSERT_TRUE(key.ok());
    jose::Jwk signing = jose::Jwk::FromPrivateKey(std::move(key).value());
    signing.set_kid("rp-sig");
    upstream_ = std::make_unique<TestUpstream>(env_.clock, signing, std::nullopt, "rp-client",
                                               "http://127.0.0.1:9/callback");
    ASSERT_TRUE(upstream_->Start());

    connectors::UpstreamConfig config(signing);
    config.id = std::string(kUpstream);
    config.issuer = upstream_->issuer();
    config.client_id = "rp-client";
    config.redirect_uri = "http://127.0.0.1:9/callback";
    config.scope = "openid";
    config.timeout_ms = 2000;
    auto http = http::HttpClient::Create();
    ASSERT_TRUE(http.ok());
    auto connector = connectors::MakeConnector(
        std::move(config), connectors::ConnectorDeps{std::move(http).value(), &env_.clock});
    ASSERT_TRUE(connector.ok()) << connector.status().ToString();
    connector_ = connector->get();

    auto registry = trust::TrustRegistry::Load(ACCORD_SOURCE_DIR "/data/trust");
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    trust_.emplace(std::move(registry).value());
    BrokerDeps deps;
    deps.store = env_.store.get();
    deps.clock = &env_.clock;
    deps.trust = &*trust_;
    deps.root_secret = &env_.kek;
    deps.connectors.push_back(std::move(connector).value());
    auto broker = Broker::Create(std::move(deps));
    ASSERT_TRUE(broker.ok()) << broker.status().ToString();
    broker_ = std::move(broker).value();
    broker_->Attach(env_.provider.get());
  }

  // A gateway session `sid` of the upstream person `upstream_sub`, recorded under that person and
  // (when given) the upstream session `upstream_sid`, as the broker's callback records a login.
  void Login(const std::string& sid, const std::string& upstream_sub,
             const std::string& upstream_sid) {
    store::Session s;
    s.sid = sid;
    s.secret_hash = store::HashToken("secret-" + sid);
    s.subject = broker_->LocalSubject(kUpstream, upstream_sub);
    s.auth_time = kNow;
    s.acr = "urn:accord:loa:medium";
    s.amr = {"pwd"};
    s.upstream = std::string(kUpstream);
    s.created_at = kNow;
    s.expires_at = kNow + 3600;
    ASSERT_TRUE(env_.store->CreateSession(s).ok());
    ASSERT_TRUE(env_.store->AddUpstreamLogin(Key("sub", upstream_sub), sid, s.expires_at).ok());
    if (!upstream_sid.empty()) {
      ASSERT_TRUE(env_.store->AddUpstreamLogin(Key("sid", upstream_sid), sid, s.expires_at).ok());
    }
  }

  // The store key of an upstream sub or sid (upstream_logout.h: the local subject's keyed hash).
  std::string Key(std::string_view kind, std::string_view value) const {
    return std::string(kind) + ":" + broker_->LocalSubject(kUpstream, value);
  }

  bool Alive(const std::string& sid) { return env_.store->GetSessionBySid(sid, kNow).ok(); }

  http::Response Post(std::string body) {
    return broker_->UpstreamBackchannelLogout(
        *connector_,
        env_.Post(std::string(kUpstreamLogoutPathPrefix) + std::string(kUpstream),
                  std::move(body)));
  }
  http::Response Logout(const std::string& token) {
    return Post("logout_token=" + http::FormEncode(token));
  }

  static std::string Error(const http::Response& r) {
    auto body = json::parse(r.body);
    return std::string(body.as_object().at("error").as_string());
  }

  testing::ProviderEnv env_;
  std::unique_ptr<TestUpstream> upstream_;
  connectors::Connector* connector_ = nullptr;  // owned by the broker
  std::optional<trust::TrustRegistry> trust_;
  std::unique_ptr<Broker> broker_;
};

TEST_F(UpstreamLogoutTest, ASidEndsOnlyTheSessionsOfThatUpstreamSession) {
  Login("gw-a", "user-1", "sid-1");
  Login("gw-b", "user-1", "sid-2");  // the same person, another upstream session
  http::Response r = Logout(upstream_->MakeLogoutToken());  // sub user-1, sid sid-1
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("Cache-Control").value_or(""), "no-store");
  EXPECT_FALSE(Alive("gw-a"));
  EXPECT_TRUE(Alive("gw-b"));
}

TEST_F(UpstreamLogoutTest, ASubAloneEndsEverySessionOfThatPerson) {
  Login("gw-a", "user-1", "sid-1");
  Login("gw-b", "user-1", "sid-2");
  Login("gw-c", "user-2", "sid-3");
  http::Response r = Logout(upstream_->MakeLogoutToken([](json::object& c) { c.erase("sid"); }));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Alive("gw-a"));
  EXPECT_FALSE(Alive("gw-b"));
  EXPECT_TRUE(Alive("gw-c"));
}

TEST_F(UpstreamLogoutTest, ASidWithAnotherPersonsSubEndsNothing) {
  Login("gw-a", "user-1", "sid-1");
  http::Response r =
      Logout(upstream_->MakeLogoutToken([](json::object& c) { c["sub"] = "user-2"; }));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Alive("gw-a"));
}

TEST_F(UpstreamLogoutTest, ASidOnlyEndsThatUpstreamSession) {
  Login("gw-a", "user-1", "sid-1");
  Login("gw-b", "user-1", "sid-2");
  http::Response r = Logout(upstream_->MakeLogoutToken([](json::object& c) { c.erase("sub"); }));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Alive("gw-a"));
  EXPECT_TRUE(Alive("gw-b"));
}

TEST_F(UpstreamLogoutTest, SessionsAlreadyEndedAreSkipped) {
  Login("gw-a", "user-1", "sid-1");
  Login("gw-b", "user-1", "sid-2");
  ASSERT_TRUE(env_.store->DeleteSessionBySid("gw-a").ok());  // ended by the person meanwhile
  http::Response r = Logout(upstream_->MakeLogoutToken([](json::object& c) { c.erase("sid"); }));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Alive("gw-b"));
}

TEST_F(UpstreamLogoutTest, NothingLeftToEndIsStillDone) {
  Login("gw-a", "user-1", "sid-1");
  ASSERT_TRUE(env_.store->DeleteSessionBySid("gw-a").ok());
  EXPECT_EQ(Logout(upstream_->MakeLogoutToken()).status, 200);
  // A person the gateway never saw.
  EXPECT_EQ(Logout(upstream_->MakeLogoutToken([](json::object& c) {
              c["sub"] = "user-9";
              c["sid"] = "sid-9";
            })).status,
            200);
}

TEST_F(UpstreamLogoutTest, AReplayedTokenIsRefused) {
  Login("gw-a", "user-1", "sid-1");
  const std::string token = upstream_->MakeLogoutToken();
  EXPECT_EQ(Logout(token).status, 200);
  http::Response again = Logout(token);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(Error(again), "invalid_request");
}

TEST_F(UpstreamLogoutTest, InvalidTokensAreRefusedAndEndNothing) {
  Login("gw-a", "user-1", "sid-1");
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"signed with a key the upstream does not publish", upstream_->MakeLogoutToken({}, true)},
      {"for another client", upstream_->MakeLogoutToken([](json::object& c) { c["aud"] = "x"; })},
      {"from another issuer",
       upstream_->MakeLogoutToken([](json::object& c) { c["iss"] = "https://evil.test"; })},
      {"with a nonce", upstream_->MakeLogoutToken([](json::object& c) { c["nonce"] = "n"; })},
      {"without the logout event",
       upstream_->MakeLogoutToken([](json::object& c) { c.erase("events"); })},
      {"naming neither sub nor sid", upstream_->MakeLogoutToken([](json::object& c) {
         c.erase("sub");
         c.erase("sid");
       })},
      {"issued an hour from now",
       upstream_->MakeLogoutToken([](json::object& c) { c["iat"] = kNow + 3600; })},
      {"not a JWT", "not-a-jwt"},
  };
  for (const auto& [what, token] : bad) {
    http::Response r = Logout(token);
    EXPECT_EQ(r.status, 400) << what << ": " << r.body;
    EXPECT_EQ(Error(r), "invalid_request") << what;
  }
  EXPECT_TRUE(Alive("gw-a"));
}

TEST_F(UpstreamLogoutTest, AnUnreachableUpstreamIsUnavailableAndEndsNothing) {
  Login("gw-a", "user-1", "sid-1");
  const std::string token = upstream_->MakeLogoutToken();
  upstream_.reset();  // its discovery and keys can no longer be fetched (nothing cached yet)
  http::Response r = Logout(token);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(Error(r), "temporarily_unavailable");
  EXPECT_TRUE(Alive("gw-a"));
}

// Each store operation the endpoint depends on, failing (env_.faults): a 503 the upstream retries,
// no session ended, and the same token accepted once the store is back (its jti was not kept).
TEST_F(UpstreamLogoutTest, AStoreFailureIsUnavailableAndTheRetryEndsTheSession) {
  int n = 0;
  for (const char* operation : {"ListUpstreamLogins", "GetSessionBySid", "ListSessionClients",
                                "RevokeSessionFamilies", "DeleteSessionBySid"}) {
    const std::string sid = "gw-" + std::to_string(++n);
    const std::string upstream_sid = "sid-" + std::to_string(n);
    Login(sid, "user-1", upstream_sid);
    const std::string token =
        upstream_->MakeLogoutToken([&](json::object& c) { c["sid"] = upstream_sid; });
    env_.faults->FailOn(operation);
    http::Response r = Logout(token);
    EXPECT_EQ(env_.faults->injected(operation), 1) << operation;
    env_.faults->HealAll();
    EXPECT_EQ(r.status, 503) << operation << ": " << r.body;
    EXPECT_EQ(Error(r), "temporarily_unavailable") << operation;
    EXPECT_TRUE(Alive(sid)) << operation;
    EXPECT_EQ(Logout(token).status, 200) << operation;
    EXPECT_FALSE(Alive(sid)) << operation;
  }
}

// The sessions are ended before the token's jti is kept: when keeping it fails the answer is a
// 503, the retry finds nothing left to end and is accepted, and only then is a replay refused.
TEST_F(UpstreamLogoutTest, AFailureToKeepTheJtiIsUnavailableAndTheRetryIsAccepted) {
  Login("gw-a", "user-1", "sid-1");
  const std::string token = upstream_->MakeLogoutToken();
  env_.faults->FailOn("RecordOnce");
  http::Response r = Logout(token);
  env_.faults->HealAll();
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(Error(r), "temporarily_unavailable");
  EXPECT_FALSE(Alive("gw-a"));
  EXPECT_EQ(Logout(token).status, 200);
  EXPECT_EQ(Logout(token).status, 400);
}

TEST_F(UpstreamLogoutTest, AMalformedRequestIsRefused) {
  Login("gw-a", "user-1", "sid-1");
  const std::string token = http::FormEncode(upstream_->MakeLogoutToken());
  for (const std::string& body :
       {std::string(), std::string("token=") + token,
        "logout_token=" + token + "&logout_token=" + token}) {
    http::Response r = Post(body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(Error(r), "invalid_request") << body;
  }
  EXPECT_TRUE(Alive("gw-a"));
}

}  // namespace
}  // namespace accord::oidc::broker
