#include "http/ops.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace accord::http {

void ReadinessChecks::Add(std::string name, Check check) {
  std::lock_guard lock(mu_);
  checks_.emplace_back(std::move(name), std::move(check));
}

std::vector<std::string> ReadinessChecks::Failing() const {
  std::vector<std::pair<std::string, Check>> checks;
  {
    std::lock_guard lock(mu_);
    checks = checks_;
  }
  std::vector<std::string> failing;
  for (const auto& [name, check] : checks) {
    bool ok = false;
    try {
      ok = check().ok();
    } catch (...) {
      ok = false;
    }
    if (!ok) failing.push_back(name);
  }
  return failing;
}

Status AddOperationalRoutes(Router& router, const Registry& registry,
                            const ReadinessChecks& readiness) {
  RouteOptions no_store;
  no_store.sensitive = true;
  RouteOptions in_memory = no_store;
  in_memory.inline_handler = true;
  ACCORD_RETURN_IF_ERROR(router.Add(
      "healthz", "GET", "/healthz", [](const Request&) { return TextResponse("ok\n"); }, in_memory));
  ACCORD_RETURN_IF_ERROR(router.Add(
      "readyz", "GET", "/readyz",
      [&readiness](const Request&) {
        const std::vector<std::string> failing = readiness.Failing();
        boost::json::object body;
        if (failing.empty()) {
          body["status"] = "ready";
          return JsonResponse(boost::json::serialize(body));
        }
        body["status"] = "not_ready";
        boost::json::array names;
        for (const std::string& n : failing) names.emplace_back(n);
        body["failing"] = std::move(names);
        return JsonResponse(boost::json::serialize(body), 503);
      },
      no_store));
  return router.Add(
      "metrics", "GET", "/metrics",
      [&registry](const Request&) {
        Response r;
        r.headers.Add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        r.body = registry.RenderPrometheus();
        return r;
      },
      in_memory);
}

}  // namespace accord::http
