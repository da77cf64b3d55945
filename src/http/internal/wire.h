// Wire-level helpers shared by the server, the client and the fuzzer. Beast-free header.
#ifndef ACCORD_HTTP_INTERNAL_WIRE_H_
#define ACCORD_HTTP_INTERNAL_WIRE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/request.h"
#include "http/response.h"

namespace accord::http::internal {

// Renders "HTTP/1.1 <status> <reason>\r\n", "Date: <date>" (when `date` is not empty: the
// server's IMF-fixdate, internal/http_date.h), the response's fields, its preset_headers,
// Content-Length (unless the status forbids a body) and "Connection: close" when !keep_alive,
// then the blank line, into *out (cleared first; its capacity is reused). Fields the server owns
// (Content-Length, Connection, Transfer-Encoding, and Date when it sends one) and fields with
// malformed names/values are dropped.
void RenderResponseHead(const Response& response, bool keep_alive, std::string_view date,
                        std::string* out);

// True when a response with this status carries no body (1xx, 204, 304).
bool StatusHasNoBody(int status);

struct ParseLimits {
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1024 * 1024;
  size_t max_query_params = 256;
};

// Parses exactly one request from `bytes` with the server's Beast parser settings (used by the
// fuzzer and tests). On failure the Status reason is the transport error ("bad_request",
// "header_too_large", "body_too_large", "incomplete") and ErrorStatusFor maps it to an HTTP status.
Result<Request> ParseRequestBytes(std::string_view bytes, const ParseLimits& limits);
int ErrorStatusFor(std::string_view reason);

}  // namespace accord::http::internal

#endif  // ACCORD_HTTP_INTERNAL_WIRE_H_
