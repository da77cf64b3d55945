#include "oidc/connectors/dpop_key_handover.h"

#include <utility>

#include "common/bytes.h"
#include "crypto/hash.h"

namespace accord::oidc::connectors {
namespace {

std::string Digest(std::string_view text) {
  const auto digest = crypto::Sha256(AsBytes(text));
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

}  // namespace

void DpopKeyHandover::DropExpiredLocked(int64_t now) {
  // `order_` is oldest first; an entry already taken leaves only its digest behind.
  while (!order_.empty()) {
    auto it = keys_.find(order_.front());
    if (it != keys_.end() && it->second.expires_at > now && keys_.size() < kMaxDpopHandovers &&
        order_.size() <= 2 * kMaxDpopHandovers) {
      break;
    }
    if (it != keys_.end()) keys_.erase(it);
    order_.pop_front();
  }
}

void DpopKeyHandover::Put(std::string_view private_jwk_text, jose::Jwk key, int64_t expires_at,
                          int64_t now) {
  std::string digest = Digest(private_jwk_text);
  std::lock_guard<std::mutex> lock(mu_);
  DropExpiredLocked(now);
  if (keys_.contains(digest)) return;
  keys_.emplace(digest, Entry{std::move(key), expires_at});
  order_.push_back(std::move(digest));
}

std::optional<jose::Jwk> DpopKeyHandover::Take(std::string_view private_jwk_text, int64_t now) {
  const std::string digest = Digest(private_jwk_text);
  std::lock_guard<std::mutex> lock(mu_);
  DropExpiredLocked(now);
  auto it = keys_.find(digest);
  if (it == keys_.end()) return std::nullopt;
  std::optional<jose::Jwk> key(std::move(it->second.key));
  keys_.erase(it);
  return key;
}

size_t DpopKeyHandover::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return keys_.size();
}

}  // namespace accord::oidc::connectors
