#include "audit/http_resource_reader.h"

namespace accord::audit {

HttpResourceReader::HttpResourceReader(const http::HttpClient& client, std::string prefix)
    : client_(client), prefix_(std::move(prefix)) {
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
}

Result<Bytes> HttpResourceReader::Read(std::string_view path) const {
  if (!IsSafeResourcePath(path)) return InvalidArgument("unsafe resource path", "bad_path");
  http::ClientRequest req;
  req.url = prefix_ + "/" + std::string(path);
  req.max_response_body_bytes = kMaxResourceBytes;
  ACCORD_ASSIGN_OR_RETURN(http::Response resp, client_.Fetch(req));
  if (resp.status == 404) return NotFound("log resource not found", "not_found");
  if (resp.status != 200) {
    return Unavailable("log resource fetch returned HTTP " + std::to_string(resp.status),
                       "fetch_failed");
  }
  return ToBytes(resp.body);
}

}  // namespace accord::audit
