#include "oidc/provider/key_manager.h"

#include <algorithm>

#include "crypto/cipher.h"
#include "crypto/random.h"

namespace accord::oidc {
namespace {

constexpr size_t kIvSize = 12;
constexpr size_t kTagSize = 16;
constexpr int kRsaKeyBits = 2048;  // see the header for why not 3072

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

const jose::JwtSigner* KeySnapshot::IdTokenSigner(crypto::SignatureAlgorithm alg) const {
  auto it = id_token_signers.find(alg);
  return it == id_token_signers.end() ? nullptr : it->second.get();
}

const jose::JwtSigner* KeySnapshot::LogoutTokenSigner(crypto::SignatureAlgorithm alg) const {
  auto it = logout_token_signers.find(alg);
  return it == logout_token_signers.end() ? nullptr : it->second.get();
}

Result<std::unique_ptr<KeyManager>> KeyManager::Create(
    store::Store& store, crypto::SecretBytes kek, const Clock& clock, std::string owner,
    std::vector<crypto::SignatureAlgorithm> algorithms) {
  if (kek.size() != 32) return InvalidArgument("KEK must be 32 bytes", "bad_kek");
  if (owner.empty() || owner.size() > store::kMaxIdentifierBytes) {
    return InvalidArgument("key owner must be 1..512 bytes", "bad_owner");
  }
  std::vector<crypto::SignatureAlgorithm> algs = {crypto::SignatureAlgorithm::kEs256};
  for (auto alg : algorithms) {
    if (alg != crypto::SignatureAlgorithm::kEs256 && alg != crypto::SignatureAlgorithm::kPs256) {
      return InvalidArgument("signing keys are ES256 or PS256", "bad_alg");
    }
    if (std::find(algs.begin(), algs.end(), alg) == algs.end()) algs.push_back(alg);
  }
  return std::unique_ptr<KeyManager>(
      new KeyManager(store, std::move(kek), clock, std::move(owner), std::move(algs)));
}

Result<std::string> KeyManager::CreateNextKey(crypto::SignatureAlgorithm alg) {
  Result<crypto::PrivateKey> generated = alg == crypto::SignatureAlgorithm::kPs256
                                             ? crypto::PrivateKey::GenerateRsa(kRsaKeyBits)
                                             : crypto::PrivateKey::GenerateEc(crypto::Curve::kP256);
  if (!generated.ok()) return generated.status();
  const crypto::PrivateKey& key = *generated;
  const std::string alg_name(crypto::JwaName(alg));
  jose::Jwk jwk = jose::Jwk::FromPublicKey(key.public_key());
  jwk.SetKidToThumbprint();
  jwk.set_alg(alg_name);
  jwk.set_use("sig");
  store::SigningKey record;
  record.kid = jwk.kid();
  record.owner = owner_;
  record.algorithm = alg_name;
  record.status = store::KeyStatus::kNext;
  record.created_at = clock_.NowSeconds();
  record.activates_at = record.created_at;
  ACCORD_ASSIGN_OR_RETURN(record.sealed_private_key, SealPrivateKey(kek_.view(), record.kid, key));
  record.public_jwk_json = jwk.ToPublicJson();
  ACCORD_RETURN_IF_ERROR(store_.AddSigningKey(record));
  return record.kid;
}

Status KeyManager::EnsureKeysFor(crypto::SignatureAlgorithm alg,
                                 const std::vector<store::SigningKey>& keys) {
  const std::string_view name = crypto::JwaName(alg);
  std::string active, next;
  for (const auto& k : keys) {
    if (k.algorithm != name) continue;
    if (k.status == store::KeyStatus::kActive) active = k.kid;
    if (k.status == store::KeyStatus::kNext) next = k.kid;
  }
  if (active.empty()) {
    if (next.empty()) {
      ACCORD_ASSIGN_OR_RETURN(next, CreateNextKey(alg));
    }
    ACCORD_RETURN_IF_ERROR(store_.ActivateSigningKey(next, clock_.NowSeconds()));
    next.clear();
  }
  if (next.empty()) {
    ACCORD_ASSIGN_OR_RETURN(std::string created, CreateNextKey(alg));
    (void)created;
  }
  return Status::Ok();
}

Status KeyManager::EnsureKeys() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ACCORD_ASSIGN_OR_RETURN(std::vector<store::SigningKey> keys, store_.ListSigningKeys(owner_));
    for (auto alg : algorithms_) ACCORD_RETURN_IF_ERROR(EnsureKeysFor(alg, keys));
  }
  return Reload();
}

