// Router: maps (method, path) to a named route. Exact paths first, then the longest matching
// path prefix (for static files and tiles). A path that exists with other methods gives
// kMethodNotAllowed and the Allow value; no path gives kNotFound. A GET route also answers HEAD
// (the server sends the headers without the body).
//
// Lifetime / thread safety: built single-threaded before the server starts (Add*), then shared
// read-only by all server threads; Route pointers stay valid for the Router's lifetime.
#ifndef ACCORD_HTTP_ROUTER_H_
#define ACCORD_HTTP_ROUTER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "http/request.h"
#include "http/response.h"

namespace accord::http {

// Handlers hold protocol logic only. By default a handler runs on the server's worker pool
// (ServerOptions::worker_threads), where it may block on the store (a durable commit waits for a
// shared fsync) or on an upstream call without holding up the I/O threads; routes that only read
// memory (discovery, JWKS, health, static files) set RouteOptions::inline_handler and run on the
// connection's I/O thread, saving two thread hand-offs.
using Handler = std::function<Response(const Request&)>;

struct RouteOptions {
  // Adds Cache-Control: no-store and Pragma: no-cache (tokens, credentials, personal data).
  bool sensitive = false;
  // Replaces the default Content-Security-Policy for this route when non-empty.
  std::string content_security_policy;
  // A body limit below the server-wide one for this route (413 beyond); 0 keeps the server's.
  size_t max_body_bytes = 0;
  // Runs the handler on the connection's I/O thread instead of the worker pool. Only for
  // handlers that never block (no store, no network, no file system beyond what is cached).
  bool inline_handler = false;
  // Decides per request, on the I/O thread, whether this request's handler runs there (true)
  // or on the worker pool: for a handler that never blocks for some requests only (a /token
  // grant whose store writes are all decided after it returns). Must be cheap and never block.
  std::function<bool(const Request&)> inline_if;
};

struct Route {
  std::string name;    // metrics/log label: a fixed name, never the raw path
  std::string method;  // exact, case-sensitive
  std::string path;    // exact path, or prefix when `prefix`
  bool prefix = false;
  Handler handler;
  RouteOptions options;
  size_t index = 0;  // dense 0..routes().size()-1, for per-route tables in filters
};

class Router {
 public:
  enum class MatchKind { kFound, kNotFound, kMethodNotAllowed };
  struct Match {
    MatchKind kind = MatchKind::kNotFound;
    const Route* route = nullptr;  // set when kFound
    std::string_view allow;        // set when kMethodNotAllowed, e.g. "GET, HEAD, POST"
  };

  Router() = default;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;
  Router(Router&&) = default;
  Router& operator=(Router&&) = default;

  // InvalidArgument when the method/path/name is empty or malformed, or the (method, path) pair
  // is already routed.
  Status Add(std::string name, std::string method, std::string path, Handler handler,
             RouteOptions options = {});
  // Matches every path starting with `prefix` (which must start and end with '/').
  Status AddPrefix(std::string name, std::string method, std::string prefix, Handler handler,
                   RouteOptions options = {});

  Match Find(std::string_view method, std::string_view path) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  struct Entry {
    std::string path;
    std::vector<const Route*> routes;
    std::string allow;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  Status AddRoute(std::string name, std::string method, std::string path, bool prefix,
                  Handler handler, RouteOptions options);
  static Match MatchEntry(const Entry& entry, std::string_view method);

  std::vector<std::unique_ptr<Route>> routes_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> exact_;
  std::vector<Entry> prefixes_;  // longest prefix first
};

}  // namespace accord::http

#endif  // ACCORD_HTTP_ROUTER_H_
