#include "http/router.h"

#include <algorithm>

#include "http/headers.h"

namespace accord::http {
namespace {

void RebuildAllow(std::vector<const Route*>& routes, std::string* allow) {
  std::vector<std::string_view> methods;
  for (const Route* r : routes) {
    methods.push_back(r->method);
    if (r->method == "GET") methods.push_back("HEAD");
  }
  std::sort(methods.begin(), methods.end());
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  allow->clear();
  for (std::string_view m : methods) {
    if (!allow->empty()) allow->append(", ");
    allow->append(m);
  }
}

}  // namespace

Status Router::Add(std::string name, std::string method, std::string path, Handler handler,
                   RouteOptions options) {
  return AddRoute(std::move(name), std::move(method), std::move(path), false, std::move(handler),
                  std::move(options));
}

Status Router::AddPrefix(std::string name, std::string method, std::string prefix,
                         Handler handler, RouteOptions options) {
  if (prefix.size() < 1 || prefix.back() != '/') {
    return InvalidArgument("route prefix must end with '/'", "bad_route");
  }
  return AddRoute(std::move(name), std::move(method), std::move(prefix), true, std::move(handler),
                  std::move(options));
}

Status Router::AddRoute(std::string name, std::string method, std::string path, bool prefix,
                        Handler handler, RouteOptions options) {
  if (name.empty() || !IsValidHeaderName(method) || path.empty() || path.front() != '/' ||
      !handler) {
    return InvalidArgument("malformed route", "bad_route");
  }
  if (!IsValidHeaderValue(options.content_security_policy)) {
    return InvalidArgument("malformed Content-Security-Policy", "bad_route");
  }
  Entry* entry = nullptr;
  if (prefix) {
    auto it = std::find_if(prefixes_.begin(), prefixes_.end(),
                           [&](const Entry& e) { return e.path == path; });
    if (it == prefixes_.end()) {
      prefixes_.push_back(Entry{path, {}, {}});
      std::stable_sort(prefixes_.begin(), prefixes_.end(), [](const Entry& a, const Entry& b) {
        return a.path.size() > b.path.size();
      });
      it = std::find_if(prefixes_.begin(), prefixes_.end(),
                        [&](const Entry& e) { return e.path == path; });
    }
    entry = &*it;
  } else {
    entry = &exact_[path];
    entry->path = path;
  }
  for (const Route* r : entry->routes) {
    if (r->method == method) return InvalidArgument("route already exists", "duplicate_route");
  }
  auto route = std::make_unique<Route>();
  route->name = std::move(name);
  route->method = std::move(method);
  route->path = std::move(path);
  route->prefix = prefix;
  route->handler = std::move(handler);
  route->options = std::move(options);
  route->index = routes_.size();
  entry->routes.push_back(route.get());
  RebuildAllow(entry->routes, &entry->allow);
  routes_.push_back(std::move(route));
  return Status::Ok();
}

Router::Match Router::MatchEntry(const Entry& entry, std::string_view method) {
  const Route* get = nullptr;
  for (const Route* r : entry.routes) {
    if (r->method == method) return Match{MatchKind::kFound, r, {}};
    if (r->method == "GET") get = r;
  }
  if (method == "HEAD" && get != nullptr) return Match{MatchKind::kFound, get, {}};
  return Match{MatchKind::kMethodNotAllowed, nullptr, entry.allow};
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  if (auto it = exact_.find(path); it != exact_.end()) return MatchEntry(it->second, method);
  for (const Entry& e : prefixes_) {
    if (path.size() >= e.path.size() && path.compare(0, e.path.size(), e.path) == 0) {
      return MatchEntry(e, method);
    }
  }
  return Match{};
}

}  // namespace accord::http
