// client_credentials decides its replay records after the handler returns (Store::RecordAllLater,
// http::Response::settle): these tests drive /token the way the server does, inside a
// DeferredAck scope, then settle the answer with the acks' outcome, and check that a replayed
// client assertion or DPoP proof is still refused with its RFC error and never gets a token.
#include <gtest/gtest.h>

#include <atomic>
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

class TokenReplayLaterTest : public ::testing::Test {
 protected:
  http::Request ClientCredentials(const std::string& fields) const {
    return env_.Post("/token", fields + "&grant_type=client_credentials");
  }
  testing::ProviderEnv env_;
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
  std::atomic<int> tokens{0}, replays{0}, other{0};
  std::promise<void> go;
  std::shared_future<void> start = go.get_future().share();
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      start.wait();
      Answer a = Settled(*env_.provider, ClientCredentials(fields));
      if (a.response.status == 200) {
        tokens.fetch_add(1);
      } else if (a.response.status == 401 && ErrorCode(a.response) == "invalid_client") {
        replays.fetch_add(1);
      } else {
        other.fetch_add(1);
      }
    });
  }
  go.set_value();
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(tokens.load(), 1);
  EXPECT_EQ(replays.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
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

}  // namespace
}  // namespace accord::oidc
