#include "datasec/sealing_store.h"

#include <utility>

namespace accord::datasec {
namespace {

constexpr std::string_view kUpstreamPrefix = "urn:accord:upstream:";

Result<std::string> SealIfSet(const FieldSealer& sealer, const FieldContext& ctx,
                              const std::string& value) {
  if (value.empty()) return std::string();
  return sealer.Seal(ctx, value);
}

Result<std::string> OpenIfSet(const FieldSealer& sealer, const FieldContext& ctx,
                              const std::string& value) {
  if (value.empty()) return std::string();
  return sealer.Open(ctx, value);
}

}  // namespace

std::string ConsentRecordId(std::string_view subject, std::string_view client_id) {
  return std::to_string(subject.size()) + ":" + std::string(subject) + std::string(client_id);
}

std::string LogoutRecordId(const store::LogoutDelivery& d) {
  return d.client_id + " " + d.endpoint + " " + std::to_string(d.created_at);
}

std::string_view PushedRequestRecordType(std::string_view request_uri) {
  return request_uri.substr(0, kUpstreamPrefix.size()) == kUpstreamPrefix ? "login_transactions"
                                                                          : "pushed_requests";
}

SealingStore::SealingStore(std::unique_ptr<store::Store> inner,
                           const KeyEncryptionKeyProvider* keks, RetentionPolicy retention,
                           const Clock* clock)
    : inner_(std::move(inner)), sealer_(keks), retention_(std::move(retention)), clock_(clock) {}

// --- Pushed requests / login transactions ------------------------------------------------------

Status SealingStore::SavePushedRequest(const store::PushedRequest& request) {
  store::PushedRequest r = request;
  std::string_view type = PushedRequestRecordType(r.request_uri);
  r.expires_at = retention_.Clamp(type, r.created_at, r.expires_at);
  ACCORD_ASSIGN_OR_RETURN(r.params_json,
                          SealIfSet(sealer_, {type, r.request_uri, "params_json"}, r.params_json));
  return inner_->SavePushedRequest(r);
}

Result<store::PushedRequest> SealingStore::ConsumePushedRequest(std::string_view request_uri,
                                                                int64_t now) {
  ACCORD_ASSIGN_OR_RETURN(store::PushedRequest r, inner_->ConsumePushedRequest(request_uri, now));
  ACCORD_ASSIGN_OR_RETURN(
      r.params_json,
      OpenIfSet(sealer_, {PushedRequestRecordType(r.request_uri), r.request_uri, "params_json"},
                r.params_json));
  return r;
}

// --- Sessions ----------------------------------------------------------------------------------

Status SealingStore::CreateSession(const store::Session& session) {
  store::Session s = session;
  s.expires_at = retention_.Clamp("sessions", s.created_at, s.expires_at);
  ACCORD_ASSIGN_OR_RETURN(s.identity_json,
                          SealIfSet(sealer_, {"sessions", s.sid, "identity_json"}, s.identity_json));
  return inner_->CreateSession(s);
}

Result<store::Session> SealingStore::OpenSession(Result<store::Session> session) const {
  if (!session.ok()) return session;
  store::Session s = std::move(*session);
  ACCORD_ASSIGN_OR_RETURN(s.identity_json,
                          OpenIfSet(sealer_, {"sessions", s.sid, "identity_json"}, s.identity_json));
  return s;
}

Result<store::Session> SealingStore::GetSession(const store::TokenHash& secret_hash, int64_t now) {
  return OpenSession(inner_->GetSession(secret_hash, now));
}
Result<store::Session> SealingStore::DeleteSession(const store::TokenHash& secret_hash) {
  return OpenSession(inner_->DeleteSession(secret_hash));
}
Result<store::Session> SealingStore::GetSessionBySid(std::string_view sid, int64_t now) {
  return OpenSession(inner_->GetSessionBySid(sid, now));
}
Result<store::Session> SealingStore::DeleteSessionBySid(std::string_view sid) {
  return OpenSession(inner_->DeleteSessionBySid(sid));
}

// --- Refresh families --------------------------------------------------------------------------

Status SealingStore::CreateRefreshFamily(const store::RefreshFamily& family,
                                         const store::TokenHash& first_token,
                                         int64_t token_expires_at) {
  store::RefreshFamily f = family;
  f.expires_at = retention_.Clamp("refresh_families", f.created_at, f.expires_at);
  return inner_->CreateRefreshFamily(f, first_token, token_expires_at);
}

Result<store::RedeemedCode> SealingStore::RedeemAuthCode(const store::CodeRedemption& redemption,
                                                         int64_t now,
                                                         store::RedeemFailure* failure) {
  store::CodeRedemption r = redemption;
  r.family_expires_at = retention_.Clamp("refresh_families", now, r.family_expires_at);
  ACCORD_ASSIGN_OR_RETURN(store::RedeemedCode redeemed, inner_->RedeemAuthCode(r, now, failure));
  if (redeemed.session) {
    ACCORD_ASSIGN_OR_RETURN(redeemed.session, OpenSession(std::move(*redeemed.session)));
  }
  return redeemed;
}

Result<store::RedeemedCode> SealingStore::RedeemAuthCodeLater(
    const store::CodeRedemption& redemption, int64_t now,
    std::shared_ptr<store::RedeemFailure> failure) {
  store::CodeRedemption r = redemption;
  r.family_expires_at = retention_.Clamp("refresh_families", now, r.family_expires_at);
  ACCORD_ASSIGN_OR_RETURN(store::RedeemedCode redeemed,
                          inner_->RedeemAuthCodeLater(r, now, std::move(failure)));
  if (redeemed.session) {
    ACCORD_ASSIGN_OR_RETURN(redeemed.session, OpenSession(std::move(*redeemed.session)));
  }
  return redeemed;
}

// --- Consents ----------------------------------------------------------------------------------

Status SealingStore::PutConsent(const store::Consent& consent) {
  store::Consent c = consent;
  ACCORD_ASSIGN_OR_RETURN(
      c.claims_json,
      SealIfSet(sealer_, {"consents", ConsentRecordId(c.subject, c.client_id), "claims_json"},
                c.claims_json));
  return inner_->PutConsent(c);
}

Result<store::Consent> SealingStore::OpenConsent(store::Consent c) {
  if (c.claims_json.empty()) return c;
  int64_t snapshot_period = retention_.Seconds("released_attribute_snapshots");
  bool too_old = snapshot_period > 0 && c.granted_at + snapshot_period <= clock_->NowSeconds();
  if (c.revoked_at != 0 || too_old) {
    // Erase the snapshot: rewrite without claims (PutConsent clears a revocation, so restore it).
    store::Consent erased = c;
    erased.claims_json.clear();
    ACCORD_RETURN_IF_ERROR(inner_->PutConsent(erased));
    if (c.revoked_at != 0) {
      ACCORD_RETURN_IF_ERROR(inner_->RevokeConsent(c.subject, c.client_id, c.revoked_at));
    }
    return erased;
  }
  ACCORD_ASSIGN_OR_RETURN(
      c.claims_json,
      OpenIfSet(sealer_, {"consents", ConsentRecordId(c.subject, c.client_id), "claims_json"},
                c.claims_json));
  return c;
}

Result<store::Consent> SealingStore::GetConsent(std::string_view subject,
                                                std::string_view client_id) {
  ACCORD_ASSIGN_OR_RETURN(store::Consent c, inner_->GetConsent(subject, client_id));
  return OpenConsent(std::move(c));
}

Result<std::vector<store::Consent>> SealingStore::ListConsents(std::string_view subject) {
  ACCORD_ASSIGN_OR_RETURN(std::vector<store::Consent> list, inner_->ListConsents(subject));
  for (auto& c : list) {
    ACCORD_ASSIGN_OR_RETURN(c, OpenConsent(std::move(c)));
  }
  return list;
}

Result<store::SweepStats> SealingStore::SweepExpired(int64_t now) {
  ACCORD_ASSIGN_OR_RETURN(store::SweepStats stats, inner_->SweepExpired(now));
  const int64_t consents = retention_.Seconds("consents");
  const int64_t snapshots = retention_.Seconds("released_attribute_snapshots");
  ACCORD_ASSIGN_OR_RETURN(store::SweepStats c,
                          inner_->SweepConsents(consents > 0 ? now - consents : 0,
                                                snapshots > 0 ? now - snapshots : 0));
  stats.consents = c.consents;
  stats.consent_snapshots = c.consent_snapshots;
  return stats;
}

Result<std::vector<store::Consent>> SealingStore::ListAllConsents(std::string_view client_id,
                                                                   int limit) {
  ACCORD_ASSIGN_OR_RETURN(std::vector<store::Consent> list,
                          inner_->ListAllConsents(client_id, limit));
  for (auto& c : list) {
    ACCORD_ASSIGN_OR_RETURN(c, OpenConsent(std::move(c)));
  }
  return list;
}

Status SealingStore::RevokeConsent(std::string_view subject, std::string_view client_id,
                                   int64_t now) {
  auto current = inner_->GetConsent(subject, client_id);
  if (current.ok() && !current->claims_json.empty()) {
    // Erase first (less is released during the gap, never more), then revoke.
    store::Consent erased = *current;
    erased.claims_json.clear();
    ACCORD_RETURN_IF_ERROR(inner_->PutConsent(erased));
  }
  return inner_->RevokeConsent(subject, client_id, now);
}

// --- Logout deliveries -------------------------------------------------------------------------

Result<int64_t> SealingStore::EnqueueLogout(const store::LogoutDelivery& delivery) {
  store::LogoutDelivery d = delivery;
  d.expires_at = retention_.Clamp("logout_deliveries", d.created_at, d.expires_at);
  ACCORD_ASSIGN_OR_RETURN(
      d.logout_token,
      SealIfSet(sealer_, {"logout_deliveries", LogoutRecordId(d), "logout_token"}, d.logout_token));
  return inner_->EnqueueLogout(d);
}

Result<std::vector<store::LogoutDelivery>> SealingStore::ClaimDueLogouts(int64_t now, int limit,
                                                                         int64_t lease_seconds) {
  ACCORD_ASSIGN_OR_RETURN(std::vector<store::LogoutDelivery> list,
                          inner_->ClaimDueLogouts(now, limit, lease_seconds));
  for (auto& d : list) {
    ACCORD_ASSIGN_OR_RETURN(
        d.logout_token,
        OpenIfSet(sealer_, {"logout_deliveries", LogoutRecordId(d), "logout_token"},
                  d.logout_token));
  }
  return list;
}

}  // namespace accord::datasec