Status KeyManager::RotateLocked(crypto::SignatureAlgorithm alg,
                                const std::vector<store::SigningKey>& keys) {
  std::string next;
  for (const auto& k : keys) {
    if (k.status == store::KeyStatus::kNext && k.algorithm == crypto::JwaName(alg)) next = k.kid;
  }
  if (next.empty()) {
    return FailedPrecondition(std::string("no next ") + std::string(crypto::JwaName(alg)) +
                                  " key to activate; run EnsureKeys first",
                              "bad_state");
  }
  ACCORD_RETURN_IF_ERROR(store_.ActivateSigningKey(next, clock_.NowSeconds()));
  ACCORD_ASSIGN_OR_RETURN(std::string created, CreateNextKey(alg));
  (void)created;
  return Status::Ok();
}

Status KeyManager::Rotate(std::optional<crypto::SignatureAlgorithm> alg) {
  if (alg && std::find(algorithms_.begin(), algorithms_.end(), *alg) == algorithms_.end()) {
    return InvalidArgument(std::string(crypto::JwaName(*alg)) + " keys are not in use here",
                           "bad_alg");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    ACCORD_ASSIGN_OR_RETURN(std::vector<store::SigningKey> keys, store_.ListSigningKeys(owner_));
    for (auto a : algorithms_) {
      if (!alg || *alg == a) ACCORD_RETURN_IF_ERROR(RotateLocked(a, keys));
    }
  }
  return Reload();
}

Result<std::vector<KeyInfo>> KeyManager::List() const {
  ACCORD_ASSIGN_OR_RETURN(std::vector<store::SigningKey> keys, store_.ListSigningKeys(owner_));
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
  ACCORD_ASSIGN_OR_RETURN(std::vector<store::SigningKey> keys, store_.ListSigningKeys(owner_));
  int64_t now = clock_.NowSeconds();
  auto snap = std::make_shared<KeySnapshot>();
  snap->loaded_at = now;
  std::map<crypto::SignatureAlgorithm, const store::SigningKey*> active;
  for (const auto& k : keys) {
    if (k.status == store::KeyStatus::kRetired && k.retires_at + kRetiredPublishSeconds <= now) {
      continue;
    }
    auto alg = crypto::SignatureAlgorithmFromJwa(k.algorithm);
    if (k.status == store::KeyStatus::kActive && alg.ok() &&
        std::find(algorithms_.begin(), algorithms_.end(), *alg) != algorithms_.end()) {
      const store::SigningKey*& current = active[*alg];
      if (current == nullptr || k.activates_at >= current->activates_at) current = &k;
    }
    auto jwk = jose::Jwk::ParsePublic(k.public_jwk_json);
    if (!jwk.ok()) return DataLoss("stored public key unreadable", "corrupt");
    snap->public_jwks.Add(std::move(*jwk));
  }
  for (auto alg : algorithms_) {
    auto it = active.find(alg);
    if (it == active.end()) {
      return FailedPrecondition("no active " + std::string(crypto::JwaName(alg)) +
                                    " signing key for " + owner_,
                                "no_active_key");
    }
    ACCORD_ASSIGN_OR_RETURN(crypto::PrivateKey priv, OpenKey(*it->second));
    jose::Jwk jwk = jose::Jwk::FromPrivateKey(std::move(priv));
    jwk.set_kid(it->second->kid);
    jwk.set_alg(std::string(crypto::JwaName(alg)));
    jwk.set_use("sig");
    ACCORD_ASSIGN_OR_RETURN(jose::JwtSigner id_signer, jose::JwtSigner::Create(jwk, alg, "JWT"));
    ACCORD_ASSIGN_OR_RETURN(jose::JwtSigner logout_signer,
                            jose::JwtSigner::Create(jwk, alg, "logout+jwt"));
    snap->id_token_signers[alg] = std::make_shared<const jose::JwtSigner>(std::move(id_signer));
    snap->logout_token_signers[alg] =
        std::make_shared<const jose::JwtSigner>(std::move(logout_signer));
    if (alg == crypto::SignatureAlgorithm::kEs256) {
      ACCORD_ASSIGN_OR_RETURN(jose::JwtSigner at_signer,
                              jose::JwtSigner::Create(jwk, alg, "at+jwt"));
      snap->access_token_signer = std::make_shared<const jose::JwtSigner>(std::move(at_signer));
      snap->id_token_signer = snap->id_token_signers[alg];
    }
  }
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
    // One thread reloads; the others go on with the snapshot they have (a stale snapshot is at
    // most one reload old). Without one yet, everyone waits for a reload of their own.
    if (snap != nullptr && reloading_.exchange(true)) return snap;
    const Status reloaded = Reload();
    if (snap != nullptr) reloading_.store(false);
    if (reloaded.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      snap = snapshot_;
    }
  }
  return snap;
}

}  // namespace accord::oidc
