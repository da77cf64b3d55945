// Vectors of trust (RFC 8485) as GOV.UK One Login uses them in the `vtr` authorization
// parameter: a JSON array of vectors such as ["Cl.Cm.P2"] (facts: docs/sandboxes.md).
//
// A vector is dot-separated components in this order: credential "Cl" or "Cl.Cm", then at most
// one identity component "P1" or "P2". An identity-only vector ("P2") implies "Cl.Cm"; "P2"
// needs "Cl.Cm" ("Cl.P2" is invalid). Default (no vtr): ["Cl.Cm"].
//
// Thread safety: pure functions and value types.
#ifndef ACCORD_OIDC_PROVIDER_VTR_H_
#define ACCORD_OIDC_PROVIDER_VTR_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace accord::oidc {

inline constexpr std::string_view kDefaultVtr = "[\"Cl.Cm\"]";
inline constexpr size_t kMaxVtrBytes = 256;
inline constexpr size_t kMaxVectors = 4;

struct TrustVector {
  std::string credential;  // "Cl" or "Cl.Cm"
  std::string identity;    // "", "P1" or "P2"
  std::string ToString() const { return identity.empty() ? credential : credential + "." + identity; }
};

// Parses one vector ("Cl.Cm.P2", "P2", ...), normalising the implied credential part.
// InvalidArgument "invalid_request" naming the problem.
Result<TrustVector> ParseTrustVector(std::string_view text);

// Parses the `vtr` parameter (a JSON array of 1..kMaxVectors vector strings, at most
// kMaxVtrBytes). InvalidArgument "invalid_request".
Result<std::vector<TrustVector>> ParseVtr(std::string_view json);

// The normalised JSON form of a vtr parameter (e.g. "P2" -> ["Cl.Cm.P2"]); kDefaultVtr for "".
Result<std::string> NormalizeVtr(std::string_view json);

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_VTR_H_
