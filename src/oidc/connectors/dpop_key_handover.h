// DpopKeyHandover: hands the DPoP key a connector generated in Start() to Finish() of the same
// login in the same process, so Finish() does not rebuild the private key from the pending
// login's JWK text (an EC key-pair import with its pairwise check, a scalar multiplication, and
// two more key constructions). The pending login stays the source of truth: a key is only handed
// over for exactly the text stored in it (compared by SHA-256), and anything not found here (a
// login started by another gateway instance or before a restart, an evicted entry) is parsed
// from the text as before, so the result is the same key either way.
//
// Bounds: at most kMaxDpopHandovers keys; each is kept until its login is finished (Take), its
// login lifetime has passed, or it is the oldest when the set is full. Private keys of abandoned
// logins therefore stay in memory at most the login lifetime.
//
// Thread safety: all methods are safe to call concurrently (one mutex).
#ifndef ACCORD_OIDC_CONNECTORS_DPOP_KEY_HANDOVER_H_
#define ACCORD_OIDC_CONNECTORS_DPOP_KEY_HANDOVER_H_

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "jose/jwk.h"

namespace accord::oidc::connectors {

inline constexpr size_t kMaxDpopHandovers = 4096;

class DpopKeyHandover {
 public:
  // Keeps `key`, whose ToPrivateJson() is `private_jwk_text`, until `expires_at` (seconds).
  void Put(std::string_view private_jwk_text, jose::Jwk key, int64_t expires_at, int64_t now);
  // The key put for exactly this text, removed from the set; nullopt when there is none.
  std::optional<jose::Jwk> Take(std::string_view private_jwk_text, int64_t now);
  size_t size() const;

 private:
  struct Entry {
    jose::Jwk key;
    int64_t expires_at;
  };
  void DropExpiredLocked(int64_t now);

  mutable std::mutex mu_;
  std::map<std::string, Entry> keys_;         // SHA-256 of the private JWK text -> key
  std::deque<std::string> order_;             // digests, oldest first (may name taken entries)
};

}  // namespace accord::oidc::connectors

#endif  // ACCORD_OIDC_CONNECTORS_DPOP_KEY_HANDOVER_H_
