// SealingStore: a store::Store decorator that seals personal-data fields on write and opens them
// on read (docs/security.md, "Encryption at rest"), and applies the retention policy.
//
// Sealed fields (FieldSealer envelopes; AAD = record type, record id, field):
//   Session::identity_json        record "sessions", id = sid
//   Consent::claims_json          record "consents", id = <len(subject)>:<subject><client_id>
//   PushedRequest::params_json    record "pushed_requests", or "login_transactions" for request_uri
//                                 "urn:accord:upstream:..." (PKCE verifier, DPoP private key), id =
//                                 request_uri
//   LogoutDelivery::logout_token  record "logout_deliveries", id = <client_id> <endpoint>
//                                 <created_at> (the row id is assigned after the insert)
// Empty values are stored empty. A non-empty value that is not an envelope reads as DataLoss
// "not_sealed" (sealing is enabled before the first write, never half-way).
// Bounds: the inner store's limits apply to the envelope, which is ~4/3 of the value plus ~120
// bytes (Consent::claims_json and logout tokens: values up to ~6 KiB).
//
// Retention (retention.h): expiries of sessions, PAR requests / login transactions, refresh
// families and logout deliveries are clamped to created_at + period. Revoking a consent erases its
// released-attribute snapshot (claims_json) and so does reading one older than the
// released_attribute_snapshots period.
//
// KEK rotation: make a new KEK current in the provider (old envelopes keep opening under the
// previous KEK), then RewrapAll() moves every sealed value's data key to it; then retire the old KEK.
//
// Thread safety: as the inner Store (safe for concurrent calls); the KEK provider must be too.
#ifndef ACCORD_DATASEC_SEALING_STORE_H_
#define ACCORD_DATASEC_SEALING_STORE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "datasec/field_sealer.h"
#include "datasec/retention.h"
#include "store/store.h"

namespace accord::datasec {

class SealingStore final : public store::Store {
 public:
  // `keks` and `clock` must outlive the store.
  SealingStore(std::unique_ptr<store::Store> inner, const KeyEncryptionKeyProvider* keks,
               RetentionPolicy retention, const Clock* clock);

  struct RewrapStats {
    int64_t scanned = 0;    // sealed values looked at
    int64_t rewrapped = 0;  // moved to the current KEK
    int64_t conflicts = 0;  // changed or deleted concurrently (their writer used the current KEK)
  };
  // Rewraps every sealed value's data key under the provider's current KEK, in batches of `batch`
  // values per column, each replaced with a compare-and-set (Store::ReplaceSealedValue), so
  // concurrent reads and writes go on: a reader sees either envelope, and both open while the
  // previous KEK is held. Idempotent; run it again if writers that started before the KEK change
  // may still have been in flight.
  Result<RewrapStats> RewrapAll(int batch = 200);
  // How many sealed values still name `kek_id` (0 before retiring it).
  Result<int64_t> CountUnderKek(std::string_view kek_id);

  store::Store& inner() { return *inner_; }
  const FieldSealer& sealer() const { return sealer_; }

  Status CheckHealth() override { return inner_->CheckHealth(); }

  Status SaveAuthCode(const store::AuthCode& code) override { return inner_->SaveAuthCode(code); }
  Result<store::AuthCode> ConsumeAuthCode(const store::TokenHash& code_hash, int64_t now,
                                          std::string* reused_grant_id) override {
    return inner_->ConsumeAuthCode(code_hash, now, reused_grant_id);
  }

  Status SavePushedRequest(const store::PushedRequest& request) override;
  Result<store::PushedRequest> ConsumePushedRequest(std::string_view request_uri,
                                                    int64_t now) override;

  Status CreateSession(const store::Session& session) override;
  Result<store::Session> GetSession(const store::TokenHash& secret_hash, int64_t now) override;
  Result<store::Session> DeleteSession(const store::TokenHash& secret_hash) override;
  Result<store::Session> GetSessionBySid(std::string_view sid, int64_t now) override;
  Result<store::Session> DeleteSessionBySid(std::string_view sid) override;
  Status AddSessionClient(std::string_view sid, std::string_view client_id,
                          int64_t expires_at) override {
    return inner_->AddSessionClient(sid, client_id, expires_at);
  }
  Result<std::vector<std::string>> ListSessionClients(std::string_view sid, int64_t now) override {
    return inner_->ListSessionClients(sid, now);
  }
  // Keyed hashes and session ids only, living no longer than their (clamped) session.
  Status AddUpstreamLogin(std::string_view login_key, std::string_view sid,
                          int64_t expires_at) override {
    return inner_->AddUpstreamLogin(login_key, sid, expires_at);
  }
  Result<std::vector<std::string>> ListUpstreamLogins(std::string_view login_key,
                                                      int64_t now) override {
    return inner_->ListUpstreamLogins(login_key, now);
  }

  Status CreateRefreshFamily(const store::RefreshFamily& family,
                             const store::TokenHash& first_token,
                             int64_t token_expires_at) override;
  Result<store::RefreshFamily> RotateRefreshToken(const store::TokenHash& presented,
                                                  const store::TokenHash& replacement,
                                                  int64_t replacement_expires_at, int64_t now,
                                                  std::string* reused_family_id) override {
    return inner_->RotateRefreshToken(presented, replacement, replacement_expires_at, now,
                                      reused_family_id);
  }
  Status RevokeRefreshFamily(std::string_view family_id, int64_t now) override {
    return inner_->RevokeRefreshFamily(family_id, now);
  }
  Status RevokeRefreshToken(const store::TokenHash& token_hash, int64_t now) override {
    return inner_->RevokeRefreshToken(token_hash, now);
  }
  Result<int64_t> RevokeGrant(std::string_view grant_id, int64_t now) override {
    return inner_->RevokeGrant(grant_id, now);
  }
  Result<store::RefreshFamily> RevokeRefreshTokenOfClient(const store::TokenHash& token_hash,
                                                          std::string_view client_id,
                                                          int64_t now) override {
    return inner_->RevokeRefreshTokenOfClient(token_hash, client_id, now);
  }
  Result<int64_t> RevokeSessionFamilies(std::string_view sid, int64_t now) override {
    return inner_->RevokeSessionFamilies(sid, now);
  }

