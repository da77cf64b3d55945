// /token's handler alone, beside the crypto it has to do: Provider::Token called the way the
// server calls it (inside a DeferredAck scope, every deferred store write run to its end on the
// store's own threads), on an SQLite store on disk, without sockets or HTTP parsing. Each grant
// is timed twice: the calling thread's CPU per request (the handler alone), and the process's
// (/process_time), where the store's flusher and syncer threads count.
//
// Pairs with bench/provider/cpu_ab.sh, which measures the whole server's CPU per request: the
// difference is the HTTP server's share (sockets, parsing, filters, hand-offs). The raw EVP pair
// (1 ES256 verify + 1 ES256 sign, the issue's count; + a second sign for the code exchange, which
// signs an ID token and an access token) is the crypto the handler cannot avoid; bench/provider/
// handler.sh prints the crypto share of each grant from one run.
//
// Requests (client assertions, and codes minted through /authorize and the sandbox login) are
// built ahead in batches with the timer paused.
#include <benchmark/benchmark.h>

#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include "bench/jose/raw_evp.h"
#include "common/base64url.h"
#include "common/deferred_ack.h"
#include "http/form.h"
#include "jose/jwk.h"
#include "jose/jws.h"
#include "oidc/provider/test_util.h"

namespace accord::bench {
namespace {

using oidc::testing::kOidcRedirect;
using oidc::testing::Pkce;
using oidc::testing::ProviderEnv;

constexpr size_t kBatch = 2000;  // requests built per pause of the timer

ProviderEnv& Env() {
  static ProviderEnv* env = new ProviderEnv();
  return *env;
}

[[noreturn]] void Die(std::string_view what) {
  std::cerr << "token_handler_bench: " << what << "\n";
  std::abort();
}

// Runs one request as the server does and counts its deferred waits until they report.
class Driver {
 public:
  void Run(const http::Request& request) {
    DeferredAck::Scope scope;
    http::Response r = Env().provider->Token(request);
    if (r.status != 200) Die("a token request was refused: " + r.body);
    for (DeferredAck::Wait& wait : scope.Take()) {
      {
        std::lock_guard lock(mu_);
        ++pending_;
      }
      wait([this](const Status& s) {
        std::lock_guard lock(mu_);
        if (!s.ok()) failed_ = true;
        if (--pending_ == 0) done_.notify_all();
      });
    }
  }
  // Blocks (without spinning, so the calling thread's CPU stays the handler's) until every
  // write this driver started is durable.
  void Drain() {
    std::unique_lock lock(mu_);
    done_.wait(lock, [this] { return pending_ == 0; });
    if (failed_) Die("a deferred store write failed");
  }

 private:
  std::mutex mu_;
  std::condition_variable done_;
  int64_t pending_ = 0;  // guarded by mu_
  bool failed_ = false;  // guarded by mu_
};

std::vector<http::Request> ClientCredentialsRequests(size_t n) {
  std::vector<http::Request> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(Env().Post("/token", Env().AssertionFields(Env().oidc_key, "oidc-client") +
                                           "&grant_type=client_credentials"));
  }
  return out;
}

std::vector<http::Request> CodeRequests(size_t n) {
  std::vector<http::Request> out;
  out.reserve(n);
  const Pkce pkce;
  for (size_t i = 0; i < n; ++i) {
    // Scope openid, as bench/provider/run.sh mints its codes: no refresh token.
    const std::string code = Env().OidcCode(pkce, "sandbox-gb-0001", "openid");
    if (code.empty()) Die("no code from /authorize");
    out.push_back(Env().Post(
        "/token", Env().AssertionFields(Env().oidc_key, "oidc-client") +
                      "&grant_type=authorization_code&code=" + code + "&code_verifier=" +
                      pkce.verifier + "&redirect_uri=" + http::FormEncode(kOidcRedirect)));
  }
  return out;
}

template <typename Make>
void RunGrant(benchmark::State& state, Make make, size_t batch) {
  Driver driver;
  std::vector<http::Request> requests = make(batch);
  size_t next = 0;
  for (auto _ : state) {
    if (next == requests.size()) {
      driver.Drain();  // timed: writes the store has not finished yet are this batch's work
      state.PauseTiming();
      requests = make(batch);
      next = 0;
      state.ResumeTiming();
    }
    driver.Run(requests[next++]);
  }
  driver.Drain();
  state.SetItemsProcessed(state.iterations());
}

void BM_ClientCredentials_Handler(benchmark::State& state) {
  RunGrant(state, ClientCredentialsRequests, kBatch);
}
BENCHMARK(BM_ClientCredentials_Handler)->MeasureProcessCPUTime()->Unit(benchmark::kMicrosecond);
// The calling thread's CPU alone: the handler without the store's flusher and syncer.
BENCHMARK(BM_ClientCredentials_Handler)->Unit(benchmark::kMicrosecond);

void BM_AuthorizationCode_Handler(benchmark::State& state) {
  RunGrant(state, CodeRequests, kBatch / 4);
}
BENCHMARK(BM_AuthorizationCode_Handler)->MeasureProcessCPUTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AuthorizationCode_Handler)->Unit(benchmark::kMicrosecond);

