#include "http/filters.h"

#include <cstdio>
#include <random>

namespace accord::http {
namespace {

// The status a settled answer goes out with (the server's rule, http/server.cc): the
// replacement's, else a 503 when the writes failed, else the handler's.
int SettledStatus(int handler_status, const Status& stored,
                  const std::optional<Response>& replaced) {
  if (replaced) return replaced->status;
  return stored.ok() ? handler_status : 503;
}

}  // namespace

// ---- RequestIdFilter ----

RequestIdFilter::RequestIdFilter() {
  std::random_device rd;
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%08x%08x", rd(), rd());
  prefix_ = buf;
}

bool RequestIdFilter::IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

FilterStatus RequestIdFilter::OnRequest(RequestContext& ctx, Response*) {
  const std::optional<std::string_view> inbound = ctx.request.headers.Get("X-Request-Id");
  if (inbound && IsValidRequestId(*inbound)) {
    ctx.request.request_id.assign(*inbound);
  } else {
    // "<prefix>-<counter in hex>", formatted by hand (snprintf showed up in profiles).
    uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed);
    char hex[16];
    size_t len = 0;
    do {
      hex[len++] = "0123456789abcdef"[n & 0xf];
      n >>= 4;
    } while (n != 0);
    std::string& id = ctx.request.request_id;
    id.reserve(prefix_.size() + 1 + len);
    id.assign(prefix_).push_back('-');
    while (len > 0) id.push_back(hex[--len]);
  }
  return FilterStatus::kContinue;
}

void RequestIdFilter::OnResponse(RequestContext& ctx, Response& response) {
  response.headers.Set("X-Request-Id", ctx.request.request_id);
}

// ---- AccessLogFilter ----

AccessLogFilter::AccessLogFilter(Sink sink) : sink_(std::move(sink)) {
  if (!sink_) sink_ = WriteAccessLine;
}

void AccessLogFilter::OnResponse(RequestContext& ctx, Response& response) {
  const auto elapsed = std::chrono::steady_clock::now() - ctx.start;
  AccessLogEntry entry;
  entry.method = ctx.request.method;
  entry.path = ctx.request.path;
  entry.route = ctx.route_name();
  entry.status = response.status;
  entry.latency_seconds = std::chrono::duration<double>(elapsed).count();
  entry.request_id = ctx.request.request_id;
  if (response.settle) {
    // The answer is decided once the handler's deferred writes settle: log what is sent then,
    // from copies (the entry's views point into the request).
    response.settle = [this, method = std::string(entry.method), path = std::string(entry.path),
                       route = std::string(entry.route), id = std::string(entry.request_id),
                       status = entry.status, start = ctx.start,
                       decide = std::move(response.settle)](const Status& stored) {
      std::optional<Response> replaced = decide(stored);
      AccessLogEntry sent;
      sent.method = method;
      sent.path = path;
      sent.route = route;
      sent.request_id = id;
      sent.status = SettledStatus(status, stored, replaced);
      sent.latency_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      sink_(sent);
      return replaced;
    };
    return;
  }
  sink_(entry);
}

// ---- MetricsFilter ----

MetricsFilter::MetricsFilter(Registry& registry, const Router& router)
    : responses_(registry.AddCounter("accord_http_responses_total",
                                     "HTTP responses by route and status code",
                                     {"route", "code"})) {
  CounterFamily& requests =
      registry.AddCounter("accord_http_requests_total", "HTTP requests by route", {"route"});
  HistogramFamily& latency = registry.AddHistogram(
      "accord_http_request_duration_seconds",
      "Time from the first byte of a request to its response, by route", {"route"});
  auto add = [&](const std::string& name) {
    auto per = std::make_unique<PerRoute>();
    per->name = name;
    per->requests = &requests.WithLabels({name});
    per->latency = &latency.WithLabels({name});
    routes_.push_back(std::move(per));
  };
  for (const auto& route : router.routes()) add(route->name);
  add("unmatched");
}

