// HttpClient: a small blocking HTTP(S) client for worker code (fetching a client's jwks_uri,
// upstream discovery/token/userinfo calls, did.json). Plain C++ header: Beast/Asio stay in
// client.cc and internal/client_pool.*.
//
// Connections are persistent (HTTP/1.1 keep-alive) and pooled per origin (scheme, host, port;
// the TLS verification settings are the client's own). Each client owns one background I/O
// thread running one io_context: Fetch hands the request to it and blocks until the response or
// an error; sockets, TLS streams (a pooled TLS connection keeps its session: no new handshake)
// and name resolution all live there. Every call is bounded by a connect timeout, a total
// timeout (resolve + connect + TLS + write + read; Fetch also stops waiting a little after it) and
// response header/body limits. https verifies the peer against the system CA store (plus an extra
// CA file when configured) and checks the host name; there is no switch to turn verification off.
// Redirects are not followed: a 3xx is returned as it is.
//
// Pooling rules:
// - A connection goes back to the pool only after a complete HTTP/1.1 response on a message
//   boundary: length-delimited (or chunked) body fully read, nothing unread buffered, no
//   `Connection: close`. HTTP/1.0 responses, errors (timeout, too_large, bad_response) and
//   bodies delimited by EOF close the connection.
// - Bounded: at most max_idle_per_origin idle connections per origin and max_idle_total in all
//   (the oldest is closed to make room); an idle connection is closed after idle_timeout (default
//   15 s, below the 30 s idle timeout of accord's own server) or earlier when the server announced
//   a shorter `Keep-Alive: timeout=N` (we stop N-1 s after the response). Connections in use are
//   not limited: there is one per concurrent Fetch.
// - Before reuse, an idle connection is checked without blocking: if the peer closed it (EOF,
//   reset) or sent anything unsolicited (e.g. a TLS close_notify), it is dropped.
// - Retry (Go net/http's rule, Transport.roundTrip / shouldRetryRequest): when a request on a
//   *reused* connection fails before any request byte was written, it is sent again once on a fresh
//   connection; when it fails after being written but before any response byte arrived (the
//   server closed the idle connection as we sent), it is sent again only if it is replayable:
//   GET, HEAD, OPTIONS, TRACE, or carrying an Idempotency-Key / X-Idempotency-Key header. A POST
//   (token, PAR) is never repeated: the server may have acted on it. Its defence is the liveness
//   check above plus an idle timeout shorter than the servers' (ours 30 s; and the announced
//   Keep-Alive timeout), which makes that race rare; a caller that sees "bad_response" on a POST
//   may decide itself whether a repeat is safe. Timeouts are never retried.
//
// Errors (Status reason): "bad_url", "connect_failed" (resolution or connection), "timeout",
// "tls_failed", "too_large", "bad_response".
//
// Thread safety: Fetch may be called concurrently from many threads on one HttpClient; the
// concurrent calls share the I/O thread (their network waits overlap; CPU work on it is parsing
// and TLS record processing). Lifetime: destroy the client only when no Fetch is running; the
// destructor stops the I/O thread and closes every pooled connection.
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

  // Connection reuse (see the pooling rules above). keep_alive = false sends `Connection: close`
  // and opens one connection per Fetch.
  bool keep_alive = true;
  size_t max_idle_per_origin = 32;
  size_t max_idle_total = 256;
  std::chrono::milliseconds idle_timeout{15000};  // must be in (0, 1 h] when keep_alive
};

class HttpClient {
 public:
  // InvalidArgument (reason "tls_config") when the CA store or file can not be loaded, (reason
  // "client_config") when idle_timeout is out of range. Starts the I/O thread.
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
