// HttpClient: a small blocking HTTP(S) client for worker code (fetching a client's jwks_uri,
// upstream discovery/token/userinfo calls, did.json). Plain C++ header: Beast/Asio stay in
// client.cc.
//
// Each Fetch opens one connection (Connection: close), runs its own io_context on the calling
// thread and is bounded by a connect timeout, a total timeout and response header/body limits.
// https verifies the peer against the system CA store (plus an extra CA file when configured) and
// checks the host name; there is no switch to turn verification off. Redirects are not followed:
// a 3xx is returned as it is.
//
// Errors (Status reason): "bad_url", "connect_failed" (resolution or connection), "timeout",
// "tls_failed", "too_large", "bad_response".
//
// Thread safety: Fetch may be called concurrently from many threads on one HttpClient.
#ifndef ACCORD_HTTP_CLIENT_H_
#define ACCORD_HTTP_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "common/status.h"
#include "http/headers.h"
#include "http/response.h"

namespace accord::http {

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // http:// or https:// absolute URL without userinfo
  Headers headers;  // Host, Content-Length and Connection are set by the client
  std::string body;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{10000};  // resolve + connect + TLS + write + read
  size_t max_response_body_bytes = 1024 * 1024;
  size_t max_response_header_bytes = 16 * 1024;
};

struct ClientOptions {
  // PEM CA certificates trusted in addition to the system store (tests, private PKI).
  std::string extra_ca_file;
  std::string user_agent = "accord";
};

class HttpClient {
 public:
  // InvalidArgument (reason "tls_config") when the CA store or file can not be loaded.
  static Result<std::unique_ptr<HttpClient>> Create(ClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Result<Response> Fetch(const ClientRequest& request) const;

  class Impl;

 private:
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace accord::http

#endif  // ACCORD_HTTP_CLIENT_H_
