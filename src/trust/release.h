// The release decision: what a service may receive about a recognised person, and the claims that
// carry it (standard OpenID Connect claims plus OpenID Connect for Identity Assurance 1.0
// `verified_claims`). docs/trust.md, "Release".
//
//   PlanRelease   requested (scope + `claims` request + acr_values) intersected with the service's
//                 allowed attributes, each with the service's purpose; the level checked.
//   ReleaseClaims only attributes both planned and consented (and present in the identity).
//
// Thread safety: pure functions over plain values.
#ifndef ACCORD_TRUST_RELEASE_H_
#define ACCORD_TRUST_RELEASE_H_

#include <boost/json/object.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "trust/identity.h"
#include "trust/level.h"
#include "trust/policy.h"

namespace accord::trust {

inline constexpr size_t kMaxAcrValues = 16;
inline constexpr size_t kMaxAcrValuesBytes = 2048;
inline constexpr std::string_view kEidasTrustFramework = "eidas";  // registered OIDC4IDA identifier

struct ReleasePlan {
  std::vector<AttributeRequest> to_consent;  // in the policy's order, with its purposes
  Level level = Level::kNone;                // the identity's level (>= every requirement)
  std::string acr;                           // eIDAS URI of `level` (for the ID token's acr)
  // Additions:
  std::set<std::string> id_token_attributes;  // asked for the ID token (claims.id_token)
  std::set<std::string> userinfo_attributes;  // asked for userinfo (scope, claims.userinfo)
  bool verified_claims = true;   // false: the request's trust_framework constraint cannot be met
  std::string trust_framework;   // verified_claims.verification.trust_framework
  std::string assurance_level;   // the level in that framework's vocabulary
};

// Errors: PermissionDenied "upstream_not_accepted" (identity's upstream not in the policy);
// ParseClaimsRequest's errors, InvalidArgument "bad_acr_values" (more than 16 values or 2048 bytes);
// FailedPrecondition "unmet_authentication_requirements" when the identity's level is below the
// policy minimum, an acr_values / `acr` claim / verified_claims assurance_level requirement, or
// when none of the requested acr values or assurance levels is known (never a silently lower
// level). Unknown or not-allowed attribute names are ignored, even when essential: they are
// simply not released.
Result<ReleasePlan> PlanRelease(const ServicePolicy& policy, const CommonIdentity& identity,
                                std::string_view scope, std::string_view claims_request,
                                std::string_view acr_values);

// All claims for what was consented (ID token and userinfo together): each released attribute as a
// top-level claim, plus "verified_claims" {"verification": {"trust_framework", "assurance_level",
// "time", "evidence": [...]}, "claims": {...}} (omitted when nothing is released or
// plan.verified_claims is false). Does not set acr, sub or any protocol claim.
boost::json::object ReleaseClaims(const CommonIdentity& identity, const ReleasePlan& plan,
                                  const std::vector<std::string>& consented);

enum class ClaimsTarget { kIdToken, kUserinfo };
// The same restricted to the attributes asked for in one place (plan.id_token_attributes or
// plan.userinfo_attributes).
boost::json::object ReleaseClaimsFor(const CommonIdentity& identity, const ReleasePlan& plan,
                                     const std::vector<std::string>& consented,
                                     ClaimsTarget target);

// Standard claims a scope value asks for (OIDC Core 5.4, plus Accord's "birthdate" scope).
std::vector<std::string_view> ScopeClaims(std::string_view scope_value);

// "2026-03-01T12:00:00Z" (ISO 8601, UTC) for verification.time.
std::string FormatIsoTime(int64_t seconds);

}  // namespace accord::trust

#endif  // ACCORD_TRUST_RELEASE_H_
