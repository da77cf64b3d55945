#include "oidc/provider/jwks_cache.h"

namespace accord::oidc {

JwksCache::Fetcher JwksCache::HttpFetcher(std::shared_ptr<const http::HttpClient> client) {
  return [client](const std::string& url) -> Result<std::string> {
    http::ClientRequest request;
    request.url = url;
    request.headers.Set("Accept", "application/jwk-set+json, application/json");
    request.max_response_body_bytes = kMaxJwksDocumentBytes;
    ACCORD_ASSIGN_OR_RETURN(http::Response response, client->Fetch(request));
    if (response.status != 200) {
      return Unavailable("jwks_uri answered HTTP " + std::to_string(response.status),
                         "jwks_unavailable");
    }
    return std::move(response.body);
  };
}

Result<jose::Jwks> JwksCache::Get(const std::string& uri) { return Load(uri, false); }

Result<jose::Jwks> JwksCache::Refresh(const std::string& uri) { return Load(uri, true); }

Result<jose::Jwks> JwksCache::Load(const std::string& uri, bool force) {
  int64_t now = clock_.NowSeconds();
  std::shared_ptr<const jose::Jwks> cached;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Entry& e = entries_[uri];
    cached = e.keys;
    bool fresh = cached != nullptr && now < e.fetched_at + kJwksCacheSeconds;
    bool may_fetch = e.attempted_at == 0 || now >= e.attempted_at + kJwksMinRefetchSeconds;
    if ((fresh && !force) || !may_fetch) {
      if (cached != nullptr) return *cached;
      return Unavailable("jwks_uri fetch failed recently", "jwks_unavailable");
    }
    e.attempted_at = now;
  }
  auto body = fetcher_(uri);
  Result<jose::Jwks> parsed = body.ok() ? jose::Jwks::ParsePublic(*body) : body.status();
  if (!parsed.ok() || parsed->empty()) {
    if (cached != nullptr) return *cached;
    return Unavailable("jwks_uri gave no usable public JWK Set", "jwks_unavailable");
  }
  auto keys = std::make_shared<const jose::Jwks>(*parsed);
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[uri];
  e.keys = keys;
  e.fetched_at = now;
  return *keys;
}

}  // namespace accord::oidc
