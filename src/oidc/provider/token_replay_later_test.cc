// /token decides its store writes after the handler returns (Store::RecordAllLater for
// client_credentials, Store::RedeemAuthCodeLater for authorization_code; http::Response::settle):
// these tests drive /token the way the server does, inside a DeferredAck scope, then settle the
// answer with the acks' outcome, and check that a replayed client assertion or DPoP proof, or a
// code exchanged twice, is still refused with its RFC error and never gets a token.
#include <gtest/gtest.h>

#include <future>
#include <thread>
#include <vector>

#include "common/deferred_ack.h"
#include "common/json.h"
#include "oidc/provider/provider.h"
#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

using testing::DpopOptions;
using testing::kOidcRedirect;
using testing::Pkce;

std::string ErrorCode(const http::Response& r) {
  auto body = ParseJsonObject(r.body);
  if (!body.ok()) return "";
  const boost::json::value* e = body->if_contains("error");
  return e != nullptr && e->is_string() ? std::string(e->get_string()) : "";
}

struct Answer {
  http::Response response;
  bool decided_later = false;  // the handler's answer carried a settle
};

// What the server does around a worker handler (http/server.cc): a DeferredAck scope, every
// deferred wait run to its end, then settle with the first failure.
Answer Settled(const Provider& provider, const http::Request& request) {
  DeferredAck::Scope scope;
  Answer a;
  a.response = provider.Token(request);
  Status first;
  for (DeferredAck::Wait& wait : scope.Take()) {
    std::promise<Status> reported;
    std::future<Status> outcome = reported.get_future();
    wait([&reported](Status s) { reported.set_value(std::move(s)); });
    Status s = outcome.get();
    if (!s.ok() && first.ok()) first = s;
  }
  if (a.response.settle) {
    a.decided_later = true;
    auto settle = std::move(a.response.settle);
    a.response.settle = nullptr;
    if (auto replaced = settle(first)) {
      a.response = std::move(*replaced);
    } else if (!first.ok()) {
      a.response = http::OAuthError(503, "temporarily_unavailable");
    }
  }
  return a;
}

// Each request Settled on its own thread, all released at once; the answers in request order.
std::vector<Answer> SettledAtOnce(const Provider& provider,
                                  const std::vector<http::Request>& requests) {
  std::vector<Answer> answers(requests.size());
  std::promise<void> go;
  std::shared_future<void> start = go.get_future().share();
  std::vector<std::thread> threads;
  for (size_t i = 0; i < requests.size(); ++i) {
    threads.emplace_back([&, i] {
      start.wait();
      answers[i] = Settled(provider, requests[i]);
    });
  }
  go.set_value();
  for (std::thread& t : threads) t.join();
  return answers;
}

class TokenReplayLaterTest : public ::testing::Test {
 protected:
  http::Request ClientCredentials(const std::string& fields) const {
    return env_.Post("/token", fields + "&grant_type=client_credentials");
  }
  http::Request CodeExchange(const std::string& code, const Pkce& pkce,
                             const std::string& assertion_fields) const {
    return env_.Post("/token", assertion_fields + "&grant_type=authorization_code&code=" + code +
                                   "&code_verifier=" + pkce.verifier +
                                   "&redirect_uri=" + http::FormEncode(kOidcRedirect));
  }
  http::Request CodeExchange(const std::string& code, const Pkce& pkce) const {
    return CodeExchange(code, pkce, env_.AssertionFields(env_.oidc_key, "oidc-client"));
  }
  http::Response Refresh(const std::string& refresh_token) const {
    return env_.provider->Token(env_.Post(
        "/token", env_.AssertionFields(env_.oidc_key, "oidc-client") +
                      "&grant_type=refresh_token&refresh_token=" + refresh_token));
  }
  static std::string Field(const http::Response& r, std::string_view name) {
    auto body = ParseJsonObject(r.body);
    if (!body.ok()) return "";
    const boost::json::value* v = body->if_contains(name);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
  }
  // Without the replay journal, which decides replays at once: here every record waits for the
  // write batch, the way this file tests.
  testing::ProviderEnv env_{/*replay_journal=*/false};
};

