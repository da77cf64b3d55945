// Filters: request handling as a chain of decorators around the route handler (Envoy style).
//
// For each request the Pipeline matches the route, then calls OnRequest on each filter in order.
// A filter returns kContinue to pass the request on, or kStopIteration after filling `*response`
// to answer it itself (the handler and later filters are skipped). The handler (or the 404/405
// answer) then produces the response, and OnResponse runs in reverse order on every filter whose
// OnRequest ran, so outer filters see the final response (including short-circuited ones).
//
// Lifetime / thread safety: filters are built before the server starts and shared by all server
// threads; OnRequest/OnResponse are called concurrently and must be thread-safe (keep per-request
// state in the RequestContext, shared state in atomics).
#ifndef ACCORD_HTTP_FILTER_H_
#define ACCORD_HTTP_FILTER_H_

#include <chrono>
#include <memory>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

namespace accord::http {

enum class FilterStatus {
  kContinue,       // pass the request to the next filter / the handler
  kStopIteration,  // `*response` is the answer; skip the rest of the chain
};

struct RequestContext {
  Request& request;
  Router::Match match;  // route (when found), or why not
  std::chrono::steady_clock::time_point start;  // when the request's first byte was read

  // The route's name for metrics and logs; "unmatched" for 404/405.
  std::string_view route_name() const {
    return match.route != nullptr ? std::string_view(match.route->name) : "unmatched";
  }
};

class Filter {
 public:
  virtual ~Filter() = default;
  virtual FilterStatus OnRequest(RequestContext& ctx, Response* response) {
    (void)ctx;
    (void)response;
    return FilterStatus::kContinue;
  }
  virtual void OnResponse(RequestContext& ctx, Response& response) {
    (void)ctx;
    (void)response;
  }
};

// Router + filters: everything between a parsed Request and the Response to write, with no I/O,
// so it is testable without sockets. Handler exceptions become a generic 500 (never their text).
class Pipeline {
 public:
  // `router` must outlive the Pipeline.
  Pipeline(const Router& router, std::vector<std::unique_ptr<Filter>> filters);

  Response Handle(Request& request, std::chrono::steady_clock::time_point start) const;
  // Whether Handle may run on the I/O thread: the request's route is marked inline_handler, or
  // no route matches (404/405 answers never block).
  bool RunsInline(const Request& request) const;
  const Router& router() const { return router_; }

 private:
  const Router& router_;
  std::vector<std::unique_ptr<Filter>> filters_;
};

}  // namespace accord::http

#endif  // ACCORD_HTTP_FILTER_H_
