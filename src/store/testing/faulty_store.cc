#include "store/testing/faulty_store.h"

namespace accord::store::testing {

FaultyStore::FaultyStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}

void FaultyStore::FailOn(std::string_view operation, Status error) {
  std::lock_guard lock(mu_);
  failing_[std::string(operation)] = std::move(error);
  any_failing_ = true;
}

void FaultyStore::Heal(std::string_view operation) {
  std::lock_guard lock(mu_);
  failing_.erase(std::string(operation));
  any_failing_ = !failing_.empty();
}

void FaultyStore::HealAll() {
  std::lock_guard lock(mu_);
  failing_.clear();
  any_failing_ = false;
}

int FaultyStore::injected(std::string_view operation) const {
  std::lock_guard lock(mu_);
  auto it = injected_.find(std::string(operation));
  return it == injected_.end() ? 0 : it->second;
}

Status FaultyStore::Injected(std::string_view operation) {
  if (!any_failing_) return Status::Ok();  // forwarding costs no lock
  std::lock_guard lock(mu_);
  auto it = failing_.find(std::string(operation));
  if (it == failing_.end()) return Status::Ok();
  ++injected_[it->first];
  return it->second;
}


Status FaultyStore::CheckHealth() {
  if (Status s = Injected("CheckHealth"); !s.ok()) return s;
  return inner_->CheckHealth();
}

Status FaultyStore::SaveAuthCode(const AuthCode& code) {
  if (Status s = Injected("SaveAuthCode"); !s.ok()) return s;
  return inner_->SaveAuthCode(code);
}

Result<AuthCode> FaultyStore::ConsumeAuthCode(const TokenHash& code_hash, int64_t now,
                                              std::string* reused_grant_id) {
  if (Status s = Injected("ConsumeAuthCode"); !s.ok()) return s;
  return inner_->ConsumeAuthCode(code_hash, now, reused_grant_id);
}

Status FaultyStore::SavePushedRequest(const PushedRequest& request) {
  if (Status s = Injected("SavePushedRequest"); !s.ok()) return s;
  return inner_->SavePushedRequest(request);
}

Result<PushedRequest> FaultyStore::ConsumePushedRequest(std::string_view request_uri, int64_t now) {
  if (Status s = Injected("ConsumePushedRequest"); !s.ok()) return s;
  return inner_->ConsumePushedRequest(request_uri, now);
}

Status FaultyStore::CreateSession(const Session& session) {
  if (Status s = Injected("CreateSession"); !s.ok()) return s;
  return inner_->CreateSession(session);
}

Result<Session> FaultyStore::GetSession(const TokenHash& secret_hash, int64_t now) {
  if (Status s = Injected("GetSession"); !s.ok()) return s;
  return inner_->GetSession(secret_hash, now);
}

Result<Session> FaultyStore::DeleteSession(const TokenHash& secret_hash) {
  if (Status s = Injected("DeleteSession"); !s.ok()) return s;
  return inner_->DeleteSession(secret_hash);
}

Result<Session> FaultyStore::GetSessionBySid(std::string_view sid, int64_t now) {
  if (Status s = Injected("GetSessionBySid"); !s.ok()) return s;
  return inner_->GetSessionBySid(sid, now);
}

Result<Session> FaultyStore::DeleteSessionBySid(std::string_view sid) {
  if (Status s = Injected("DeleteSessionBySid"); !s.ok()) return s;
  return inner_->DeleteSessionBySid(sid);
}

Status FaultyStore::AddSessionClient(std::string_view sid, std::string_view client_id,
                                     int64_t expires_at) {
  if (Status s = Injected("AddSessionClient"); !s.ok()) return s;
  return inner_->AddSessionClient(sid, client_id, expires_at);
}

Result<std::vector<std::string>> FaultyStore::ListSessionClients(std::string_view sid,
                                                                 int64_t now) {
  if (Status s = Injected("ListSessionClients"); !s.ok()) return s;
  return inner_->ListSessionClients(sid, now);
}

Status FaultyStore::AddUpstreamLogin(std::string_view login_key, std::string_view sid,
                                     int64_t expires_at) {
  if (Status s = Injected("AddUpstreamLogin"); !s.ok()) return s;
  return inner_->AddUpstreamLogin(login_key, sid, expires_at);
}

