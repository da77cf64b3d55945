// http::Request: one parsed HTTP request as handlers see it. Plain C++ (no Beast/Asio).
//
// `path` is the target's path exactly as sent (still percent-encoded): routing compares it
// byte-for-byte, so "/a%2Fb" never matches a route "/a/b". `query` holds the query parameters,
// decoded as application/x-www-form-urlencoded ('+' is a space), duplicates kept.
//
// Ownership: a Request owns all its strings. Thread safety: a value type; Form() records its
// parse in the Request, so it counts as a write.
#ifndef ACCORD_HTTP_REQUEST_H_
#define ACCORD_HTTP_REQUEST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "http/form.h"
#include "http/headers.h"

namespace accord::http {

struct Request {
  std::string method;  // "GET", "POST", ... as sent (methods are case-sensitive)
  std::string target;  // request-target as sent, e.g. "/authorize?client_id=a"
  std::string path;    // target up to '?', percent-encoded
  Params query;        // decoded query parameters
  Headers headers;
  std::string body;
  std::string remote_address;  // peer IP address, e.g. "127.0.0.1"
  uint16_t remote_port = 0;
  std::string request_id;  // set by the request-id filter (echoed or generated)
  bool tls = false;        // arrived over TLS
  bool keep_alive = true;  // the client allows reuse of the connection

  // Parses the body as a form (see form.h). Fails with reason "bad_content_type" unless
  // Content-Type is application/x-www-form-urlencoded.
  //
  // Parsed once: a later call with the same limits, body and Content-Type returns the same result
  // without parsing again (a /token request is read by the inline check, the handler and the
  // metrics). The reference stays valid while the Request lives, even when the body changes and
  // a later call parses again. Form() records its parse: do not call it on one Request from two
  // threads at once.
  const Result<Params>& Form(const FormLimits& limits = {}) const;

 private:
  struct FormMemo;
  mutable std::vector<std::shared_ptr<const FormMemo>> forms_;  // each parse, oldest first
};

// Splits and validates an origin-form request-target (RFC 9112 section 3.2.1) into path and query
// using Boost.URL. InvalidArgument (reason "bad_target") for anything else (absolute-form,
// authority-form, "*", malformed percent-encoding), or a query with more than `max_params`.
Status ParseTarget(std::string_view target, std::string* path, Params* query,
                   size_t max_params = 256);

}  // namespace accord::http

#endif  // ACCORD_HTTP_REQUEST_H_
