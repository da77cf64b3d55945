// UpstreamHttp: the connectors' bounded HTTP calls to one upstream (discovery, JWKS, PAR, token,
// userinfo, did.json) on top of http::HttpClient, with the upstream's timeout and a body limit per
// call, and the failure mapping every connector shares:
//   transport failure (connect, timeout, TLS, oversized or malformed response) or a 5xx
//                                           -> Unavailable "upstream_unavailable"
// Other statuses are returned for the caller to interpret. Messages name the call ("token
// endpoint"), never URLs with parameters or bodies.
//
// Thread safety: immutable; safe to share. The HttpClient must outlive it.
#ifndef ACCORD_OIDC_CONNECTORS_UPSTREAM_HTTP_H_
#define ACCORD_OIDC_CONNECTORS_UPSTREAM_HTTP_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"
#include "http/client.h"
#include "http/form.h"
#include "http/headers.h"
#include "http/response.h"

namespace accord::oidc::connectors {

// Response body limits per call.
inline constexpr size_t kMaxMetadataBytes = 64 * 1024;
inline constexpr size_t kMaxJwksResponseBytes = 256 * 1024;
inline constexpr size_t kMaxTokenResponseBytes = 128 * 1024;
inline constexpr size_t kMaxUserinfoBytes = 256 * 1024;
inline constexpr size_t kMaxParResponseBytes = 16 * 1024;
inline constexpr size_t kMaxDidDocumentBytes = 64 * 1024;
inline constexpr size_t kMaxResponseJsonDepth = 20;

// JsonLimits for outside JSON: `max_bytes`, `max_depth`, duplicate names rejected.
inline JsonLimits BoundedJson(size_t max_bytes, size_t max_depth) {
  JsonLimits limits;
  limits.max_bytes = max_bytes;
  limits.max_depth = max_depth;
  return limits;
}

class UpstreamHttp {
 public:
  UpstreamHttp(std::shared_ptr<const http::HttpClient> client, int timeout_ms)
      : client_(std::move(client)), timeout_ms_(timeout_ms) {}

  // `what` names the call in error messages ("token endpoint").
  Result<http::Response> Get(std::string_view what, const std::string& url, size_t max_body,
                             http::Headers headers = {}) const;
  Result<http::Response> PostForm(std::string_view what, const std::string& url,
                                  const http::Params& form, size_t max_body,
                                  http::Headers headers = {}) const;

 private:
  Result<http::Response> Send(std::string_view what, http::ClientRequest request) const;
  std::shared_ptr<const http::HttpClient> client_;
  int timeout_ms_;
};

// application/x-www-form-urlencoded body (or query string) from ordered parameters.
std::string EncodeForm(const http::Params& params);
// `base` + ('?' or '&') + EncodeForm(params).
std::string AppendQuery(std::string_view base, const http::Params& params);

// Seconds a response may be cached: Cache-Control max-age (or s-maxage) clamped to
// [0, max_seconds]; 0 for no-store/no-cache; `default_seconds` when no directive says.
int64_t CacheLifetimeSeconds(const http::Response& response, int64_t default_seconds,
                             int64_t max_seconds);

// The body as a bounded JSON object (common::ParseJson: max_body bytes, kMaxResponseJsonDepth,
// no duplicate names). On failure: the given code/reason with "<what>: malformed JSON".
Result<boost::json::object> ParseJsonBody(std::string_view what, const http::Response& response,
                                          size_t max_body, std::string_view reason);

// An OAuth error code from an error response body ("invalid_grant"), reduced to
// [A-Za-z0-9_.-] and at most 64 characters; "unknown" when absent.
std::string OAuthErrorCode(const http::Response& response);
// The same reduction for an `error` value from a callback.
std::string SanitizeErrorCode(std::string_view code);

}  // namespace accord::oidc::connectors

#endif  // ACCORD_OIDC_CONNECTORS_UPSTREAM_HTTP_H_
