#include "oidc/provider/backchannel_logout.h"

#include <gtest/gtest.h>

#include <atomic>

#include "crypto/keys.h"
#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

using testing::kNow;

jose::JwtSigner LogoutSigner(const jose::Jwk& key) {
  return *jose::JwtSigner::Create(key, crypto::SignatureAlgorithm::kEs256, "logout+jwt");
}

LogoutTokenClaims Claims() {
  LogoutTokenClaims c;
  c.issuer = "https://op.example";
  c.audience = "client-a";
  c.subject = "pairwise-sub";
  c.sid = "sid-1";
  c.issued_at = kNow;
  return c;
}

TEST(LogoutTokenTest, CarriesTheBackChannelLogoutClaims) {
  jose::Jwk key = testing::NewEcKey("op-1");
  auto token = MakeLogoutToken(LogoutSigner(key), Claims());
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  FixedClock clock(kNow + 1);
  jose::JwsVerifyOptions options;
  options.allowed_algs = {crypto::SignatureAlgorithm::kEs256};
  auto jws = jose::JwsVerifier::Create(key.PublicOnly(), options);
  auto validator = jose::JwtValidator::Builder()
                       .ExpectIssuer("https://op.example")
                       .ExpectAudience("client-a")
                       .ExpectTypeHeader("logout+jwt")
                       .RequireIssuedAt()
                       .RequireJwtId()
                       .SetClock(clock)
                       .Build();
  ASSERT_TRUE(jws.ok() && validator.ok());
  auto verified = jose::JwtVerifier(std::move(*jws), std::move(*validator)).Verify(*token);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->subject(), "pairwise-sub");
  EXPECT_EQ(verified->GetString("sid"), "sid-1");
  EXPECT_EQ(verified->expiration(), kNow + kLogoutTokenLifetime);
  EXPECT_FALSE(verified->HasClaim("nonce"));  // section 2.4: a nonce is prohibited
  const boost::json::object* events = verified->GetObject("events");
  ASSERT_NE(events, nullptr);
  ASSERT_TRUE(events->contains(kBackchannelLogoutEvent));
  EXPECT_TRUE(events->at(kBackchannelLogoutEvent).is_object());
  EXPECT_TRUE(events->at(kBackchannelLogoutEvent).get_object().empty());
}

TEST(LogoutTokenTest, EveryTokenHasAFreshJti) {
  jose::JwtSigner signer = LogoutSigner(testing::NewEcKey("op-1"));
  EXPECT_NE(*MakeLogoutToken(signer, Claims()), *MakeLogoutToken(signer, Claims()));
}

TEST(LogoutTokenTest, SidAndSubjectAreRequired) {
  jose::JwtSigner signer = LogoutSigner(testing::NewEcKey("op-1"));
  LogoutTokenClaims c = Claims();
  c.sid.clear();
  EXPECT_EQ(MakeLogoutToken(signer, c).status().reason(), "bad_value");
  c = Claims();
  c.subject.clear();
  EXPECT_EQ(MakeLogoutToken(signer, c).status().reason(), "bad_value");
}

// A worker over an SQLite store with a scripted poster.
class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::StoreConfig sc;
    sc.sqlite_path = dir_.File("w.db");
    auto s = store::OpenStore(sc);
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    worker_ = std::make_unique<BackchannelLogoutWorker>(
        *store_, clock_, [this](const std::string& url, const std::string& body) -> Result<int> {
          ++calls_;
          last_url_ = url;
          last_body_ = body;
          if (reply_ < 0) return Unavailable("connection refused", "connect_failed");
          return reply_;
        });
  }
  void TearDown() override {
    worker_.reset();
    store_.reset();
  }
  int64_t Enqueue() {
    store::LogoutDelivery d;
    d.client_id = "client-a";
    d.endpoint = "https://rp.example/backchannel";
    d.logout_token = "header.payload+/=.sig";
    d.next_attempt_at = clock_.NowSeconds();
    d.created_at = clock_.NowSeconds();
    d.expires_at = clock_.NowSeconds() + 60;
    return *store_->EnqueueLogout(d);
  }
  size_t Pending(int64_t at) {
    // Peek without disturbing: claim with a 1 s lease, then hand the rows straight back.
    auto due = store_->ClaimDueLogouts(at, 1000, 1);
    for (const auto& d : *due) EXPECT_TRUE(store_->RescheduleLogout(d.id, at).ok());
    return due->size();
  }

  FixedClock clock_{kNow};
  ::accord::testing::TempDir dir_{"accord-oidc-"};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<BackchannelLogoutWorker> worker_;
  std::atomic<int> calls_{0};
  std::string last_url_, last_body_;
  int reply_ = 200;
};