TEST_F(TokenReplayLaterTest, AReplayedClientAssertionIsRefusedWhenItsRecordIsDecided) {
  const std::string fields = env_.AssertionFields(env_.oidc_key, "oidc-client");
  Answer first = Settled(*env_.provider, ClientCredentials(fields));
  EXPECT_TRUE(first.decided_later);
  EXPECT_EQ(first.response.status, 200) << first.response.body;
  EXPECT_NE(first.response.body.find("access_token"), std::string::npos);

  Answer replayed = Settled(*env_.provider, ClientCredentials(fields));
  EXPECT_TRUE(replayed.decided_later);
  EXPECT_EQ(replayed.response.status, 401);
  EXPECT_EQ(ErrorCode(replayed.response), "invalid_client");
  EXPECT_EQ(replayed.response.body.find("access_token"), std::string::npos);
}

TEST_F(TokenReplayLaterTest, AReplayedDpopProofIsInvalidDpopProofWhenDecided) {
  // A nonce first, the way a client gets one.
  DpopOptions o;
  o.htu = std::string(testing::kIssuer) + "/token";
  http::Request probe = ClientCredentials(env_.AssertionFields(env_.fapi_key, "fapi-client"));
  probe.headers.Set("DPoP", testing::DpopProofJwt(env_.dpop_key, env_.clock, o));
  http::Response nonce = env_.provider->Token(probe);
  ASSERT_EQ(ErrorCode(nonce), "use_dpop_nonce");
  o.nonce = std::string(nonce.headers.Get("DPoP-Nonce").value_or(""));
  const std::string proof = testing::DpopProofJwt(env_.dpop_key, env_.clock, o);

  http::Request first = ClientCredentials(env_.AssertionFields(env_.fapi_key, "fapi-client"));
  first.headers.Set("DPoP", proof);
  EXPECT_EQ(Settled(*env_.provider, first).response.status, 200);
  // A fresh client assertion, the same proof: the proof's record is the one found present.
  http::Request again = ClientCredentials(env_.AssertionFields(env_.fapi_key, "fapi-client"));
  again.headers.Set("DPoP", proof);
  Answer replayed = Settled(*env_.provider, again);
  EXPECT_EQ(replayed.response.status, 400);
  EXPECT_EQ(ErrorCode(replayed.response), "invalid_dpop_proof");
}

TEST_F(TokenReplayLaterTest, OfConcurrentRequestsWithOneAssertionExactlyOneGetsAToken) {
  const std::string fields = env_.AssertionFields(env_.oidc_key, "oidc-client");
  constexpr int kThreads = 8;
  int tokens = 0, replays = 0, other = 0;
  for (const Answer& a : SettledAtOnce(*env_.provider,
                                       std::vector<http::Request>(kThreads, ClientCredentials(fields)))) {
    if (a.response.status == 200) {
      ++tokens;
    } else if (a.response.status == 401 && ErrorCode(a.response) == "invalid_client") {
      ++replays;
    } else {
      ++other;
    }
  }
  EXPECT_EQ(tokens, 1);
  EXPECT_EQ(replays, kThreads - 1);
  EXPECT_EQ(other, 0);
}

TEST_F(TokenReplayLaterTest, OutsideADeferredAckScopeTheVerdictIsImmediate) {
  const std::string fields = env_.AssertionFields(env_.oidc_key, "oidc-client");
  http::Response first = env_.provider->Token(ClientCredentials(fields));
  EXPECT_EQ(first.status, 200);
  EXPECT_FALSE(first.settle == nullptr);  // still marked; settles OK with nothing to replace
  EXPECT_FALSE(first.settle(Status::Ok()).has_value());
  http::Response replayed = env_.provider->Token(ClientCredentials(fields));
  EXPECT_EQ(replayed.status, 401);
  EXPECT_EQ(ErrorCode(replayed), "invalid_client");
}

