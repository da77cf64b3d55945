// Audit log benchmarks: durable appends/s with acknowledgement latency under N concurrent writers,
// and inclusion-proof generation time. Targets (docs/audit.md): >= 50,000 acknowledged appends/s
// with p99 <= 20 ms; an inclusion proof in <= 50 us. Each benchmark's label names its target so the
// figure and the limit print side by side.
//
//   build/default/src/audit/audit_bench [--benchmark_filter=...]
//   AUDIT_BENCH_DIR=/path/on/real/disk to choose the file system (default: $TMPDIR or /tmp).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "audit/merkle_nodes.h"
#include "audit/note_keys.h"
#include "audit/posix_log_storage.h"
#include "audit/tile_log.h"
#include "audit/tile_node_reader.h"

namespace accord::audit {
namespace {

using Clock = std::chrono::steady_clock;

std::string MakeDir() {
  const char* base = std::getenv("AUDIT_BENCH_DIR");
  std::string tmpl = (std::filesystem::path(base ? base : std::filesystem::temp_directory_path().c_str()) /
                      "accord-audit-bench-XXXXXX")
                         .string();
  return ::mkdtemp(tmpl.data());
}

TileLogOptions Options() {
  auto pair = GenerateNoteKey("bench.accord.example/log", NoteKeyType::kEd25519);
  TileLogOptions o;
  o.origin = "bench.accord.example/log";
  o.signer = std::move(*NewNoteSigner(AsStringView(pair->skey.view())));
  o.verifier = std::move(*NewNoteVerifier(pair->vkey));
  return o;
}

// A realistic entry: a canonical attribute_release record is ~330 bytes.
Bytes SampleEntry(uint64_t n) {
  std::string s =
      "{\"v\":1,\"time_ms\":1700000000123,\"event\":\"attribute_release\",\"service\":\"sg.gov.example-"
      "benefits\",\"upstream\":\"uk.gov.one-login\",\"attributes\":[{\"name\":\"birthdate\","
      "\"classification\":\"official-sensitive\"},{\"name\":\"nationality\",\"classification\":"
      "\"official\"}],\"assurance\":\"P2\",\"consent_id\":\"c-" +
      std::to_string(n) + "\",\"subject_commitment\":\"q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s\"}";
  return ToBytes(s);
}

// Storage that keeps everything in memory: the CPU ceiling of the append pipeline (sequencing,
// hashing, tiles, bundles, checkpoint signing, acknowledgement) without disk sync latency.
class MemoryLogStorage final : public LogStorage {
 public:
  Result<Bytes> Read(std::string_view path, size_t) const override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = files_.find(std::string(path));
    if (it == files_.end()) return NotFound("absent", "not_found");
    return it->second;
  }
  Status Write(std::span<const StorageWrite> batch) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (const StorageWrite& w : batch) files_[w.path] = w.data;
    return Status::Ok();
  }
  Status Remove(std::string_view path) override {
    std::lock_guard<std::mutex> lock(mu_);
    files_.erase(std::string(path));
    return Status::Ok();
  }
  Result<std::vector<uint32_t>> ListPartials(std::string_view) const override {
    return std::vector<uint32_t>{};
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, Bytes> files_;
};

// Writers each keep up to `window` appends outstanding and wait for acknowledgements in order.
void BM_DurableAppend(benchmark::State& state) {
  const int writers = static_cast<int>(state.range(0));
  const int window = static_cast<int>(state.range(1));
  // Each case runs for a fixed wall time (AUDIT_BENCH_SECONDS, default 5) so slow configurations
  // (one synchronous writer) finish too.
  const char* secs_env = std::getenv("AUDIT_BENCH_SECONDS");
  const auto duration = std::chrono::duration<double>(secs_env ? std::atof(secs_env) : 5.0);
  for (auto _ : state) {
    const bool in_memory = state.range(2) != 0;
    const std::string dir = MakeDir();
    std::unique_ptr<LogStorage> storage;
    if (in_memory) {
      storage = std::make_unique<MemoryLogStorage>();
    } else {
      storage = std::move(*PosixLogStorage::Open(dir));
    }
    auto log = TileLog::Open(storage.get(), Options());
    std::vector<std::vector<double>> latencies(writers);
    const auto start = Clock::now();
    const auto stop_at = start + std::chrono::duration_cast<Clock::duration>(duration);
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w) {
      threads.emplace_back([&, w] {
        std::deque<std::pair<std::future<Result<uint64_t>>, Clock::time_point>> inflight;
        auto drain_one = [&] {
          auto& [f, t0] = inflight.front();
          if (!f.get().ok()) std::abort();
          latencies[w].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
          inflight.pop_front();
        };
        for (uint64_t i = 0; Clock::now() < stop_at; ++i) {
          if (inflight.size() >= static_cast<size_t>(window)) drain_one();
          inflight.emplace_back((*log)->Append(SampleEntry((uint64_t{1} << 40) * w + i)), Clock::now());
        }
        while (!inflight.empty()) drain_one();
      });
    }
    for (auto& t : threads) t.join();
    const double secs = std::chrono::duration<double>(Clock::now() - start).count();
    (*log)->Close();
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    state.counters["appends_per_s"] = static_cast<double>(all.size()) / secs;
    state.counters["p50_ms"] = all[all.size() / 2];
    state.counters["p99_ms"] = all[all.size() * 99 / 100];
    state.counters["max_ms"] = all.back();
    state.SetLabel(in_memory ? "in-memory storage: CPU ceiling, no durability"
                             : "posix storage; target: >= 50000 appends/s, p99 <= 20 ms");
    std::filesystem::remove_all(dir);
  }
}
BENCHMARK(BM_DurableAppend)
    ->ArgNames({"writers", "window", "memory"})
    ->Args({1, 1, 0})
    ->Args({16, 1, 0})
    ->Args({64, 1, 0})
    ->Args({16, 64, 0})
    ->Args({64, 64, 0})
    ->Args({16, 64, 1})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