// The crypto bound's operations on raw EVP: `signs` ES256 signs and one verify per request.
struct RawEs256 {
  RawEs256() : key(crypto::PrivateKey::GenerateEc(crypto::Curve::kP256)) {
    if (!key.ok()) Die("keygen");
    signer.emplace(RawSigKind::kEcdsaSha256, *key);  // borrows the key's EVP_PKEY
    public_key.emplace(key->public_key());
    verifier.emplace(RawSigKind::kEcdsaSha256, *public_key);
    auto jwk = jose::Jwk::FromPrivateKey(*key);
    auto jws = jose::JwsSigner::Create(jwk, crypto::SignatureAlgorithm::kEs256);
    if (!jws.ok()) Die("signer");
    auto token = jws->Sign(R"({"iss":"bench","sub":"bench","aud":"https://op.example"})");
    if (!token.ok()) Die("sign");
    const size_t dot = token->rfind('.');
    input = ToBytes(std::string_view(*token).substr(0, dot));
    auto sig = Base64UrlDecode(std::string_view(*token).substr(dot + 1));
    if (!sig.ok()) Die("signature");
    der = JoseEcdsaToDer(*sig);
  }
  Result<crypto::PrivateKey> key;
  std::optional<crypto::PublicKey> public_key;
  std::optional<RawSigner> signer;
  std::optional<RawVerifier> verifier;
  Bytes input, der;
};

void BM_Es256Crypto_RawEvp(benchmark::State& state) {
  static RawEs256* raw = new RawEs256();
  const int signs = static_cast<int>(state.range(0));
  for (auto _ : state) {
    if (!raw->verifier->Verify(raw->input, raw->der)) Die("raw verify");
    for (int i = 0; i < signs; ++i) benchmark::DoNotOptimize(raw->signer->Sign(raw->input));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Es256Crypto_RawEvp)
    ->ArgName("signs")
    ->Arg(1)
    ->Arg(2)
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMicrosecond);

// The provider's own access token signer (its key as the key manager loads it) on a small claim
// set: what one of the handler's signs costs.
void BM_AccessTokenSign_Provider(benchmark::State& state) {
  auto snap = Env().keys->Current();
  if (snap == nullptr) Die("no keys");
  boost::json::object claims{{"iss", "https://op.example"}, {"sub", "bench"}, {"exp", 4102444800}};
  for (auto _ : state) {
    auto token = snap->access_token_signer->Sign(claims);
    if (!token.ok()) Die("sign");
    benchmark::DoNotOptimize(*token);
  }
}
BENCHMARK(BM_AccessTokenSign_Provider)->Unit(benchmark::kMicrosecond);

void BM_Es256Sign_RawEvp(benchmark::State& state) {
  static RawEs256* raw = new RawEs256();
  for (auto _ : state) benchmark::DoNotOptimize(raw->signer->Sign(raw->input));
}
BENCHMARK(BM_Es256Sign_RawEvp)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace accord::bench

BENCHMARK_MAIN();
