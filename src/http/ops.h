// Operational endpoints: GET /healthz (liveness), GET /readyz (readiness with pluggable checks),
// GET /metrics (Prometheus text exposition format 0.0.4).
//
// Lifetime: the Registry and ReadinessChecks passed to AddOperationalRoutes must outlive the Router.
// Thread safety: ReadinessChecks::Add before serving; Run is thread-safe (checks must be too).
#ifndef ACCORD_HTTP_OPS_H_
#define ACCORD_HTTP_OPS_H_

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/metrics.h"
#include "http/router.h"

namespace accord::http {

class ReadinessChecks {
 public:
  using Check = std::function<Status()>;
  // `name` appears in the /readyz body when the check fails; the Status message never does.
  void Add(std::string name, Check check);
  // Names of the checks that are not OK right now (empty: ready).
  std::vector<std::string> Failing() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, Check>> checks_;
};

// Adds routes "healthz", "readyz" and "metrics" at /healthz, /readyz and /metrics.
// /readyz answers 200 {"status":"ready"} or 503 {"status":"not_ready","failing":[names]}.
Status AddOperationalRoutes(Router& router, const Registry& registry,
                            const ReadinessChecks& readiness);

}  // namespace accord::http

#endif  // ACCORD_HTTP_OPS_H_
