// http::Response and helpers to build common responses. Plain C++ (no Beast/Asio).
//
// The server adds Content-Length and Connection itself; handlers must not set them (they are
// dropped). Header fields whose name or value could split the response (CR, LF, NUL) are dropped
// at serialisation, so a handler bug can not become header injection.
//
// Thread safety: a value type.
#ifndef ACCORD_HTTP_RESPONSE_H_
#define ACCORD_HTTP_RESPONSE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "common/status.h"
#include "http/headers.h"

namespace accord::http {

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // Pre-rendered header lines ("Name: value\r\n"...) appended after `headers` on the wire; lets
  // filters add constant headers without per-request allocation. The pointee must outlive the
  // write of this response (filters point it at strings they own for the server's lifetime).
  std::string_view preset_headers;
  // Set by a handler whose answer depends on writes decided after it returns (a token request's
  // replay records, Store::RecordAllLater): once those writes have settled, the server calls it
  // with their first failure, or OK, and sends what it returns instead of this response (with
  // this response's security headers). When it returns nothing the response stands on OK and is
  // replaced by a 503 on a failure. Called once, on the connection's thread, before anything is
  // written, while the request is still alive.
  std::function<std::optional<Response>(const Status&)> settle;
};

// Standard reason phrase ("Not Found"), or "Unknown" for unregistered codes.
std::string_view ReasonPhrase(int status);

// 200 (or `status`) with Content-Type: application/json.
Response JsonResponse(const boost::json::value& body, int status = 200);
Response JsonResponse(std::string serialized_json, int status = 200);
// text/plain; charset=utf-8.
Response TextResponse(std::string body, int status = 200);
// 302 (or 303/307/308) to `location`. A location containing CR/LF/NUL yields a 500 instead.
Response Redirect(std::string_view location, int status = 302);
// RFC 6749 section 5.2 error body {"error":..., "error_description":...} with `status`.
// `description` is omitted when empty. Descriptions are for clients: never put internals in them.
Response OAuthError(int status, std::string_view error, std::string_view description = {});
// A generic error body for non-OAuth endpoints: {"error":"not_found"} style, from the status.
Response ErrorResponse(int status);

}  // namespace accord::http

#endif  // ACCORD_HTTP_RESPONSE_H_
