// broker_bench: complete brokered logins per second through Accord (issue #7, "Speed").
//
//   broker_bench --config bench.toml [--threads N] [--duration S] [--warmup S]
//
// Each worker thread loops over complete logins, alternating the configured directions. One
// login is, with every signature, DPoP proof and JWE real:
//   service   Connector::Start() (Accord's generic connector as the service: PAR + private_key_jwt
//             + DPoP for a FAPI 2.0 service, PKCE for both)
//   browser   GET /authorize -> the gateway's sign-in page; POST /login (txn, csrf cookie, upstream)
//             -> the home provider's sign-in page; POST /login (person) -> the gateway's upstream
//             callback (the gateway's connector redeems the code, verifies the ID token / JWE,
//             userinfo, core identity JWT) -> the consent page when one is due (POST /consent with
//             its CSRF token), else straight -> the service's redirect_uri?code&state&iss
//   service   Connector::Finish(): token (client assertion, DPoP), ID token, userinfo; the login
//             counts only when the claims hold verified_claims.
// The bench config (TOML) has [[directions]] {name, service (an [[upstreams]] id), home (the
// gateway's upstream id), person} and the services' [[upstreams]] tables (docs/connectors.md).
//
// Output: one "key value" line each (run.sh reads them): logins, failures, seconds, logins_per_s,
// p50_ms, p99_ms, per direction <name>_p50_ms / _p99_ms / _logins, consents (consent pages
// submitted), logins_total (including warm-up; for per-login crypto counts).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/broker/browser.h"
#include "oidc/connectors/config.h"
#include "oidc/connectors/connector.h"

