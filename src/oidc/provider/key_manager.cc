#include "oidc/provider/key_manager.h"

#include "crypto/cipher.h"
#include "crypto/random.h"

namespace accord::oidc {
namespace {

constexpr size_t kIvSize = 12;
constexpr size_t kTagSize = 16;

std::string Aad(std::string_view kid) { return "accord-signing-key:" + std::string(kid); }

}  // namespace

std::string_view KeyStatusName(store::KeyStatus status) {
  switch (status) {
    case store::KeyStatus::kNext: return "next";
    case store::KeyStatus::kActive: return "active";
    case store::KeyStatus::kRetired: return "retired";
  }
  return "unknown";
}

Result<Bytes> SealPrivateKey(BytesView kek, std::string_view kid, const crypto::PrivateKey& key) {
  crypto::SecretBytes pem = key.ExportPkcs8Pem();
  Bytes iv = crypto::RandomBytes(kIvSize);
  std::string aad = Aad(kid);
  ACCORD_ASSIGN_OR_RETURN(crypto::Sealed sealed,
                          crypto::AesGcmSeal(kek, iv, AsBytes(aad), pem.view()));
  Bytes out = iv;
  out.insert(out.end(), sealed.ciphertext.begin(), sealed.ciphertext.end());
  out.insert(out.end(), sealed.tag.begin(), sealed.tag.end());
  return out;
}

Result<crypto::PrivateKey> OpenPrivateKey(BytesView kek, std::string_view kid, BytesView sealed) {
  if (sealed.size() < kIvSize + kTagSize + 1) return DataLoss("sealed key too short", "corrupt");
  std::string aad = Aad(kid);
  auto opened = crypto::AesGcmOpen(kek, sealed.subspan(0, kIvSize), AsBytes(aad),
                                   sealed.subspan(kIvSize, sealed.size() - kIvSize - kTagSize),
                                   sealed.subspan(sealed.size() - kTagSize));
  if (!opened.ok()) return Unauthenticated("signing key does not open under this KEK", "bad_kek");
  crypto::SecretBytes pem = crypto::SecretBytes::Adopt(std::move(*opened));
  return crypto::PrivateKey::FromPem(AsStringView(pem.view()));
}

Result<std::unique_ptr<KeyManager>> KeyManager::Create(store::Store& store,
                                                       crypto::SecretBytes kek,
                                                       const Clock& clock) {
  if (kek.size() != 32) return InvalidArgument("KEK must be 32 bytes", "bad_kek");
  return std::unique_ptr<KeyManager>(new KeyManager(store, std::move(kek), clock));
}

Result<std::string> KeyManager::CreateNextKey() {
  ACCORD_ASSIGN_OR_RETURN(crypto::PrivateKey key, crypto::PrivateKey::GenerateEc(crypto::Curve::kP256));
  jose::Jwk jwk = jose::Jwk::FromPublicKey(key.public_key());
  jwk.SetKidToThumbprint();
  jwk.set_alg("ES256");
  jwk.set_use("sig");
  store::SigningKey record;
  record.kid = jwk.kid();
  record.algorithm = "ES256";
  record.status = store::KeyStatus::kNext;
  record.created_at = clock_.NowSeconds();
  record.activates_at = record.created_at;
  ACCORD_ASSIGN_OR_RETURN(record.sealed_private_key, SealPrivateKey(kek_.view(), record.kid, key));
  record.public_jwk_json = jwk.ToPublicJson();
  ACCORD_RETURN_IF_ERROR(store_.AddSigningKey(record));
  return record.kid;
}

Status KeyManager::EnsureKeys() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ACCORD_ASSIGN_OR_RETURN(std::vector<store::SigningKey> keys, store_.ListSigningKeys());
    bool has_active = false, has_next = false;
    for (const auto& k : keys) {
      has_active |= k.status == store::KeyStatus::kActive;
      has_next |= k.status == store::KeyStatus::kNext;
    }
    if (!has_active) {
      std::string kid;
      if (has_next) {
        for (const auto& k : keys) {
          if (k.status == store::KeyStatus::kNext) kid = k.kid;
        }
      } else {
        ACCORD_ASSIGN_OR_RETURN(kid, CreateNextKey());
      }
      ACCORD_RETURN_IF_ERROR(store_.ActivateSigningKey(kid, clock_.NowSeconds()));
      has_next = false;
      for (const auto& k : keys) {
        has_next |= k.status == store::KeyStatus::kNext && k.kid != kid;
      }
    }
    if (!has_next) {
      ACCORD_ASSIGN_OR_RETURN(std::string next, CreateNextKey());
      (void)next;
    }
  }
  return Reload();
}