Result<std::vector<std::string>> FaultyStore::ListUpstreamLogins(std::string_view login_key,
                                                                 int64_t now) {
  if (Status s = Injected("ListUpstreamLogins"); !s.ok()) return s;
  return inner_->ListUpstreamLogins(login_key, now);
}

Status FaultyStore::CreateRefreshFamily(const RefreshFamily& family, const TokenHash& first_token,
                                        int64_t token_expires_at) {
  if (Status s = Injected("CreateRefreshFamily"); !s.ok()) return s;
  return inner_->CreateRefreshFamily(family, first_token, token_expires_at);
}

Result<RefreshFamily> FaultyStore::RotateRefreshToken(const TokenHash& presented,
                                                      const TokenHash& replacement,
                                                      int64_t replacement_expires_at, int64_t now,
                                                      std::string* reused_family_id) {
  if (Status s = Injected("RotateRefreshToken"); !s.ok()) return s;
  return inner_->RotateRefreshToken(
      presented, replacement, replacement_expires_at, now, reused_family_id);
}

Status FaultyStore::RevokeRefreshFamily(std::string_view family_id, int64_t now) {
  if (Status s = Injected("RevokeRefreshFamily"); !s.ok()) return s;
  return inner_->RevokeRefreshFamily(family_id, now);
}

Status FaultyStore::RevokeRefreshToken(const TokenHash& token_hash, int64_t now) {
  if (Status s = Injected("RevokeRefreshToken"); !s.ok()) return s;
  return inner_->RevokeRefreshToken(token_hash, now);
}

Result<int64_t> FaultyStore::RevokeGrant(std::string_view grant_id, int64_t now) {
  if (Status s = Injected("RevokeGrant"); !s.ok()) return s;
  return inner_->RevokeGrant(grant_id, now);
}

Result<RefreshFamily> FaultyStore::RevokeRefreshTokenOfClient(const TokenHash& token_hash,
                                                              std::string_view client_id,
                                                              int64_t now) {
  if (Status s = Injected("RevokeRefreshTokenOfClient"); !s.ok()) return s;
  return inner_->RevokeRefreshTokenOfClient(token_hash, client_id, now);
}

Result<int64_t> FaultyStore::RevokeSessionFamilies(std::string_view sid, int64_t now) {
  if (Status s = Injected("RevokeSessionFamilies"); !s.ok()) return s;
  return inner_->RevokeSessionFamilies(sid, now);
}

Status FaultyStore::RecordOnce(ReplayScope scope, std::string_view key, int64_t expires_at,
                               int64_t now) {
  if (Status s = Injected("RecordOnce"); !s.ok()) return s;
  return inner_->RecordOnce(scope, key, expires_at, now);
}

Result<bool> FaultyStore::IsRecorded(ReplayScope scope, std::string_view key, int64_t now) {
  if (Status s = Injected("IsRecorded"); !s.ok()) return s;
  return inner_->IsRecorded(scope, key, now);
}

Status FaultyStore::RecordAll(const std::vector<ReplayRecord>& records, int64_t now,
                              RedeemFailure* failure) {
  if (Status s = Injected("RecordAll"); !s.ok()) return s;
  return inner_->RecordAll(records, now, failure);
}

Status FaultyStore::RecordAllLater(const std::vector<ReplayRecord>& records, int64_t now,
                                   std::shared_ptr<RedeemFailure> failure) {
  if (Status s = Injected("RecordAllLater"); !s.ok()) return s;
  return inner_->RecordAllLater(records, now, std::move(failure));
}

Result<RedeemedCode> FaultyStore::RedeemAuthCode(const CodeRedemption& redemption, int64_t now,
                                                 RedeemFailure* failure) {
  if (Status s = Injected("RedeemAuthCode"); !s.ok()) return s;
  return inner_->RedeemAuthCode(redemption, now, failure);
}

Result<RedeemedCode> FaultyStore::RedeemAuthCodeLater(const CodeRedemption& redemption, int64_t now,
                                                      std::shared_ptr<RedeemFailure> failure) {
  if (Status s = Injected("RedeemAuthCodeLater"); !s.ok()) return s;
  return inner_->RedeemAuthCodeLater(redemption, now, std::move(failure));
}

Result<RefreshFamily> FaultyStore::RedeemRefreshToken(const RefreshRedemption& redemption,
                                                      int64_t now, RedeemFailure* failure) {
  if (Status s = Injected("RedeemRefreshToken"); !s.ok()) return s;
  return inner_->RedeemRefreshToken(redemption, now, failure);
}

