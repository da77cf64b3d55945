// How the broker reads a stored consent (store::Consent::claims_json holds a JSON array of the
// consented attribute names) and names it in the audit log.
#ifndef ACCORD_OIDC_BROKER_CONSENT_RECORD_H_
#define ACCORD_OIDC_BROKER_CONSENT_RECORD_H_

#include <string>
#include <vector>

#include "store/records.h"

namespace accord::oidc::broker::internal {

// The consented attribute names (empty for an unreadable record).
std::vector<std::string> ConsentedNames(const store::Consent& consent);
// "consent-" + 24 hex digits of SHA-256(subject, client_id, granted_at): stable per grant,
// reveals nothing about the person.
std::string ConsentId(const store::Consent& consent);

}  // namespace accord::oidc::broker::internal

#endif  // ACCORD_OIDC_BROKER_CONSENT_RECORD_H_
