// ServicePolicy: what one relying party (client_id) accepts and may receive. Declared in
// data/trust/services.toml or in the provider config (TrustRegistry::AddPolicy).
//
// Thread safety: plain values.
#ifndef ACCORD_TRUST_POLICY_H_
#define ACCORD_TRUST_POLICY_H_

#include <map>
#include <string>
#include <vector>

#include "trust/level.h"

namespace accord::trust {

struct AttributeRequest {
  std::string name;     // common attribute name
  std::string purpose;  // why the service asks: shown on the consent page
  bool essential = false;
};

struct ServicePolicy {  // per relying party (client_id)
  std::string client_id, service_name, country;  // country of the receiving service (alpha-3)
  std::vector<std::string> accepted_upstreams;
  std::vector<AttributeRequest> allowed_attributes;  // with purpose text shown on consent
  Level minimum_level = Level::kLow;
  std::string trust_framework;  // framework the service expects (e.g. "uk_diatf")
  // Additions (filled by TrustRegistry::AddPolicy from the framework when left empty):
  std::string ida_trust_framework;               // verified_claims trust_framework value
  std::map<Level, std::string> assurance_terms;  // the framework's words for common levels
};

}  // namespace accord::trust

#endif  // ACCORD_TRUST_POLICY_H_
