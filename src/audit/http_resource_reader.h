// A ResourceReader that fetches a tiled log's resources over HTTP(S) with http::HttpClient:
// GET <prefix>/checkpoint, <prefix>/tile/... . 200 -> body; 404 -> NotFound; anything else ->
// Unavailable "fetch_failed". Responses are bounded (tiles and bundles by kMaxResourceBytes).
// Only built when the http module is (ACCORD_AUDIT_HAVE_HTTP).
//
// Thread safety: as HttpClient (safe for concurrent use). Lifetime: borrows the client.
#ifndef ACCORD_AUDIT_HTTP_RESOURCE_READER_H_
#define ACCORD_AUDIT_HTTP_RESOURCE_READER_H_

#include <string>

#include "audit/log_verifier.h"
#include "http/client.h"

namespace accord::audit {

class HttpResourceReader final : public ResourceReader {
 public:
  static constexpr size_t kMaxResourceBytes = 16 * 1024 * 1024;
  // prefix: "https://log.example/path" (a trailing '/' is removed).
  HttpResourceReader(const http::HttpClient& client, std::string prefix);
  Result<Bytes> Read(std::string_view path) const override;

 private:
  const http::HttpClient& client_;
  std::string prefix_;
};

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_HTTP_RESOURCE_READER_H_