TEST_F(TokenReplayLaterTest, ACodeExchangeIsDecidedLaterAndSpendsTheCode) {
  Pkce pkce;
  const std::string code = env_.OidcCode(pkce);
  Answer first = Settled(*env_.provider, CodeExchange(code, pkce));
  EXPECT_TRUE(first.decided_later);
  ASSERT_EQ(first.response.status, 200) << first.response.body;
  EXPECT_FALSE(Field(first.response, "id_token").empty());
  const std::string refresh_token = Field(first.response, "refresh_token");
  ASSERT_FALSE(refresh_token.empty());
  // The deferred write is stored: the refresh token works once.
  http::Response refreshed = Refresh(refresh_token);
  EXPECT_EQ(refreshed.status, 200) << refreshed.body;

  // The code is spent: a second exchange is invalid_grant and revokes what the first issued.
  Answer again = Settled(*env_.provider, CodeExchange(code, pkce));
  EXPECT_EQ(again.response.status, 400);
  EXPECT_EQ(ErrorCode(again.response), "invalid_grant");
  EXPECT_EQ(Field(again.response, "access_token"), "");
  EXPECT_EQ(ErrorCode(Refresh(Field(refreshed, "refresh_token"))), "invalid_grant");
}

TEST_F(TokenReplayLaterTest, OfConcurrentExchangesOfOneCodeOneGetsTokensThenTheGrantIsRevoked) {
  Pkce pkce;
  const std::string code = env_.OidcCode(pkce);
  constexpr int kThreads = 8;
  std::vector<http::Request> requests;
  for (int i = 0; i < kThreads; ++i) requests.push_back(CodeExchange(code, pkce));
  std::vector<std::string> refresh_tokens;
  int reused = 0, other = 0;
  // A loser either read the code unused and lost at the deferred commit, or read it used.
  for (const Answer& a : SettledAtOnce(*env_.provider, requests)) {
    if (a.response.status == 200) {
      refresh_tokens.push_back(Field(a.response, "refresh_token"));
    } else if (a.response.status == 400 && ErrorCode(a.response) == "invalid_grant") {
      ++reused;
    } else {
      ++other;
    }
  }
  ASSERT_EQ(refresh_tokens.size(), 1u);
  EXPECT_EQ(reused, kThreads - 1);
  EXPECT_EQ(other, 0);
  // The losers' exchanges found the code used: what the winner got is revoked.
  EXPECT_EQ(ErrorCode(Refresh(refresh_tokens[0])), "invalid_grant");
}

TEST_F(TokenReplayLaterTest, AnExchangeWithAReplayedAssertionLeavesItsCodeUnspent) {
  Pkce pkce1, pkce2;
  const std::string code1 = env_.OidcCode(pkce1);
  const std::string code2 = env_.OidcCode(pkce2);
  const std::string fields = env_.AssertionFields(env_.oidc_key, "oidc-client");
  EXPECT_EQ(Settled(*env_.provider, CodeExchange(code1, pkce1, fields)).response.status, 200);
  // The same assertion for the second code: refused when its write is decided, nothing written.
  Answer replayed = Settled(*env_.provider, CodeExchange(code2, pkce2, fields));
  EXPECT_TRUE(replayed.decided_later);
  EXPECT_EQ(replayed.response.status, 401);
  EXPECT_EQ(ErrorCode(replayed.response), "invalid_client");
  EXPECT_EQ(Field(replayed.response, "access_token"), "");
  // So the second code is still good, once, with a fresh assertion.
  Answer fresh = Settled(*env_.provider, CodeExchange(code2, pkce2));
  EXPECT_EQ(fresh.response.status, 200) << fresh.response.body;
}