namespace accord::bench {
namespace {

using Clock = std::chrono::steady_clock;
namespace connectors = oidc::connectors;

struct Direction {
  std::string name, service, home, person;
  std::unique_ptr<connectors::Connector> connector;
};

struct Options {
  std::string config;
  int threads = 8;
  double duration = 5;
  double warmup = 1;
};

struct Outcome {
  bool ok = false;
  bool consented = false;
  std::string error;  // step and status, no secrets
};

Status Step(std::string_view what, const Result<http::Response>& r, int want) {
  if (!r.ok()) return Unavailable(std::string(what) + ": " + r.status().ToString(), "io");
  if (r->status != want) {
    return Internal(std::string(what) + ": HTTP " + std::to_string(r->status), "http");
  }
  return Status::Ok();
}

std::string Location(const http::Response& r) {
  auto l = r.headers.Get("Location");
  return l ? std::string(*l) : std::string();
}

// One complete login; the outcome says whether it was one.
Outcome Login(const http::HttpClient& client, const Direction& d) {
  Outcome out;
  auto fail = [&](const Status& s) {
    out.error = s.ToString();
    return out;
  };
  auto started = d.connector->Start();
  if (!started.ok()) return fail(started.status());
  Browser b(client);
  auto page = b.Get(started->redirect_url);
  if (Status s = Step("gateway sign-in page", page, 200); !s.ok()) return fail(s);
  std::string gateway = OriginOf(started->redirect_url);
  auto txn = HiddenField(page->body, "txn");
  auto csrf = HiddenField(page->body, "csrf");
  if (!txn.ok() || !csrf.ok()) return fail(Internal("gateway sign-in form", "form"));
  auto home = b.Post(gateway + "/login", {{"txn", *txn}, {"csrf", *csrf}, {"upstream", d.home}});
  if (Status s = Step("gateway login", home, 303); !s.ok()) return fail(s);
  std::string home_url = Location(*home);
  page = b.Get(home_url);
  if (Status s = Step("home sign-in page", page, 200); !s.ok()) return fail(s);
  txn = HiddenField(page->body, "txn");
  csrf = HiddenField(page->body, "csrf");
  if (!txn.ok() || !csrf.ok()) return fail(Internal("home sign-in form", "form"));
  auto callback =
      b.Post(OriginOf(home_url) + "/login", {{"txn", *txn}, {"csrf", *csrf}, {"person", d.person}});
  if (Status s = Step("home login", callback, 303); !s.ok()) return fail(s);
  auto back = b.Get(Location(*callback));
  if (back.ok() && back->status == 200) {  // the consent page
    txn = HiddenField(back->body, "txn");
    csrf = HiddenField(back->body, "csrf");
    if (!txn.ok() || !csrf.ok()) return fail(Internal("consent form", "form"));
    back = b.Post(gateway + "/consent", {{"txn", *txn}, {"csrf", *csrf}, {"decision", "agree"}});
    out.consented = true;
  }
  if (Status s = Step("gateway callback", back, 303); !s.ok()) return fail(s);
  auto query = QueryOf(Location(*back));
  if (!query.ok()) return fail(query.status());
  if (query->Get("error")) return fail(Internal("service got error=" + std::string(*query->Get("error")), "oauth"));
  auto identity = d.connector->Finish(*query, started->pending);
  if (!identity.ok()) return fail(identity.status());
  if (identity->claims.if_contains("verified_claims") == nullptr) {
    return fail(Internal("no verified_claims released", "claims"));
  }
  out.ok = true;
  return out;
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

Result<std::vector<Direction>> LoadDirections(const std::string& path,
                                              std::shared_ptr<const http::HttpClient> http) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(std::string("bench config: ") + std::string(e.description()), "bad_config");
  }
  const toml::array* ups = root["upstreams"].as_array();
  const toml::array* dirs = root["directions"].as_array();
  if (ups == nullptr || dirs == nullptr) {
    return InvalidArgument("bench config: [[upstreams]] and [[directions]] are required", "bad_config");
  }
  std::string base = std::filesystem::path(path).parent_path().string();
  ACCORD_ASSIGN_OR_RETURN(auto configs, connectors::ParseUpstreams(*ups, base));
  std::vector<Direction> out;
  for (const auto& node : *dirs) {
    const toml::table* t = node.as_table();
    if (t == nullptr) return InvalidArgument("bench config: directions", "bad_config");
    Direction d;
    d.name = (*t)["name"].value_or(std::string());
    d.service = (*t)["service"].value_or(std::string());
    d.home = (*t)["home"].value_or(std::string());
    d.person = (*t)["person"].value_or(std::string());
    for (const auto& c : configs) {
      if (c.id != d.service) continue;
      ACCORD_ASSIGN_OR_RETURN(d.connector, connectors::MakeConnector(c, {http, nullptr}));
    }
    if (d.connector == nullptr || d.name.empty() || d.home.empty() || d.person.empty()) {
      return InvalidArgument("bench config: direction " + d.name + " is incomplete", "bad_config");
    }
    out.push_back(std::move(d));
  }
  return out;
}

int Run(const Options& opt) {
  auto client = http::HttpClient::Create();
  if (!client.ok()) return std::fprintf(stderr, "%s\n", client.status().ToString().c_str()), 2;
  std::shared_ptr<const http::HttpClient> http(std::move(*client));
  auto directions = LoadDirections(opt.config, http);
  if (!directions.ok()) {
    std::fprintf(stderr, "%s\n", directions.status().ToString().c_str());
    return 2;
  }
  // One login per direction before timing: discovery, JWKS and did.json caches, consent given.
  for (const auto& d : *directions) {
    Outcome o = Login(*http, d);
    if (!o.ok) {
      std::fprintf(stderr, "first login (%s) failed: %s\n", d.name.c_str(), o.error.c_str());
      return 1;
    }
  }
  const size_t n = directions->size();
  std::atomic<bool> stop{false};
  std::atomic<long> total{1}, failures{0}, consents{0};
  total = static_cast<long>(n);
  auto start = Clock::now();
  auto measure_from = start + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(opt.warmup));
  auto measure_to = measure_from + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(opt.duration));
  std::mutex mu;
  std::vector<std::vector<double>> latencies(n);
  std::string first_error;
  std::vector<std::thread> workers;
  for (int w = 0; w < opt.threads; ++w) {
    workers.emplace_back([&, w] {
      std::vector<std::vector<double>> mine(n);
      long i = w;
      while (!stop.load(std::memory_order_relaxed)) {
        const Direction& d = (*directions)[static_cast<size_t>(i++) % n];
        auto t0 = Clock::now();
        Outcome o = Login(*http, d);
        auto t1 = Clock::now();
        if (o.ok) {
          total.fetch_add(1, std::memory_order_relaxed);
          if (o.consented) consents.fetch_add(1, std::memory_order_relaxed);
        }
        if (t0 >= measure_from && t1 <= measure_to) {
          if (o.ok) {
            mine[static_cast<size_t>(&d - directions->data())].push_back(
                std::chrono::duration<double, std::milli>(t1 - t0).count());
          } else {
            failures.fetch_add(1, std::memory_order_relaxed);
            std::lock_guard<std::mutex> lock(mu);
            if (first_error.empty()) first_error = d.name + ": " + o.error;
          }
        }
        if (t1 > measure_to) break;
      }
      std::lock_guard<std::mutex> lock(mu);
      for (size_t k = 0; k < n; ++k) {
        latencies[k].insert(latencies[k].end(), mine[k].begin(), mine[k].end());
      }
    });
  }
  for (auto& t : workers) t.join();
  std::vector<double> all;
  long logins = 0;
  for (size_t k = 0; k < n; ++k) {
    const std::string& name = (*directions)[k].name;
    logins += static_cast<long>(latencies[k].size());
    all.insert(all.end(), latencies[k].begin(), latencies[k].end());
    std::printf("%s_logins %zu\n", name.c_str(), latencies[k].size());
    std::printf("%s_p50_ms %.2f\n", name.c_str(), Percentile(latencies[k], 0.50));
    std::printf("%s_p99_ms %.2f\n", name.c_str(), Percentile(latencies[k], 0.99));
  }
  // Logins that completed inside the window over the window's length.
  std::printf("threads %d\nseconds %.2f\nlogins %ld\nfailures %ld\n", opt.threads, opt.duration,
              logins, failures.load());
  std::printf("logins_per_s %.1f\n", static_cast<double>(logins) / opt.duration);
  std::printf("p50_ms %.2f\np99_ms %.2f\n", Percentile(all, 0.50), Percentile(all, 0.99));
  std::printf("consents %ld\nlogins_total %ld\n", consents.load(), total.load());
  if (!first_error.empty()) std::fprintf(stderr, "first failure: %s\n", first_error.c_str());
  return failures.load() == 0 && logins > 0 ? 0 : 1;
}

}  // namespace
}  // namespace accord::bench

int main(int argc, char** argv) {
  accord::bench::Options opt;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--config") {
      opt.config = value;
    } else if (flag == "--threads") {
      opt.threads = std::clamp(std::atoi(value), 1, 256);
    } else if (flag == "--duration") {
      opt.duration = std::clamp(std::atof(value), 0.5, 3600.0);
    } else if (flag == "--warmup") {
      opt.warmup = std::clamp(std::atof(value), 0.0, 600.0);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (opt.config.empty()) {
    std::fprintf(stderr,
                 "usage: broker_bench --config bench.toml [--threads N] [--duration S] "
                 "[--warmup S]\n");
    return 2;
  }
  return accord::bench::Run(opt);
}
