// Assertion (what an upstream identity provider said) and CommonIdentity (what Accord recognises,
// in the common vocabulary). CommonIdentity is stored in Session::identity_json; its JSON format is
// documented in docs/trust.md ("Common identity JSON").
//
// Thread safety: plain values.
#ifndef ACCORD_TRUST_IDENTITY_H_
#define ACCORD_TRUST_IDENTITY_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "trust/level.h"

namespace accord::trust {

// What an upstream said, independent of connector types (filled from
// oidc::connectors::UpstreamIdentity by the broker).
struct Assertion {
  std::string upstream_id;  // "sandbox-uk", "sandbox-sg", ...: must be declared in frameworks.toml
  std::string country;      // ISO 3166-1 alpha-3 ("GBR", "SGP"); "" = take the declared one
  std::string framework;    // e.g. "uk_diatf", "sg_singpass"; "" = take the declared one
  std::string acr, vot;     // One Login: vot = core identity vot ("P2") or the ID token's ("Cl.Cm")
  std::vector<std::string> amr;
  int64_t auth_time = 0;
  boost::json::object claims;  // as UpstreamIdentity::claims
};

// Bounds on a serialised CommonIdentity (the store keeps identity_json <= 64 KiB).
inline constexpr size_t kMaxIdentityJsonBytes = 64 * 1024;

struct CommonIdentity {
  std::string upstream_id, country, trust_framework, source_level;
  Level level = Level::kNone;
  int64_t verification_time = 0;         // seconds since the epoch; 0 = unknown
  std::vector<std::string> evidence;     // short summaries, e.g. "uk_one_login_gpg45_medium"
  std::map<std::string, boost::json::value> attributes;  // common names: given_name, ...
  // Additions to the contract:
  std::string source_name;               // display name of the upstream ("GOV.UK One Login")
  std::set<std::string> high_risk;       // attribute names classified high-risk (national ids)

  // Compact JSON (docs/trust.md). Deterministic: members and attributes in a fixed order.
  std::string ToJson() const;
  // Strict: bounded (kMaxIdentityJsonBytes, depth 16), every member typed; unknown members are
  // rejected so a tampered or foreign blob is not half-read. Errors: InvalidArgument
  // "bad_identity_json" (or ParseJson's reasons).
  static Result<CommonIdentity> FromJson(std::string_view json);
};

}  // namespace accord::trust

#endif  // ACCORD_TRUST_IDENTITY_H_
