// TrustRegistry: trust frameworks, upstream declarations and service policies, loaded once from
// data/trust/*.toml (configuration, not code: the mapping is to be reviewed by the framework
// owners; see docs/trust.md for the file formats).
//
//   <dir>/frameworks.toml   [[frameworks]] (levels, assurance terms, attribute schemas), [[upstreams]]
//   <dir>/services.toml     [[services]] (optional file)
//
// Every load error is InvalidArgument "bad_config" naming the file and key, e.g.
//   frameworks.toml: frameworks[1].levels[0].level: must be one of none, low, substantial, high
//
// Lifetime and thread safety: build with Load/Parse and AddPolicy during start-up, then share it
// read-only (Map and FindPolicy are const and safe concurrently). AddPolicy is not thread-safe.
#ifndef ACCORD_TRUST_REGISTRY_H_
#define ACCORD_TRUST_REGISTRY_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "trust/framework.h"
#include "trust/identity.h"
#include "trust/policy.h"

namespace accord::trust {

class TrustRegistry {
 public:
  static Result<TrustRegistry> Load(const std::string& dir);  // errors name file and key
  // The same from text (tests, embedded config); `services_toml` may be empty.
  static Result<TrustRegistry> Parse(std::string_view frameworks_toml,
                                     std::string_view services_toml);

  // Framework levels + attribute schema of the assertion's upstream. Errors: NotFound
  // "unknown_upstream"; InvalidArgument "country_mismatch" / "framework_mismatch".
  Result<CommonIdentity> Map(const Assertion& a) const;
  const ServicePolicy* FindPolicy(std::string_view client_id) const;
  // Validates and adds (services declared in the provider config): client_id unique
  // (AlreadyExists), known upstreams/framework/attributes, and no high-risk attribute released to
  // a service outside the attribute's issuing country (InvalidArgument "bad_config").
  Status AddPolicy(ServicePolicy p);

  const Framework* FindFramework(std::string_view id) const;
  const UpstreamDecl* FindUpstream(std::string_view id) const;
  const std::vector<Framework>& frameworks() const { return frameworks_; }
  const std::vector<UpstreamDecl>& upstreams() const { return upstreams_; }
  const std::vector<ServicePolicy>& policies() const { return policies_; }

 private:
  Status AddPolicyAt(ServicePolicy p, const std::string& key);

  std::vector<Framework> frameworks_;
  std::vector<UpstreamDecl> upstreams_;
  std::vector<ServicePolicy> policies_;
};

}  // namespace accord::trust

#endif  // ACCORD_TRUST_REGISTRY_H_