TEST_F(TokenReplayLaterTest, ARefusedExchangeIsDecidedLaterAndSpendsTheCode) {
  Pkce pkce, wrong;
  const std::string code = env_.OidcCode(pkce);
  Answer mismatched = Settled(*env_.provider, CodeExchange(code, wrong));
  EXPECT_TRUE(mismatched.decided_later);
  EXPECT_EQ(mismatched.response.status, 400);
  EXPECT_EQ(ErrorCode(mismatched.response), "invalid_grant");
  EXPECT_NE(mismatched.response.body.find("code_verifier"), std::string::npos)
      << mismatched.response.body;  // the reason the write found
  // Spent by the mismatch: the right verifier now finds it used.
  Answer reused = Settled(*env_.provider, CodeExchange(code, pkce));
  EXPECT_EQ(reused.response.status, 400);
  EXPECT_NE(reused.response.body.find("already used"), std::string::npos) << reused.response.body;
  Answer unknown = Settled(*env_.provider, CodeExchange("no-such-code", pkce));
  EXPECT_EQ(ErrorCode(unknown.response), "invalid_grant");
}

TEST_F(TokenReplayLaterTest, ARequestRefusedBeforeItsGrantStillSpendsItsAssertion) {
  const std::string fields = env_.AssertionFields(env_.oidc_key, "oidc-client");
  Answer unsupported =
      Settled(*env_.provider, env_.Post("/token", fields + "&grant_type=password"));
  EXPECT_TRUE(unsupported.decided_later);
  EXPECT_EQ(ErrorCode(unsupported.response), "unsupported_grant_type");
  // Its jti was recorded: the same assertion is a replay, for this grant or any other.
  Answer replayed = Settled(*env_.provider, env_.Post("/token", fields + "&grant_type=password"));
  EXPECT_EQ(replayed.response.status, 401);
  EXPECT_EQ(ErrorCode(replayed.response), "invalid_client");
  EXPECT_EQ(ErrorCode(Settled(*env_.provider, ClientCredentials(fields)).response),
            "invalid_client");
}

// The grants whose writes are all decided later run on the I/O thread; what may wait does not.
TEST_F(TokenReplayLaterTest, OnlyGrantsThatNeverWaitRunInline) {
  ASSERT_TRUE(env_.store->WritesDecidedLater());
  const std::string fields = env_.AssertionFields(env_.oidc_key, "oidc-client");
  EXPECT_TRUE(env_.provider->TokenRunsInline(ClientCredentials(fields)));
  Pkce pkce;
  EXPECT_TRUE(env_.provider->TokenRunsInline(CodeExchange("code", pkce)));
  EXPECT_FALSE(env_.provider->TokenRunsInline(
      env_.Post("/token", fields + "&grant_type=refresh_token&refresh_token=x")));
  EXPECT_FALSE(env_.provider->TokenRunsInline(env_.Post("/token", fields)));  // no grant_type
  EXPECT_FALSE(env_.provider->TokenRunsInline(
      env_.Post("/token", fields + "&grant_type=client_credentials&grant_type=client_credentials")));
}

// A client whose keys come from its jwks_uri may need a fetch: its requests go to a worker,
// the other clients' still run inline.
TEST_F(TokenReplayLaterTest, AClientWithAJwksUriRunsOnAWorker) {
  const std::string people = std::string(ACCORD_SOURCE_DIR) + "/data/people/sandbox-people.json";
  auto config = ParseConfig(testing::TestConfigToml(env_.fapi_key, env_.oidc_key, people) +
                                "[[clients]]\nclient_id = \"remote-client\"\nprofile = \"oidc\"\n"
                                "redirect_uris = [\"https://remote.example/cb\"]\n"
                                "scopes = [\"openid\"]\n"
                                "jwks_uri = \"https://remote.example/jwks\"\n",
                            env_.dir.path());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  auto provider = Provider::Create(
      {&*config, env_.store.get(), env_.keys.get(), env_.people.get(), &env_.clock, &env_.kek});
  ASSERT_TRUE(provider.ok()) << provider.status().ToString();
  EXPECT_FALSE((*provider)->TokenRunsInline(
      ClientCredentials(env_.AssertionFields(env_.oidc_key, "remote-client"))));
  EXPECT_TRUE((*provider)->TokenRunsInline(
      ClientCredentials(env_.AssertionFields(env_.oidc_key, "oidc-client"))));
  EXPECT_FALSE((*provider)->TokenRunsInline(ClientCredentials("client_assertion=not-a-jwt")));
}

}  // namespace
}  // namespace accord::oidc
