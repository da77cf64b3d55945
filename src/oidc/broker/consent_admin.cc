// Consent records for operators, and the shared revoke (consent_admin.h).
#include "oidc/broker/consent_admin.h"

#include "common/bytes.h"
#include "crypto/hash.h"
#include "oidc/broker/consent_record.h"

namespace accord::oidc::broker {
namespace {

constexpr int kMaxListed = 1000;

ConsentView ViewOf(const store::Consent& c) {
  ConsentView v;
  v.consent_id = internal::ConsentId(c);
  v.client_id = c.client_id;
  v.subject = c.subject;
  v.scopes = c.scopes;
  v.attributes = internal::ConsentedNames(c);
  v.granted_at = c.granted_at;
  v.revoked_at = c.revoked_at;
  return v;
}

}  // namespace

crypto::SecretBytes CommitmentKey(const crypto::SecretBytes& root_secret) {
  std::string_view label = "accord audit subject commitment v1";
  return crypto::SecretBytes(
      crypto::Hmac(crypto::HashAlgorithm::kSha256, root_secret.view(), AsBytes(label)));
}

Status RevokeConsentAndRecord(store::Store& store, const Clock& clock, const Provider* provider,
                              audit::AuditSink* audit, const crypto::SecretBytes& commitment_key,
                              std::string_view subject, std::string_view client_id,
                              std::string_view upstream) {
  ACCORD_ASSIGN_OR_RETURN(store::Consent consent, store.GetConsent(subject, client_id));
  if (consent.revoked_at != 0) return NotFound("the consent is already withdrawn", "not_found");
  ACCORD_RETURN_IF_ERROR(store.RevokeConsent(subject, client_id, clock.NowSeconds()));
  if (audit == nullptr) return Status::Ok();
  audit::AuditEvent event;
  event.type = audit::EventType::kConsentRevoked;
  event.service = std::string(client_id);
  event.upstream = std::string(upstream);
  event.consent_id = internal::ConsentId(consent);
  const ClientConfig* client =
      provider != nullptr ? provider->config().FindClient(client_id) : nullptr;
  auto commitment = audit::SubjectCommitment(
      commitment_key,
      client != nullptr ? provider->PairwiseSubject(*client, subject) : std::string(subject));
  if (commitment.ok()) event.subject_commitment = *commitment;
  event.time_ms = clock.NowMillis();
  return audit->Record(event);
}

ConsentAdmin::ConsentAdmin(store::Store& store, const Clock& clock, const Provider& provider,
                           const crypto::SecretBytes& root_secret, audit::AuditSink* audit)
    : store_(store),
      clock_(clock),
      provider_(provider),
      commitment_key_(CommitmentKey(root_secret)),
      audit_(audit) {}

Result<std::vector<ConsentView>> ConsentAdmin::List(std::string_view client_id,
                                                    std::string_view subject, int limit) const {
  if (limit < 1 || limit > kMaxListed) return InvalidArgument("limit must be 1..1000", "bad_value");
  std::vector<store::Consent> found;
  if (!subject.empty()) {
    ACCORD_ASSIGN_OR_RETURN(found, store_.ListConsents(subject));
  } else {
    ACCORD_ASSIGN_OR_RETURN(found, store_.ListAllConsents(client_id, limit));
  }
  std::vector<ConsentView> out;
  for (const auto& c : found) {
    if (!client_id.empty() && c.client_id != client_id) continue;
    if (static_cast<int>(out.size()) == limit) break;
    out.push_back(ViewOf(c));
  }
  return out;
}

Result<ConsentView> ConsentAdmin::Revoke(std::string_view subject,
                                         std::string_view client_id) const {
  ACCORD_ASSIGN_OR_RETURN(store::Consent consent, store_.GetConsent(subject, client_id));
  ConsentView before = ViewOf(consent);
  ACCORD_RETURN_IF_ERROR(RevokeConsentAndRecord(store_, clock_, &provider_, audit_,
                                                commitment_key_, subject, client_id, ""));
  return before;
}

Result<ConsentView> ConsentAdmin::RevokeById(std::string_view consent_id) const {
  ACCORD_ASSIGN_OR_RETURN(std::vector<ConsentView> all, List("", "", kMaxListed));
  for (const auto& v : all) {
    if (v.consent_id == consent_id && v.revoked_at == 0) return Revoke(v.subject, v.client_id);
  }
  return NotFound("no live consent with that id", "not_found");
}

}  // namespace accord::oidc::broker