void MetricsFilter::OnResponse(RequestContext& ctx, Response& response) {
  const size_t index = ctx.match.route != nullptr ? ctx.match.route->index : routes_.size() - 1;
  PerRoute& per = *routes_[index];
  if (response.settle) {
    // Counted when the answer is decided (Response::settle), with the status that is sent.
    response.settle = [this, &per, start = ctx.start, status = response.status,
                       decide = std::move(response.settle)](const Status& stored) {
      std::optional<Response> replaced = decide(stored);
      Count(per, start, SettledStatus(status, stored, replaced));
      return replaced;
    };
    return;
  }
  Count(per, ctx.start, response.status);
}

void MetricsFilter::Count(PerRoute& per, std::chrono::steady_clock::time_point start,
                          int status) {
  per.requests->Inc();
  per.latency->Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  const size_t code = status >= 100 && status < 600 ? static_cast<size_t>(status) : 0;
  Counter* counter = per.by_status[code].load(std::memory_order_acquire);
  if (counter == nullptr) {
    counter = &responses_.WithLabels({per.name, std::to_string(code)});
    per.by_status[code].store(counter, std::memory_order_release);
  }
  counter->Inc();
}

// ---- SecurityHeadersFilter ----

SecurityHeadersFilter::SecurityHeadersFilter(const Router& router, SecurityHeadersOptions options)
    : options_(std::move(options)) {
  for (const auto& route : router.routes()) blocks_.push_back(MakeBlock(&route->options));
  blocks_.push_back(MakeBlock(nullptr));
}

SecurityHeadersFilter::Block SecurityHeadersFilter::MakeBlock(const RouteOptions* route) const {
  Block block;
  const std::string& csp = route != nullptr && !route->content_security_policy.empty()
                               ? route->content_security_policy
                               : options_.content_security_policy;
  if (!csp.empty() && IsValidHeaderValue(csp)) block.fields.Add("Content-Security-Policy", csp);
  block.fields.Add("X-Content-Type-Options", "nosniff");
  block.fields.Add("X-Frame-Options", "DENY");
  block.fields.Add("Referrer-Policy", "no-referrer");
  if (options_.tls) {
    block.fields.Add("Strict-Transport-Security",
                     "max-age=" + std::to_string(options_.hsts_max_age_seconds) +
                         "; includeSubDomains");
  }
  if (route != nullptr && route->sensitive) {
    block.fields.Add("Cache-Control", "no-store");
    block.fields.Add("Pragma", "no-cache");
  }
  for (const auto& [name, value] : block.fields) {
    block.rendered.append(name).append(": ").append(value).append("\r\n");
  }
  return block;
}

void SecurityHeadersFilter::OnResponse(RequestContext& ctx, Response& response) {
  const size_t index = ctx.match.route != nullptr ? ctx.match.route->index : blocks_.size() - 1;
  const Block& block = blocks_[index];
  bool clash = !response.preset_headers.empty();
  for (auto it = block.fields.begin(); !clash && it != block.fields.end(); ++it) {
    clash = response.headers.Has(it->first);
  }
  if (!clash) {
    response.preset_headers = block.rendered;
    return;
  }
  // The handler set some of these itself (e.g. its own CSP): keep its values, add the rest.
  for (const auto& [name, value] : block.fields) {
    if (!response.headers.Has(name)) response.headers.Add(name, value);
  }
}

// ---- LimitsFilter ----

FilterStatus LimitsFilter::OnRequest(RequestContext& ctx, Response* response) {
  if (ctx.match.route == nullptr) return FilterStatus::kContinue;
  const size_t limit = ctx.match.route->options.max_body_bytes;
  if (limit != 0 && ctx.request.body.size() > limit) {
    *response = ErrorResponse(413);
    ctx.request.keep_alive = false;
    return FilterStatus::kStopIteration;
  }
  return FilterStatus::kContinue;
}

std::vector<std::unique_ptr<Filter>> DefaultFilters(const Router& router, Registry& registry,
                                                    DefaultFilterOptions options) {
  std::vector<std::unique_ptr<Filter>> filters;
  filters.push_back(std::make_unique<RequestIdFilter>());
  if (options.access_log_enabled) {
    filters.push_back(std::make_unique<AccessLogFilter>(std::move(options.access_log)));
  }
  filters.push_back(std::make_unique<MetricsFilter>(registry, router));
  filters.push_back(std::make_unique<SecurityHeadersFilter>(router, std::move(options.security)));
  filters.push_back(std::make_unique<LimitsFilter>());
  return filters;
}

}  // namespace accord::http
