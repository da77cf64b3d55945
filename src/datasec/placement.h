// Placement policy: which hosting environment may hold which class of data (docs/security.md,
// "Placement policy"; starting matrix in ../shared/reference/data-classification.md).
//
// <dir>/environments.toml declares
//   [[environments]]  id, name, country, and the highest labels it may hold
//                     (max_uk, max_sg_classification, max_sg_sensitivity);
//   [deployment]      environment = the id Accord's own store runs in; keep = record types the
//                     deployment keeps (default: every type in kRecordTypes);
//   [services.<client_id>]  environment = where that relying party holds what it receives.
// SECRET / Secret and above are never accepted: an environment may not declare them as its ceiling
// and no attribute or record of such a class is ever placed or released.
//
// Lifetime and thread safety: built once at start-up, then shared read-only; every method is const
// and safe to call concurrently (ClassificationTable records unclassified names under a mutex).
#ifndef ACCORD_DATASEC_PLACEMENT_H_
#define ACCORD_DATASEC_PLACEMENT_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "datasec/classification.h"

namespace accord::trust {
class TrustRegistry;
}

namespace accord::datasec {

struct Environment {
  std::string id;       // "uk-public-cloud", "sg-gcc-sg-region", ...
  std::string name;     // human readable
  std::string country;  // ISO 3166-1 alpha-3 of the data residency
  Classification ceiling;
};

struct Violation {
  std::string subject;  // "record:sessions", "service:sg-mom-employment-pass/national_identifier"
  std::string message;  // what is wrong, naming classes and environments (never personal data)
};

class PlacementPolicy {
 public:
  // Reads <dir>/classification.toml and <dir>/environments.toml. Errors name file and key.
  static Result<PlacementPolicy> Load(const std::string& dir);
  static Result<PlacementPolicy> Parse(std::string_view classification_toml,
                                       std::string_view environments_toml);

  // The deployment's environment can hold every record type in `kept` (Accord refuses to start
  // otherwise). FailedPrecondition "placement_denied" naming the record type, its class and the
  // environment (the first offending type).
  Status CheckDeployment(const std::vector<std::string>& kept) const;
  // The same for the configured [deployment].keep list.
  Status CheckDeployment() const;
  // May `attribute` be released to the service `client_id`? PermissionDenied "placement_denied"
  // naming attribute, class and the service's environment when its class does not fit (or is
  // SECRET and above, or the service declares no environment).
  Status CheckRelease(std::string_view client_id, std::string_view attribute) const;
  // May `env` hold an item? Same error, without the service part.
  Status CheckPlacement(const Environment& env, ItemKind kind, std::string_view name) const;

  // Every violation of the configuration: unclassified items (every attribute the registry's
  // frameworks map and its services may receive), record types the deployment cannot hold, services
  // without an environment, allowed attributes a service's environment cannot hold, and trust
  // high-risk attributes classified below Sensitive (High). `registry` may be null.
  std::vector<Violation> Violations(const trust::TrustRegistry* registry) const;

  const ClassificationTable& classification() const { return classification_; }
  const std::vector<Environment>& environments() const { return environments_; }
  const Environment* FindEnvironment(std::string_view id) const;
  const Environment& deployment() const { return environments_[deployment_index_]; }
  const std::vector<std::string>& kept_records() const { return kept_; }
  const std::map<std::string, std::string>& service_environments() const { return services_; }
  // nullptr when the service declares none.
  const Environment* ServiceEnvironment(std::string_view client_id) const;

 private:
  explicit PlacementPolicy(ClassificationTable table) : classification_(std::move(table)) {}
  Status Check(const Environment& env, ItemKind kind, std::string_view name, StatusCode code,
               std::string_view where) const;

  ClassificationTable classification_;
  std::vector<Environment> environments_;
  size_t deployment_index_ = 0;
  std::vector<std::string> kept_;
  std::map<std::string, std::string> services_;  // client_id -> environment id
};

}  // namespace accord::datasec

#endif  // ACCORD_DATASEC_PLACEMENT_H_
