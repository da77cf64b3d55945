// Test helpers for src/http tests: raw POSIX sockets (so tests need no Beast), a server fixture
// on 127.0.0.1 port 0, and a self-signed certificate made with the OpenSSL EVP/X509 APIs.
#ifndef ACCORD_HTTP_TEST_UTIL_H_
#define ACCORD_HTTP_TEST_UTIL_H_

#include <chrono>
#include <memory>
#include <string>

#include "common/testing/temp_dir.h"
#include "http/filter.h"
#include "http/filters.h"
#include "http/metrics.h"
#include "http/ops.h"
#include "http/router.h"
#include "http/server.h"

namespace accord::http::testing {

// A connected TCP socket to 127.0.0.1:port; closes on destruction.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port);
  ~RawConnection();
  bool connected() const { return fd_ >= 0; }
  bool Send(std::string_view bytes);
  // Reads one HTTP response (head + Content-Length body). Empty on EOF/timeout before a response.
  std::string ReadResponse(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // True when the peer closes (EOF or reset) within `timeout` without sending anything more.
  bool WaitForClose(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  int fd_ = -1;
  std::string pending_;
};

// Status code of a raw response ("HTTP/1.1 404 ..." -> 404), or 0.
int StatusOf(const std::string& raw_response);
// True when the raw response head has a field `name: value` (name case-insensitive).
bool HasHeader(const std::string& raw_response, std::string_view name, std::string_view value);
std::string BodyOf(const std::string& raw_response);

// Router + registry + pipeline + server on 127.0.0.1:0 with 2 threads and the default filters.
struct TestServer {
  Router router;
  Registry registry;
  ReadinessChecks readiness;
  std::unique_ptr<Pipeline> pipeline;
  std::unique_ptr<Server> server;

  // Adds the operational routes, builds the pipeline, creates and starts the server.
  // Returns false (with a gtest failure) on error.
  bool Start(ServerOptions options = {});
  uint16_t port() const { return server->port(); }
  std::string Url(std::string_view path) const;
};

// Writes a self-signed P-256 certificate (CN=localhost, SAN DNS:localhost, IP:127.0.0.1) and its
// key as PEM files into `dir`; returns false on failure.
bool WriteSelfSignedCert(const std::string& dir, std::string* cert_path, std::string* key_path);

// A fresh temporary directory (accord-http-XXXXXX) removed on destruction; see
// common/testing/temp_dir.h.
class TempDir : public ::accord::testing::TempDir {
 public:
  TempDir() : ::accord::testing::TempDir("accord-http-") {}
};

}  // namespace accord::http::testing

#endif  // ACCORD_HTTP_TEST_UTIL_H_
