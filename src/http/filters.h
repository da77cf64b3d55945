// The standard filters (see filter.h for the chain contract and docs/http.md for the order):
//
//   RequestIdFilter       echoes a well-formed inbound X-Request-Id or generates one; sets
//                         Request::request_id and the X-Request-Id response header.
//   AccessLogFilter       one line per request: method, path (never the query), route, status,
//                         latency, request id. Never bodies, query strings or Authorization.
//   MetricsFilter         accord_http_requests_total{route}, accord_http_responses_total{route,code},
//                         accord_http_request_duration_seconds{route} (lock-free after warm-up).
//   SecurityHeadersFilter CSP (default or per route), X-Content-Type-Options, Referrer-Policy,
//                         HSTS (TLS only), Cache-Control: no-store on sensitive routes; rendered
//                         once per route at construction, so adding them costs no allocation.
//   LimitsFilter          per-route body limits (413) below the server-wide one.
//
// Lifetime: filters that take a Router or Registry keep references; both must outlive them.
#ifndef ACCORD_HTTP_FILTERS_H_
#define ACCORD_HTTP_FILTERS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/access_log.h"
#include "http/filter.h"
#include "http/metrics.h"

namespace accord::http {

class RequestIdFilter : public Filter {
 public:
  RequestIdFilter();
  FilterStatus OnRequest(RequestContext& ctx, Response* response) override;
  void OnResponse(RequestContext& ctx, Response& response) override;
  // True for 1..64 characters of [A-Za-z0-9._-]; anything else is replaced by a generated id.
  static bool IsValidRequestId(std::string_view id);

 private:
  std::string prefix_;  // random per process
  std::atomic<uint64_t> counter_{0};
};

class AccessLogFilter : public Filter {
 public:
  using Sink = std::function<void(const AccessLogEntry&)>;
  // The default sink is WriteAccessLine (access_log.h): info-level lines to stdout through
  // stdio's buffer, flushed at least every second.
  explicit AccessLogFilter(Sink sink = {});
  void OnResponse(RequestContext& ctx, Response& response) override;

 private:
  Sink sink_;
};

class MetricsFilter : public Filter {
 public:
  MetricsFilter(Registry& registry, const Router& router);
  void OnResponse(RequestContext& ctx, Response& response) override;

 private:
  struct PerRoute {
    Counter* requests = nullptr;
    Histogram* latency = nullptr;
    std::string name;
    std::array<std::atomic<Counter*>, 600> by_status{};  // resolved lazily, then lock-free
  };
  void Count(PerRoute& per, std::chrono::steady_clock::time_point start, int status);
  CounterFamily& responses_;
  std::vector<std::unique_ptr<PerRoute>> routes_;  // index = Route::index; last = unmatched
};

struct SecurityHeadersOptions {
  bool tls = false;  // adds Strict-Transport-Security
  std::string content_security_policy = "default-src 'none'; frame-ancestors 'none'";
  int hsts_max_age_seconds = 63072000;  // two years
};

class SecurityHeadersFilter : public Filter {
 public:
  SecurityHeadersFilter(const Router& router, SecurityHeadersOptions options);
  void OnResponse(RequestContext& ctx, Response& response) override;

 private:
  struct Block {
    Headers fields;        // for responses that already set some of these themselves
    std::string rendered;  // the same fields pre-rendered for the common case
  };
  Block MakeBlock(const RouteOptions* route) const;

  SecurityHeadersOptions options_;
  std::vector<Block> blocks_;  // index = Route::index; last = unmatched
};

class LimitsFilter : public Filter {
 public:
  FilterStatus OnRequest(RequestContext& ctx, Response* response) override;
};

struct DefaultFilterOptions {
  SecurityHeadersOptions security;
  AccessLogFilter::Sink access_log;  // empty: spdlog
  bool access_log_enabled = true;
};

// The standard chain in its documented order: request id, access log, metrics, security headers,
// limits.
std::vector<std::unique_ptr<Filter>> DefaultFilters(const Router& router, Registry& registry,
                                                    DefaultFilterOptions options = {});

}  // namespace accord::http

#endif  // ACCORD_HTTP_FILTERS_H_