  Status RecordOnce(store::ReplayScope scope, std::string_view key, int64_t expires_at,
                    int64_t now) override {
    return inner_->RecordOnce(scope, key, expires_at, now);
  }
  Result<bool> IsRecorded(store::ReplayScope scope, std::string_view key, int64_t now) override {
    return inner_->IsRecorded(scope, key, now);
  }
  Status RecordAll(const std::vector<store::ReplayRecord>& records, int64_t now,
                   store::RedeemFailure* failure) override {
    return inner_->RecordAll(records, now, failure);
  }
  Status RecordAllLater(const std::vector<store::ReplayRecord>& records, int64_t now,
                        std::shared_ptr<store::RedeemFailure> failure) override {
    return inner_->RecordAllLater(records, now, std::move(failure));
  }
  // Clamps the new refresh family's expiry like CreateRefreshFamily.
  Result<store::RedeemedCode> RedeemAuthCode(const store::CodeRedemption& redemption,
                                             int64_t now, store::RedeemFailure* failure) override;
  bool WritesDecidedLater() const override { return inner_->WritesDecidedLater(); }
  Result<store::RedeemedCode> RedeemAuthCodeLater(
      const store::CodeRedemption& redemption, int64_t now,
      std::shared_ptr<store::RedeemFailure> failure) override;
  Result<store::RefreshFamily> RedeemRefreshToken(const store::RefreshRedemption& redemption,
                                                  int64_t now,
                                                  store::RedeemFailure* failure) override {
    return inner_->RedeemRefreshToken(redemption, now, failure);
  }

  // Signing keys: the private key is already sealed by the KeyManager (store.h); passed through.
  Status AddSigningKey(const store::SigningKey& key) override { return inner_->AddSigningKey(key); }
  Result<std::vector<store::SigningKey>> ListSigningKeys() override {
    return inner_->ListSigningKeys();
  }
  Result<std::vector<store::SigningKey>> ListSigningKeys(std::string_view owner) override {
    return inner_->ListSigningKeys(owner);
  }
  Status ActivateSigningKey(std::string_view kid, int64_t now) override {
    return inner_->ActivateSigningKey(kid, now);
  }
  Status DeleteSigningKey(std::string_view kid) override { return inner_->DeleteSigningKey(kid); }

  Status PutConsent(const store::Consent& consent) override;
  Result<store::Consent> GetConsent(std::string_view subject, std::string_view client_id) override;
  Result<std::vector<store::Consent>> ListConsents(std::string_view subject) override;
  Status RevokeConsent(std::string_view subject, std::string_view client_id, int64_t now) override;
  Result<std::vector<store::Consent>> ListAllConsents(std::string_view client_id,
                                                      int limit) override;

  Result<int64_t> EnqueueLogout(const store::LogoutDelivery& delivery) override;
  Result<std::vector<store::LogoutDelivery>> ClaimDueLogouts(int64_t now, int limit,
                                                             int64_t lease_seconds) override;
  Status CompleteLogout(int64_t id) override { return inner_->CompleteLogout(id); }
  Status RescheduleLogout(int64_t id, int64_t next_attempt_at) override {
    return inner_->RescheduleLogout(id, next_attempt_at);
  }

  // The inner store's expiry sweep, then consent retention from the RetentionPolicy: consents
  // older than "consents" deleted, snapshots older than "released_attribute_snapshots" erased.
  Result<store::SweepStats> SweepExpired(int64_t now) override;
  Result<store::SweepStats> SweepConsents(int64_t delete_granted_at_or_before,
                                          int64_t erase_snapshots_granted_at_or_before) override {
    return inner_->SweepConsents(delete_granted_at_or_before, erase_snapshots_granted_at_or_before);
  }

  // Raw (sealed) values, for tools layered on top; RewrapAll uses the inner store's directly.
  Result<std::vector<std::string>> ListSealedValues(store::SealedColumn column,
                                                    std::string_view after, int limit) override {
    return inner_->ListSealedValues(column, after, limit);
  }
  Result<int64_t> ReplaceSealedValue(store::SealedColumn column, std::string_view old_value,
                                     std::string_view new_value) override {
    return inner_->ReplaceSealedValue(column, old_value, new_value);
  }
  store::WriteStats write_stats() const override { return inner_->write_stats(); }

 private:
  Result<store::Session> OpenSession(Result<store::Session> session) const;
  Result<store::Consent> OpenConsent(store::Consent consent);

  std::unique_ptr<store::Store> inner_;
  FieldSealer sealer_;
  RetentionPolicy retention_;
  const Clock* clock_;
};

// Record ids bound as AAD (exposed for tests and docs).
std::string ConsentRecordId(std::string_view subject, std::string_view client_id);
std::string LogoutRecordId(const store::LogoutDelivery& d);
std::string_view PushedRequestRecordType(std::string_view request_uri);

}  // namespace accord::datasec

#endif  // ACCORD_DATASEC_SEALING_STORE_H_
