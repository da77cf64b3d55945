// Accord's trust module in one include: levels, assertions and common identities, the trust
// registry (frameworks, upstreams, service policies), claims requests and the release decision.
// See docs/trust.md.
#ifndef ACCORD_TRUST_TRUST_H_
#define ACCORD_TRUST_TRUST_H_

#include "trust/claims_request.h"  // IWYU pragma: export
#include "trust/identity.h"        // IWYU pragma: export
#include "trust/level.h"           // IWYU pragma: export
#include "trust/policy.h"          // IWYU pragma: export
#include "trust/registry.h"        // IWYU pragma: export
#include "trust/release.h"         // IWYU pragma: export

#endif  // ACCORD_TRUST_TRUST_H_