Status FaultyStore::AddSigningKey(const SigningKey& key) {
  if (Status s = Injected("AddSigningKey"); !s.ok()) return s;
  return inner_->AddSigningKey(key);
}

Result<std::vector<SigningKey>> FaultyStore::ListSigningKeys() {
  if (Status s = Injected("ListSigningKeys"); !s.ok()) return s;
  return inner_->ListSigningKeys();
}

Result<std::vector<SigningKey>> FaultyStore::ListSigningKeys(std::string_view owner) {
  if (Status s = Injected("ListSigningKeys"); !s.ok()) return s;
  return inner_->ListSigningKeys(owner);
}

Status FaultyStore::ActivateSigningKey(std::string_view kid, int64_t now) {
  if (Status s = Injected("ActivateSigningKey"); !s.ok()) return s;
  return inner_->ActivateSigningKey(kid, now);
}

Status FaultyStore::DeleteSigningKey(std::string_view kid) {
  if (Status s = Injected("DeleteSigningKey"); !s.ok()) return s;
  return inner_->DeleteSigningKey(kid);
}

Status FaultyStore::PutConsent(const Consent& consent) {
  if (Status s = Injected("PutConsent"); !s.ok()) return s;
  return inner_->PutConsent(consent);
}

Result<Consent> FaultyStore::GetConsent(std::string_view subject, std::string_view client_id) {
  if (Status s = Injected("GetConsent"); !s.ok()) return s;
  return inner_->GetConsent(subject, client_id);
}

Result<std::vector<Consent>> FaultyStore::ListConsents(std::string_view subject) {
  if (Status s = Injected("ListConsents"); !s.ok()) return s;
  return inner_->ListConsents(subject);
}

Status FaultyStore::RevokeConsent(std::string_view subject, std::string_view client_id,
                                  int64_t now) {
  if (Status s = Injected("RevokeConsent"); !s.ok()) return s;
  return inner_->RevokeConsent(subject, client_id, now);
}

Result<std::vector<Consent>> FaultyStore::ListAllConsents(std::string_view client_id, int limit) {
  if (Status s = Injected("ListAllConsents"); !s.ok()) return s;
  return inner_->ListAllConsents(client_id, limit);
}

Result<SweepStats> FaultyStore::SweepConsents(int64_t delete_granted_at_or_before,
                                              int64_t erase_snapshots_granted_at_or_before) {
  if (Status s = Injected("SweepConsents"); !s.ok()) return s;
  return inner_->SweepConsents(delete_granted_at_or_before, erase_snapshots_granted_at_or_before);
}

Result<int64_t> FaultyStore::EnqueueLogout(const LogoutDelivery& delivery) {
  if (Status s = Injected("EnqueueLogout"); !s.ok()) return s;
  return inner_->EnqueueLogout(delivery);
}

Result<std::vector<LogoutDelivery>> FaultyStore::ClaimDueLogouts(int64_t now, int limit,
                                                                 int64_t lease_seconds) {
  if (Status s = Injected("ClaimDueLogouts"); !s.ok()) return s;
  return inner_->ClaimDueLogouts(now, limit, lease_seconds);
}

Status FaultyStore::CompleteLogout(int64_t id) {
  if (Status s = Injected("CompleteLogout"); !s.ok()) return s;
  return inner_->CompleteLogout(id);
}

Status FaultyStore::RescheduleLogout(int64_t id, int64_t next_attempt_at) {
  if (Status s = Injected("RescheduleLogout"); !s.ok()) return s;
  return inner_->RescheduleLogout(id, next_attempt_at);
}

Result<SweepStats> FaultyStore::SweepExpired(int64_t now) {
  if (Status s = Injected("SweepExpired"); !s.ok()) return s;
  return inner_->SweepExpired(now);
}

Result<std::vector<std::string>> FaultyStore::ListSealedValues(SealedColumn column,
                                                               std::string_view after, int limit) {
  if (Status s = Injected("ListSealedValues"); !s.ok()) return s;
  return inner_->ListSealedValues(column, after, limit);
}

Result<int64_t> FaultyStore::ReplaceSealedValue(SealedColumn column, std::string_view old_value,
                                                std::string_view new_value) {
  if (Status s = Injected("ReplaceSealedValue"); !s.ok()) return s;
  return inner_->ReplaceSealedValue(column, old_value, new_value);
}

}  // namespace accord::store::testing
