// Thread safety: many threads on one Store, on every backend. Single-use stays single-use.
#include <atomic>
#include <thread>
#include <vector>

#include "store/store_test_env.h"

namespace accord::store::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000;
constexpr int kThreads = 16;

template <typename B>
class ConcurrencyTest : public StoreTest<B> {};
TYPED_TEST_SUITE(ConcurrencyTest, Backends, BackendNames);

// Runs fn(i) on kThreads threads released together.
template <typename Fn>
void RunTogether(Fn fn) {
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      fn(i);
    });
  }
  go.store(true);
  for (auto& t : threads) t.join();
}

TYPED_TEST(ConcurrencyTest, ExactlyOneThreadConsumesACode) {
  AuthCode code;
  code.code_hash = H("shared-code");
  code.grant_id = "grant-c";
  code.client_id = "c";
  code.subject = "s";
  code.redirect_uri = "https://rp.example/cb";
  code.issued_at = kNow;
  code.expires_at = kNow + 60;
  ASSERT_TRUE(this->store_->SaveAuthCode(code).ok());
  std::atomic<int> won{0}, reused{0}, other{0};
  RunTogether([&](int) {
    std::string grant;
    auto r = this->store_->ConsumeAuthCode(code.code_hash, kNow + 1, &grant);
    if (r.ok()) {
      ++won;
    } else if (r.status().reason() == "code_reused" && grant == "grant-c") {
      ++reused;
    } else {
      ++other;
      ADD_FAILURE() << r.status().ToString();
    }
  });
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(reused.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
}

TYPED_TEST(ConcurrencyTest, ExactlyOneThreadRotatesARefreshToken) {
  RefreshFamily f;
  f.family_id = "fam";
  f.grant_id = "g";
  f.client_id = "c";
  f.subject = "s";
  f.created_at = kNow;
  f.expires_at = kNow + 3600;
  ASSERT_TRUE(this->store_->CreateRefreshFamily(f, H("rt"), kNow + 3600).ok());
  std::atomic<int> won{0}, reused{0};
  RunTogether([&](int i) {
    auto r = this->store_->RotateRefreshToken(H("rt"), H("next-" + std::to_string(i)), kNow + 3600,
                                              kNow + 1, nullptr);
    if (r.ok()) ++won;
    if (r.status().reason() == "refresh_token_reused") ++reused;
  });
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(reused.load(), kThreads - 1);
}

TYPED_TEST(ConcurrencyTest, ExactlyOneThreadRecordsAJti) {
  std::atomic<int> won{0}, replay{0};
  RunTogether([&](int) {
    Status s =
        this->store_->RecordOnce(ReplayScope::kClientAssertion, "client|jti", kNow + 60, kNow);
    if (s.ok()) ++won;
    if (s.reason() == "replay") ++replay;
  });
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(replay.load(), kThreads - 1);
}

TYPED_TEST(ConcurrencyTest, ConcurrentClaimsNeverShareADelivery) {
  for (int i = 0; i < 40; ++i) {
    LogoutDelivery d;
    d.client_id = "c" + std::to_string(i);
    d.endpoint = "https://rp.example/bcl";
    d.logout_token = "t";
    d.next_attempt_at = kNow;
    d.created_at = kNow;
    d.expires_at = kNow + 600;
    ASSERT_TRUE(this->store_->EnqueueLogout(d).ok());
  }
  std::atomic<int> claimed{0};
  RunTogether([&](int) {
    auto r = this->store_->ClaimDueLogouts(kNow, 5, 60);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    claimed += static_cast<int>(r->size());
  });
  EXPECT_EQ(claimed.load(), 40);
}

TYPED_TEST(ConcurrencyTest, DistinctWritesFromManyThreadsAllLand) {
  RunTogether([&](int i) {
    for (int j = 0; j < 10; ++j) {
      Status s = this->store_->RecordOnce(
          ReplayScope::kDpopProof, std::to_string(i) + "-" + std::to_string(j), kNow + 60, kNow);
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
  });
  EXPECT_EQ(this->store_->SweepExpired(kNow + 60)->replay_entries, kThreads * 10);
}

}  // namespace
}  // namespace accord::store::testing
