// FaultyStore: a Store that forwards every call to a real one, except the operations a test
// makes fail. For tests of what callers do when the store fails (a disk error, PostgreSQL down):
// the answer they give, and that nothing already accepted is lost.
//
//   auto faulty = std::make_unique<FaultyStore>(std::move(real));
//   faulty->FailOn("RecordOnce");             // every RecordOnce now returns the injected error
//   ...
//   faulty->Heal("RecordOnce");               // and forwards again
//
// Operations are named as the Store method ("GetSessionBySid"). Thread-safe.
#ifndef ACCORD_STORE_TESTING_FAULTY_STORE_H_
#define ACCORD_STORE_TESTING_FAULTY_STORE_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace accord::store::testing {

class FaultyStore final : public Store {
 public:
  explicit FaultyStore(std::unique_ptr<Store> inner);

  // Every later call of `operation` returns `error` (by default what a backend returns when its
  // database cannot be reached) without reaching the real store, until healed.
  void FailOn(std::string_view operation,
              Status error = Unavailable("injected store failure", "db_unavailable"));
  void Heal(std::string_view operation);
  void HealAll();
  // How many calls of `operation` failed by injection so far.
  int injected(std::string_view operation) const;

  Store& inner() { return *inner_; }

  bool WritesDecidedLater() const override { return inner_->WritesDecidedLater(); }
  WriteStats write_stats() const override { return inner_->write_stats(); }

  Status CheckHealth() override;
  Status SaveAuthCode(const AuthCode& code) override;
  Result<AuthCode> ConsumeAuthCode(const TokenHash& code_hash, int64_t now,
                                   std::string* reused_grant_id) override;
  Status SavePushedRequest(const PushedRequest& request) override;
  Result<PushedRequest> ConsumePushedRequest(std::string_view request_uri, int64_t now) override;
  Status CreateSession(const Session& session) override;
  Result<Session> GetSession(const TokenHash& secret_hash, int64_t now) override;
  Result<Session> DeleteSession(const TokenHash& secret_hash) override;
  Result<Session> GetSessionBySid(std::string_view sid, int64_t now) override;
  Result<Session> DeleteSessionBySid(std::string_view sid) override;
  Status AddSessionClient(std::string_view sid, std::string_view client_id,
                          int64_t expires_at) override;
  Result<std::vector<std::string>> ListSessionClients(std::string_view sid, int64_t now) override;
  Status AddUpstreamLogin(std::string_view login_key, std::string_view sid,
                          int64_t expires_at) override;
  Result<std::vector<std::string>> ListUpstreamLogins(std::string_view login_key,
                                                      int64_t now) override;
  Status CreateRefreshFamily(const RefreshFamily& family, const TokenHash& first_token,
                             int64_t token_expires_at) override;
  Result<RefreshFamily> RotateRefreshToken(const TokenHash& presented, const TokenHash& replacement,
                                           int64_t replacement_expires_at, int64_t now,
                                           std::string* reused_family_id) override;
  Status RevokeRefreshFamily(std::string_view family_id, int64_t now) override;
  Status RevokeRefreshToken(const TokenHash& token_hash, int64_t now) override;
  Result<int64_t> RevokeGrant(std::string_view grant_id, int64_t now) override;
  Result<RefreshFamily> RevokeRefreshTokenOfClient(const TokenHash& token_hash,
                                                   std::string_view client_id,
                                                   int64_t now) override;
  Result<int64_t> RevokeSessionFamilies(std::string_view sid, int64_t now) override;
  Status RecordOnce(ReplayScope scope, std::string_view key, int64_t expires_at,
                    int64_t now) override;
  Result<bool> IsRecorded(ReplayScope scope, std::string_view key, int64_t now) override;
  Status RecordAll(const std::vector<ReplayRecord>& records, int64_t now,
                   RedeemFailure* failure) override;
  Status RecordAllLater(const std::vector<ReplayRecord>& records, int64_t now,
                        std::shared_ptr<RedeemFailure> failure) override;
  Result<RedeemedCode> RedeemAuthCode(const CodeRedemption& redemption, int64_t now,
                                      RedeemFailure* failure) override;
  Result<RedeemedCode> RedeemAuthCodeLater(const CodeRedemption& redemption, int64_t now,
                                           std::shared_ptr<RedeemFailure> failure) override;
  Result<RefreshFamily> RedeemRefreshToken(const RefreshRedemption& redemption, int64_t now,
                                           RedeemFailure* failure) override;
  Status AddSigningKey(const SigningKey& key) override;
  Result<std::vector<SigningKey>> ListSigningKeys() override;
  Result<std::vector<SigningKey>> ListSigningKeys(std::string_view owner) override;
  Status ActivateSigningKey(std::string_view kid, int64_t now) override;
  Status DeleteSigningKey(std::string_view kid) override;
  Status PutConsent(const Consent& consent) override;
  Result<Consent> GetConsent(std::string_view subject, std::string_view client_id) override;
  Result<std::vector<Consent>> ListConsents(std::string_view subject) override;
  Status RevokeConsent(std::string_view subject, std::string_view client_id, int64_t now) override;
  Result<std::vector<Consent>> ListAllConsents(std::string_view client_id, int limit) override;
  Result<SweepStats> SweepConsents(int64_t delete_granted_at_or_before,
                                   int64_t erase_snapshots_granted_at_or_before) override;
  Result<int64_t> EnqueueLogout(const LogoutDelivery& delivery) override;
  Result<std::vector<LogoutDelivery>> ClaimDueLogouts(int64_t now, int limit,
                                                      int64_t lease_seconds) override;
  Status CompleteLogout(int64_t id) override;
  Status RescheduleLogout(int64_t id, int64_t next_attempt_at) override;
  Result<SweepStats> SweepExpired(int64_t now) override;
  Result<std::vector<std::string>> ListSealedValues(SealedColumn column, std::string_view after,
                                                    int limit) override;
  Result<int64_t> ReplaceSealedValue(SealedColumn column, std::string_view old_value,
                                     std::string_view new_value) override;

 private:
  Status Injected(std::string_view operation);

  std::unique_ptr<Store> inner_;
  std::atomic<bool> any_failing_ = false;
  mutable std::mutex mu_;
  std::map<std::string, Status, std::less<>> failing_;
  std::map<std::string, int, std::less<>> injected_;
};

}  // namespace accord::store::testing

#endif  // ACCORD_STORE_TESTING_FAULTY_STORE_H_
