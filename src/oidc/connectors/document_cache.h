// DocumentCache<T>: upstream documents (discovery metadata, JWK Sets, did.json) fetched over HTTP,
// parsed once and cached per URL for as long as the response's Cache-Control allows
// (CacheLifetimeSeconds, default kDefaultCacheSeconds, at most kMaxCacheSeconds).
//
// When a refresh fails (upstream down, 5xx, non-200, or a document that no longer parses) the
// previous document keeps serving, however old: a national identity provider's outage must not
// turn into Accord refusing logins it could still verify. Without a previous document the error
// is returned (Unavailable "upstream_unavailable", or the parser's error).
//
// Get(force_refresh = true) fetches even when fresh (after an unknown kid); callers do that at most
// once per verification.
//
// Thread safety: safe for concurrent use; the lock is never held while fetching, so two threads
// may fetch the same stale document at once (the later result wins).
#ifndef ACCORD_OIDC_CONNECTORS_DOCUMENT_CACHE_H_
#define ACCORD_OIDC_CONNECTORS_DOCUMENT_CACHE_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "oidc/connectors/upstream_http.h"

namespace accord::oidc::connectors {

inline constexpr int64_t kDefaultCacheSeconds = 300;
inline constexpr int64_t kMaxCacheSeconds = 24 * 3600;
inline constexpr size_t kMaxCachedUrls = 16;

template <typename T>
class DocumentCache {
 public:
  using Parser = std::function<Result<T>(std::string_view body)>;

  // `what` names the document in errors ("discovery"); `max_bytes` bounds the response body.
  DocumentCache(std::string what, size_t max_bytes, Parser parser)
      : what_(std::move(what)), max_bytes_(max_bytes), parser_(std::move(parser)) {}

  Result<std::shared_ptr<const T>> Get(const UpstreamHttp& http, const Clock& clock,
                                       const std::string& url, bool force_refresh = false) {
    std::shared_ptr<const T> stale;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = entries_.find(url);
      if (it != entries_.end()) {
        if (!force_refresh && clock.NowSeconds() < it->second.expires_at) return it->second.doc;
        stale = it->second.doc;
      }
    }
    Result<http::Response> response = http.Get(what_, url, max_bytes_);
    Status failure;
    if (!response.ok()) {
      failure = response.status();
    } else if (response->status != 200) {
      failure = Unavailable(what_ + ": HTTP " + std::to_string(response->status),
                            "upstream_unavailable");
    } else {
      Result<T> parsed = parser_(response->body);
      if (parsed.ok()) {
        auto doc = std::make_shared<const T>(std::move(parsed).value());
        int64_t lifetime =
            CacheLifetimeSeconds(*response, kDefaultCacheSeconds, kMaxCacheSeconds);
        std::lock_guard<std::mutex> lock(mu_);
        if (entries_.size() >= kMaxCachedUrls && !entries_.contains(url)) entries_.clear();
        entries_[url] = Entry{doc, clock.NowSeconds() + lifetime};
        return doc;
      }
      failure = parsed.status();
    }
    if (stale) return stale;
    return failure;
  }

 private:
  struct Entry {
    std::shared_ptr<const T> doc;
    int64_t expires_at = 0;
  };
  std::string what_;
  size_t max_bytes_;
  Parser parser_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace accord::oidc::connectors

#endif  // ACCORD_OIDC_CONNECTORS_DOCUMENT_CACHE_H_