struct ProofFixture {
  std::string dir;
  std::unique_ptr<PosixLogStorage> storage;
  std::unique_ptr<TileLog> log;
  uint64_t size = 0;
};

ProofFixture& Fixture() {
  static ProofFixture* f = [] {
    auto* fx = new ProofFixture;
    fx->dir = MakeDir();
    fx->storage = std::move(*PosixLogStorage::Open(fx->dir));
    TileLogOptions o = Options();
    o.max_batch_entries = 65536;
    fx->log = std::move(*TileLog::Open(fx->storage.get(), std::move(o)));
    constexpr uint64_t kEntries = 1 << 20;
    std::vector<std::future<Result<uint64_t>>> fs;
    for (uint64_t i = 0; i < kEntries; ++i) {
      fs.push_back(fx->log->Append(SampleEntry(i)));
      if (fs.size() == 65536) {
        for (auto& f : fs) (void)f.get();
        fs.clear();
      }
    }
    for (auto& f : fs) (void)f.get();
    fx->size = fx->log->size();
    std::atexit([] {
      Fixture().log->Close();
      std::filesystem::remove_all(Fixture().dir);
    });
    return fx;
  }();
  return *f;
}

void BM_InclusionProofWarmCache(benchmark::State& state) {
  ProofFixture& fx = Fixture();
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    auto p = fx.log->InclusionProof(rng() % fx.size, fx.size);
    benchmark::DoNotOptimize(p);
  }
  state.counters["tree_size"] = static_cast<double>(fx.size);
  state.SetLabel("target: <= 50 us per proof");
}
BENCHMARK(BM_InclusionProofWarmCache)->Unit(benchmark::kMicrosecond);

void BM_InclusionProofColdTiles(benchmark::State& state) {
  ProofFixture& fx = Fixture();
  StorageTileFetcher fetcher(*fx.storage);
  std::mt19937_64 rng(2);
  for (auto _ : state) {
    TileNodeReader reader(fetcher, fx.size, nullptr);  // read and hash every tile afresh
    auto p = BuildInclusionProof(reader, rng() % fx.size, fx.size);
    benchmark::DoNotOptimize(p);
  }
  state.counters["tree_size"] = static_cast<double>(fx.size);
  state.SetLabel("target: <= 50 us per proof (no tile cache: worst case)");
}
BENCHMARK(BM_InclusionProofColdTiles)->Unit(benchmark::kMicrosecond);

void BM_VerifyInclusion(benchmark::State& state) {
  ProofFixture& fx = Fixture();
  const uint64_t index = fx.size / 3;
  auto proof = *fx.log->InclusionProof(index, fx.size);
  const Hash leaf = HashLeaf(SampleEntry(index));
  auto root = TreeRoot(TileNodeReader(StorageTileFetcher(*fx.storage), fx.size, nullptr), fx.size);
  for (auto _ : state) benchmark::DoNotOptimize(VerifyInclusion(index, fx.size, leaf, proof, *root));
}
BENCHMARK(BM_VerifyInclusion)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace accord::audit

BENCHMARK_MAIN();
