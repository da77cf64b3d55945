// JwksCache: client keys published at a jwks_uri (OIDC Dynamic Client Registration section 2),
// fetched over HTTP(S) and cached per URI.
//
// A cached set is reused for kJwksCacheSeconds. Refresh(uri) re-fetches early (after an unknown
// kid or a bad signature, i.e. the client may have rotated) but at most once per
// kJwksMinRefetchSeconds per URI, so an attacker sending junk assertions can not make Accord
// hammer a client's server. Documents are bounded (kMaxJwksDocumentBytes) and must be public JWK
// Sets. Fetch failures: Unavailable "jwks_unavailable" (the previous set, if any, keeps serving).
//
// Thread safety: safe for concurrent use. Fetches happen on the calling thread, bounded by the
// fetcher's timeouts; the lock is not held while fetching.
#ifndef ACCORD_OIDC_PROVIDER_JWKS_CACHE_H_
#define ACCORD_OIDC_PROVIDER_JWKS_CACHE_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "http/client.h"
#include "jose/jwk.h"

namespace accord::oidc {

inline constexpr int64_t kJwksCacheSeconds = 300;
inline constexpr int64_t kJwksMinRefetchSeconds = 30;
inline constexpr size_t kMaxJwksDocumentBytes = 64 * 1024;

class JwksCache {
 public:
  // Returns the body of a successful GET of `url`, or an error.
  using Fetcher = std::function<Result<std::string>(const std::string& url)>;

  JwksCache(Fetcher fetcher, const Clock& clock) : fetcher_(std::move(fetcher)), clock_(clock) {}
  // A fetcher backed by http::HttpClient (5 s connect, 10 s total, 64 KiB body, 200 only).
  static Fetcher HttpFetcher(std::shared_ptr<const http::HttpClient> client);

  // The cached set, fetching when absent or older than kJwksCacheSeconds.
  Result<jose::Jwks> Get(const std::string& uri);
  // Re-fetches unless the last fetch was less than kJwksMinRefetchSeconds ago; returns the
  // (possibly unchanged) set.
  Result<jose::Jwks> Refresh(const std::string& uri);

 private:
  struct Entry {
    std::shared_ptr<const jose::Jwks> keys;
    int64_t fetched_at = 0;
    int64_t attempted_at = 0;
  };
  Result<jose::Jwks> Load(const std::string& uri, bool force);

  Fetcher fetcher_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_JWKS_CACHE_H_
