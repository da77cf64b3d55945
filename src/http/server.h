// http::Server: an HTTP/1.1 server (Boost.Beast/Asio with C++20 coroutines) in front of a
// Pipeline (router + filters). Plain C++ header: Beast/Asio stay in server.cc.
//
// `threads` io_contexts, each run by one thread (plus one thread for the acceptor and signals);
// accepted connections are spread over them round
// robin and each runs as a coroutine on its context, so a connection's handlers are serialized
// (its own implicit strand) and its requests are handled one at a time (HTTP/1.1 keep-alive,
// pipelining in order). Handlers run on a pool of worker threads (so one blocked on an fsync or an
// upstream call holds up only its own request, and many concurrent durable commits share one
// fsync); routes marked RouteOptions::inline_handler run on the I/O thread itself.
// Every input is bounded (ServerLimits): header bytes (431), body bytes (413), idle time before a
// request, time to read a request (408 when a request was under way, else a silent close), write
// time, open connections (accepted then closed at once beyond the limit). Malformed requests get
// 400 and the connection is closed. See docs/http.md.
//
// Shutdown: Stop() stops accepting, closes idle connections, lets in-flight requests finish (their
// responses carry Connection: close) and Wait() returns when all connections are gone or the
// grace period has passed. RunUntilSignal() does Start + Stop on SIGINT/SIGTERM + Wait.
//
// Lifetime: the Pipeline (and its Router/filters) and the Registry must outlive the Server.
// Thread safety: Stop() may be called from any thread (including a handler); Start/Wait/
// RunUntilSignal from one controlling thread.
#ifndef ACCORD_HTTP_SERVER_H_
#define ACCORD_HTTP_SERVER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "http/filter.h"
#include "http/metrics.h"

namespace accord::http {

struct ServerLimits {
  size_t max_header_bytes = 16 * 1024;     // request line + fields
  size_t max_body_bytes = 1024 * 1024;     // decoded body (also chunked)
  size_t max_query_params = 256;
  size_t max_connections = 4096;           // open connections
  std::chrono::milliseconds idle_timeout{30000};     // waiting for a request's first byte
  std::chrono::milliseconds read_timeout{10000};     // first byte to complete request
  std::chrono::milliseconds write_timeout{10000};    // writing one response
  std::chrono::milliseconds shutdown_grace{10000};   // in-flight requests after Stop()
};

struct TlsOptions {
  std::string cert_chain_file;   // PEM, leaf first
  std::string private_key_file;  // PEM
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: pick a free port (see Server::port())
  int threads = 0;    // I/O threads; 0: one per core
  // Threads that run handlers (RouteOptions::inline_handler routes excepted). Each in-flight
  // request of a worker route holds one; requests beyond wait in order. 0: every handler runs on
  // its I/O thread.
  int worker_threads = 32;
  // How many of those may run at once outside a BlockingRegion (common/blocking_region.h): a
  // handler waiting on the network, PostgreSQL or an fsync stops counting while it waits
  // (internal/handler_pool.h). About the number of cores keeps computing handlers from crowding
  // each other out; 0: worker_threads (no bound beyond the threads).
  int handler_concurrency = 0;
  ServerLimits limits;
  std::optional<TlsOptions> tls;  // TLS 1.2+ when set
  // Transport metrics (connections, rejected connections, transport errors); may be null.
  Registry* metrics = nullptr;
};

class Server {
 public:
  // Binds and listens (so port() is known) but serves nothing until Start(). InvalidArgument for
  // a bad address or TLS files, Unavailable (reason "bind_failed") when the port can not be bound.
  static Result<std::unique_ptr<Server>> Create(ServerOptions options, const Pipeline& pipeline);

  ~Server();  // Stop() + Wait()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const;
  bool tls() const;

  // Starts the worker threads. Idempotent.
  void Start();
  // Begins graceful shutdown; returns at once. Idempotent, thread-safe.
  void Stop();
  // Blocks until shutdown has completed (after Stop()) and joins the threads.
  void Wait();
  // Start(), Stop() on the first SIGINT or SIGTERM, Wait().
  Status RunUntilSignal();

  // Connections currently open.
  size_t active_connections() const;

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace accord::http

#endif  // ACCORD_HTTP_SERVER_H_