TEST_F(WorkerTest, DeliveredLogoutIsCompleted) {
  Enqueue();
  auto delivered = worker_->RunOnce();
  ASSERT_TRUE(delivered.ok()) << delivered.status().ToString();
  EXPECT_EQ(*delivered, 1);
  EXPECT_EQ(last_url_, "https://rp.example/backchannel");
  EXPECT_EQ(last_body_, "logout_token=header.payload%2B%2F%3D.sig");  // form-encoded
  EXPECT_EQ(Pending(kNow + 100), 0u);
}

TEST_F(WorkerTest, ServerErrorIsRetriedWithExponentialBackoff) {
  reply_ = 503;
  Enqueue();
  EXPECT_EQ(*worker_->RunOnce(), 0);
  EXPECT_EQ(Pending(kNow + 1), 0u);  // first retry after 2 s
  clock_.AdvanceSeconds(2);
  EXPECT_EQ(calls_, 1);
  EXPECT_EQ(*worker_->RunOnce(), 0);
  EXPECT_EQ(calls_, 2);
  EXPECT_EQ(Pending(kNow + 2 + 3), 0u);  // second retry after 4 s
  clock_.AdvanceSeconds(4);
  reply_ = 204;
  EXPECT_EQ(*worker_->RunOnce(), 1);
  EXPECT_EQ(Pending(kNow + 100), 0u);
}

TEST_F(WorkerTest, UnreachableEndpointIsRetried) {
  reply_ = -1;
  Enqueue();
  EXPECT_EQ(*worker_->RunOnce(), 0);
  EXPECT_EQ(Pending(kNow + 2), 1u);
}

TEST_F(WorkerTest, RefusedLogoutIsNotRetried) {
  reply_ = 400;
  Enqueue();
  EXPECT_EQ(*worker_->RunOnce(), 0);
  EXPECT_EQ(Pending(kNow + 100), 0u);
}

TEST_F(WorkerTest, DeliveryIsGivenUpAtItsExpiry) {
  reply_ = 500;
  Enqueue();
  EXPECT_EQ(*worker_->RunOnce(), 0);
  clock_.AdvanceSeconds(60);  // the logout token (and the delivery) expired
  EXPECT_EQ(*worker_->RunOnce(), 0);
  EXPECT_EQ(calls_, 1);
  EXPECT_EQ(store_->SweepExpired(clock_.NowSeconds())->logout_deliveries, 1);
}

TEST_F(WorkerTest, RetryDelayDoublesUpToTheCap) {
  EXPECT_EQ(worker_->RetryDelay(1), 2);
  EXPECT_EQ(worker_->RetryDelay(2), 4);
  EXPECT_EQ(worker_->RetryDelay(3), 8);
  EXPECT_EQ(worker_->RetryDelay(7), 120);
  EXPECT_EQ(worker_->RetryDelay(1000), 120);
}

TEST_F(WorkerTest, BackgroundThreadDeliversAndStops) {
  worker_->Start();
  Enqueue();
  worker_->Wake();
  for (int i = 0; i < 500 && calls_ == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  worker_->Stop();
  EXPECT_EQ(calls_, 1);
  worker_->Stop();  // idempotent
}

}  // namespace
}  // namespace accord::oidc
