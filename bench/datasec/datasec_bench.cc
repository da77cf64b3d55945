// Field sealing cost on the brokered login path: the same store operations a brokered login
// performs (save the upstream login transaction, consume it, create the session with its ~1.5 KB
// identity_json, read the session back twice, store and read the consent), on one SQLite store,
// with SealingStore (on) and without (off), in one run. Also the sealing work alone (seal + open
// of the three fields) to show where the cost is. bench/datasec/run.sh prints on/off.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "crypto/random.h"
#include "datasec/sealing_store.h"
#include "store/token_hash.h"

namespace accord::datasec {
namespace {

constexpr int64_t kNow = 1800000000;

std::string IdentityJson() {
  // A CommonIdentity as the trust module serialises it, padded with evidence to ~1.5 KB.
  std::string j =
      R"({"upstream_id":"sandbox-sg","country":"SGP","trust_framework":"sg_singpass",)"
      R"("source_level":"urn:singpass:authentication:loa:2","level":"substantial",)"
      R"("verification_time":1800000000,"source_name":"Singpass - Accord sandbox","evidence":[)";
  for (int i = 0; i < 12; ++i) {
    if (i > 0) j += ",";
    j += R"("sg_singpass_government_record_)" + std::to_string(i) + R"(_with_some_detail_text")";
  }
  j += R"(],"attributes":{"given_name":"Mei Ling","family_name":"Sampleton","name":"SAMPLETON MEI LING",)"
       R"("birthdate":"1994-02-28","nationality":"SGP","national_identifier":"S9400228A",)"
       R"("national_identifier_country":"SG","address":"1 Example Road #01-01 Singapore 000001",)"
       R"("email":"meiling.sampleton@example.com","phone_number":"80000101"},)"
       R"("high_risk":["national_identifier"],"notes":")";
  while (j.size() < 1500) j += "x";
  j += "\"}";
  return j;
}

const std::string kLoginTx =
    R"({"upstream_id":"sandbox-sg","state":"st","nonce":"n0nce-abcdefghijklmnopqrstuvwxyz",)"
    R"("code_verifier":"verifier-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",)"
    R"("dpop_private_jwk":{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
    R"("y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"},)"
    R"("created_at":1800000000})";
const std::string kConsentClaims =
    R"({"consented":["given_name","family_name","birthdate"],"values":{"given_name":"Mei Ling",)"
    R"("family_name":"Sampleton","birthdate":"1994-02-28"}})";

struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<store::Store> store;
  KeyRing ring;
  FixedClock clock{kNow};

  explicit Fixture(bool sealed) {
    dir = std::filesystem::temp_directory_path() /
          ("accord-datasec-bench-" + std::to_string(::getpid()) + (sealed ? "-on" : "-off"));
    std::filesystem::remove_all(dir);
    store::StoreConfig config;
    config.sqlite_path = (dir / "accord.db").string();
    auto inner = store::OpenStore(config);
    if (!inner.ok()) std::abort();
    (void)ring.Add("bench-kek", crypto::RandomSecret(32));
    if (sealed) {
      store = std::make_unique<SealingStore>(std::move(*inner), &ring, RetentionPolicy(), &clock);
    } else {
      store = std::move(*inner);
    }
  }
  ~Fixture() {
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

void BrokeredLogin(benchmark::State& state, bool sealed) {
  Fixture f(sealed);
  const std::string identity = IdentityJson();
  int64_t n = 0;
  for (auto _ : state) {
    std::string id = std::to_string(n++);
    store::PushedRequest tx{"urn:accord:upstream:" + id, "accord", kLoginTx, kNow, kNow + 300};
    if (!f.store->SavePushedRequest(tx).ok()) state.SkipWithError("save tx");
    auto consumed = f.store->ConsumePushedRequest(tx.request_uri, kNow);
    if (!consumed.ok()) state.SkipWithError("consume tx");
    store::Session s;
    s.sid = "sid-" + id;
    s.secret_hash = store::HashToken("cookie-" + id);
    s.subject = "subject-" + id;
    s.auth_time = kNow;
    s.created_at = kNow;
    s.expires_at = kNow + 3600;
    s.identity_json = identity;
    if (!f.store->CreateSession(s).ok()) state.SkipWithError("session");
    for (int i = 0; i < 2; ++i) {  // consent page, then the ID token
      auto got = f.store->GetSession(s.secret_hash, kNow);
      if (!got.ok()) state.SkipWithError("get session");
      benchmark::DoNotOptimize(got);
    }
    store::Consent c{s.subject, "sg-mom-employment-pass", {"openid"}, kConsentClaims, kNow, 0};
    if (!f.store->PutConsent(c).ok()) state.SkipWithError("consent");
    auto got = f.store->GetConsent(c.subject, c.client_id);
    if (!got.ok()) state.SkipWithError("get consent");
    benchmark::DoNotOptimize(got);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_BrokeredLogin_Off(benchmark::State& state) { BrokeredLogin(state, false); }
void BM_BrokeredLogin_On(benchmark::State& state) { BrokeredLogin(state, true); }

void BM_SealFieldsOnly(benchmark::State& state) {
  KeyRing ring;
  (void)ring.Add("bench-kek", crypto::RandomSecret(32));
  FieldSealer sealer(&ring);
  const std::string identity = IdentityJson();
  for (auto _ : state) {
    auto a = sealer.Seal({"sessions", "sid-1", "identity_json"}, identity);
    auto b = sealer.Seal({"login_transactions", "urn:accord:upstream:1", "params_json"}, kLoginTx);
    auto c = sealer.Seal({"consents", "7:subjectc", "claims_json"}, kConsentClaims);
    auto a1 = sealer.Open({"sessions", "sid-1", "identity_json"}, *a);
    auto a2 = sealer.Open({"sessions", "sid-1", "identity_json"}, *a);
    auto b1 = sealer.Open({"login_transactions", "urn:accord:upstream:1", "params_json"}, *b);
    auto c1 = sealer.Open({"consents", "7:subjectc", "claims_json"}, *c);
    benchmark::DoNotOptimize(a1);
    benchmark::DoNotOptimize(a2);
    benchmark::DoNotOptimize(b1);
    benchmark::DoNotOptimize(c1);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_BrokeredLogin_Off)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BrokeredLogin_On)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SealFieldsOnly)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace accord::datasec

BENCHMARK_MAIN();
