// The OpenID Connect `claims` request parameter (OIDC Core 1.0 section 5.5) with OpenID Connect for
// Identity Assurance 1.0 `verified_claims` requests (docs/trust.md, "Claims requests").
//
//   {"userinfo": {"given_name": {"essential": true}, "email": null,
//                 "verified_claims": {"verification": {"trust_framework": null,
//                                                      "assurance_level": {"value": "medium"}},
//                                     "claims": {"family_name": {"purpose": "..."}}}},
//    "id_token": {"acr": {"essential": true, "values": ["http://eidas.europa.eu/LoA/substantial"]}}}
//
// Bounded (kMaxClaimsRequestBytes, depth kMaxClaimsRequestDepth, kMaxClaimsPerLocation members,
// kMaxVerifiedClaimsRequests per location) and strict about the members it reads; other members are
// ignored as OIDC Core requires of extensions.
//
// Thread safety: pure function over plain values.
#ifndef ACCORD_TRUST_CLAIMS_REQUEST_H_
#define ACCORD_TRUST_CLAIMS_REQUEST_H_

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace accord::trust {

inline constexpr size_t kMaxClaimsRequestBytes = 16 * 1024;
inline constexpr size_t kMaxClaimsRequestDepth = 10;
inline constexpr size_t kMaxClaimsPerLocation = 64;
inline constexpr size_t kMaxVerifiedClaimsRequests = 8;

struct ClaimRequest {
  std::string name;
  bool essential = false;
  std::vector<boost::json::value> values;  // `value` (one entry) or `values`; empty = any
  std::string purpose;                     // OIDC4IDA: 3 to 300 characters when present
};

// A request for verified_claims. Constraints are lists of acceptable values; empty = any.
struct VerifiedClaimsRequest {
  std::vector<std::string> trust_frameworks;  // verification.trust_framework value/values
  std::vector<std::string> assurance_levels;  // verification.assurance_level value/values
  std::vector<ClaimRequest> claims;           // never empty
};

struct ClaimsLocation {  // the members of "userinfo" or "id_token"
  std::vector<ClaimRequest> claims;            // top-level (standard) claims, incl. acr
  std::vector<VerifiedClaimsRequest> verified; // "verified_claims": one object or an array
};

struct ClaimsRequest {
  ClaimsLocation userinfo, id_token;
  bool empty() const {
    return userinfo.claims.empty() && userinfo.verified.empty() && id_token.claims.empty() &&
           id_token.verified.empty();
  }
};

// "" parses to an empty request. Errors: ParseJson's (OutOfRange "too_large"/"too_deep",
// InvalidArgument "bad_json"/"duplicate_key") or InvalidArgument "bad_claims_request" with a
// message naming the member (never its value). Callers answer any error with `invalid_request`.
Result<ClaimsRequest> ParseClaimsRequest(std::string_view json);

}  // namespace accord::trust

#endif  // ACCORD_TRUST_CLAIMS_REQUEST_H_
