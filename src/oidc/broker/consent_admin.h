// Consent records as an operator sees them (`accord consents list|revoke`), and the one revoke
// both the person's consents page (POST /consents/revoke) and the operator's command go through,
// so they have the same effect:
//   1. Store::RevokeConsent (a SealingStore also erases the sealed snapshot of what the consent
//      allowed to be kept);
//   2. a consent_revoked audit event: the service, the consent id, the HMAC commitment of the
//      service's pairwise subject (no personal data), the upstream when known.
// Nothing else is revoked: tokens already issued live out their (short) lifetimes, as on the page.
//
// Subjects are the broker's local subjects ("b:" + HMAC, broker.h): no personal data.
//
// Lifetime: the referenced store, provider, clock and audit sink must outlive the object.
// Thread safety: const methods are safe to call concurrently.
#ifndef ACCORD_OIDC_BROKER_CONSENT_ADMIN_H_
#define ACCORD_OIDC_BROKER_CONSENT_ADMIN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_sink.h"
#include "common/clock.h"
#include "common/status.h"
#include "crypto/secret.h"
#include "oidc/provider/provider.h"
#include "store/store.h"

namespace accord::oidc::broker {

// HMAC key for audit subject commitments, derived from the broker's root secret (the KEK).
crypto::SecretBytes CommitmentKey(const crypto::SecretBytes& root_secret);

struct ConsentView {
  std::string consent_id;  // internal::ConsentId: stable per grant, reveals nothing
  std::string client_id;
  std::string subject;     // the broker's local subject
  std::vector<std::string> scopes;
  std::vector<std::string> attributes;  // consented names (empty once revoked and erased)
  int64_t granted_at = 0;
  int64_t revoked_at = 0;  // 0: live
};

// The revoke shared by the page and the CLI (steps above). `provider` may be null: the
// commitment is then over the local subject. NotFound "not_found" when no live consent exists.
Status RevokeConsentAndRecord(store::Store& store, const Clock& clock,
                              const Provider* provider, audit::AuditSink* audit,
                              const crypto::SecretBytes& commitment_key,
                              std::string_view subject, std::string_view client_id,
                              std::string_view upstream);

class ConsentAdmin {
 public:
  ConsentAdmin(store::Store& store, const Clock& clock, const Provider& provider,
               const crypto::SecretBytes& root_secret, audit::AuditSink* audit);

  // Filters are optional ("" = any); at most `limit` (1..1000) records, by client then subject.
  Result<std::vector<ConsentView>> List(std::string_view client_id, std::string_view subject,
                                        int limit) const;
  // Revokes the live consent of (subject, client_id); returns it as it was before.
  Result<ConsentView> Revoke(std::string_view subject, std::string_view client_id) const;
  // Revokes the live consent with this id (searching at most 1000 records per client).
  Result<ConsentView> RevokeById(std::string_view consent_id) const;

 private:
  store::Store& store_;
  const Clock& clock_;
  const Provider& provider_;
  crypto::SecretBytes commitment_key_;
  audit::AuditSink* audit_;
};

}  // namespace accord::oidc::broker

#endif  // ACCORD_OIDC_BROKER_CONSENT_ADMIN_H_