Status KeyManager::Rotate() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ACCORD_ASSIGN_OR_RETURN(std::vector<store::SigningKey> keys, store_.ListSigningKeys());
    std::string next;
    for (const auto& k : keys) {
      if (k.status == store::KeyStatus::kNext) next = k.kid;
    }
    if (next.empty()) {
      return FailedPrecondition("no next key to activate; run EnsureKeys first", "bad_state");
    }
    ACCORD_RETURN_IF_ERROR(store_.ActivateSigningKey(next, clock_.NowSeconds()));
    ACCORD_ASSIGN_OR_RETURN(std::string created, CreateNextKey());
    (void)created;
  }
  return Reload();
}

Result<std::vector<KeyInfo>> KeyManager::List() const {
  ACCORD_ASSIGN_OR_RETURN(std::vector<store::SigningKey> keys, store_.ListSigningKeys());
  std::vector<KeyInfo> out;
  for (const auto& k : keys) {
    out.push_back({k.kid, k.algorithm, k.status, k.created_at, k.activates_at, k.retires_at});
  }
  return out;
}

Result<crypto::PrivateKey> KeyManager::OpenKey(const store::SigningKey& key) const {
  return OpenPrivateKey(kek_.view(), key.kid, key.sealed_private_key);
}

Status KeyManager::Reload() {
  ACCORD_ASSIGN_OR_RETURN(std::vector<store::SigningKey> keys, store_.ListSigningKeys());
  int64_t now = clock_.NowSeconds();
  auto snap = std::make_shared<KeySnapshot>();
  snap->loaded_at = now;
  const store::SigningKey* active = nullptr;
  for (const auto& k : keys) {
    if (k.status == store::KeyStatus::kRetired && k.retires_at + kRetiredPublishSeconds <= now) {
      continue;
    }
    if (k.status == store::KeyStatus::kActive && k.algorithm == "ES256") {
      if (active == nullptr || k.activates_at >= active->activates_at) active = &k;
    }
    auto jwk = jose::Jwk::ParsePublic(k.public_jwk_json);
    if (!jwk.ok()) return DataLoss("stored public key unreadable", "corrupt");
    snap->public_jwks.Add(std::move(*jwk));
  }
  if (active == nullptr) return FailedPrecondition("no active ES256 signing key", "no_active_key");
  ACCORD_ASSIGN_OR_RETURN(crypto::PrivateKey priv, OpenKey(*active));
  jose::Jwk jwk = jose::Jwk::FromPrivateKey(std::move(priv));
  jwk.set_kid(active->kid);
  jwk.set_alg("ES256");
  jwk.set_use("sig");
  ACCORD_ASSIGN_OR_RETURN(jose::JwtSigner id_signer,
                          jose::JwtSigner::Create(jwk, crypto::SignatureAlgorithm::kEs256, "JWT"));
  ACCORD_ASSIGN_OR_RETURN(jose::JwtSigner at_signer,
                          jose::JwtSigner::Create(jwk, crypto::SignatureAlgorithm::kEs256, "at+jwt"));
  snap->id_token_signer = std::make_shared<const jose::JwtSigner>(std::move(id_signer));
  snap->access_token_signer = std::make_shared<const jose::JwtSigner>(std::move(at_signer));
  snap->jwks_json = snap->public_jwks.ToPublicJson();
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_ = std::move(snap);
  return Status::Ok();
}

std::shared_ptr<const KeySnapshot> KeyManager::Current() {
  std::shared_ptr<const KeySnapshot> snap;
  {
    std::lock_guard<std::mutex> lock(mu_);
    snap = snapshot_;
  }
  if (snap == nullptr || clock_.NowSeconds() >= snap->loaded_at + kReloadSeconds) {
    if (Reload().ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      snap = snapshot_;
    }
  }
  return snap;
}

}  // namespace accord::oidc
