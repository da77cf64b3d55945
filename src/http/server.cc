// Transport for http::Server: Beast/Asio lives here (see server.h for the contract).
#include "http/server.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "common/deferred_ack.h"
#include "http/internal/beast_request.h"
#include "http/internal/handler_pool.h"
#include "http/internal/http_date.h"
#include "http/internal/tls.h"
#include "http/internal/wire.h"

namespace accord::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kReadChunk = 8 * 1024;
constexpr size_t kKeepBufferBytes = 64 * 1024;
constexpr std::chrono::milliseconds kLingerTime{500};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kTransportErrorHeaders =
    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Cache-Control: no-store\r\n";

enum class Phase { kBusy, kIdle };

// One connection. Touched only on its io_context's thread (`executor`), except `executor` and
// `context` (both fixed at construction).
//
// Timeouts: each phase (idle, read, write, linger) sets `deadline`; a ticker per io_context
// closes the socket of every connection whose deadline has passed (then `timed_out` is set and
// the pending operation fails). Arming a timer per socket operation instead (Beast's tcp_stream)
// cost about a third of the server's own instructions per request.
struct Connection {
  Connection(tcp::socket socket, asio::ssl::context* ssl, size_t context_index)
      : executor(socket.get_executor()), context(context_index) {
    if (ssl != nullptr) {
      tls.emplace(std::move(socket), *ssl);
      lowest = &tls->next_layer();
    } else {
      plain.emplace(std::move(socket));
      lowest = &*plain;
    }
  }
  void ExpiresAfter(std::chrono::milliseconds d) { deadline = Clock::now() + d; }

  asio::any_io_executor executor;
  const size_t context;  // index of its io_context (and of its ticker's list)
  std::optional<tcp::socket> plain;
  std::optional<beast::ssl_stream<tcp::socket>> tls;
  tcp::socket* lowest = nullptr;
  Clock::time_point deadline = Clock::time_point::max();
  bool timed_out = false;
  size_t slot = 0;  // position in its context's list of tracked connections
  beast::flat_buffer buffer;
  std::string head;  // rendered response head, reused
  std::string remote_address;
  uint16_t remote_port = 0;
  Phase phase = Phase::kBusy;
};

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, const Pipeline& pipeline)
      : options_(std::move(options)), pipeline_(pipeline) {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const unsigned n = options_.threads > 0 ? static_cast<unsigned>(options_.threads) : cores;
    // One io_context per I/O thread (concurrency hint 1): a connection's socket work all runs on
    // the thread of the context it was accepted onto, so it is serialized without a strand. Its
    // handlers run on the worker pool (or inline for in-memory routes) while its coroutine waits,
    // so a connection still has one request in hand at a time.
    for (unsigned i = 0; i < n; ++i) iocs_.push_back(std::make_unique<asio::io_context>(1));
    if (options_.worker_threads > 0) {
      const auto threads = static_cast<size_t>(options_.worker_threads);
      const size_t concurrency = options_.handler_concurrency > 0
                                     ? static_cast<size_t>(options_.handler_concurrency)
                                     : threads;
      workers_ = std::make_unique<internal::HandlerPool>(threads, concurrency);
    }
    tracked_.resize(n);
    const ServerLimits& l = options_.limits;
    const auto shortest = std::min({l.idle_timeout, l.read_timeout, l.write_timeout, kLingerTime});
    tick_ = std::clamp<std::chrono::milliseconds>(shortest / 10, std::chrono::milliseconds(5),
                                                  std::chrono::milliseconds(250));
    parse_limits_.max_header_bytes = options_.limits.max_header_bytes;
    parse_limits_.max_body_bytes = options_.limits.max_body_bytes;
    parse_limits_.max_query_params = options_.limits.max_query_params;
    if (options_.metrics != nullptr) {
      Registry& r = *options_.metrics;
      open_gauge_ = &r.AddGauge("accord_http_connections_open", "Open HTTP connections").WithLabels({});
      rejected_ = &r.AddCounter("accord_http_connections_rejected_total",
                                "Connections closed at once because the connection limit was reached")
                       .WithLabels({});
      transport_errors_ = &r.AddCounter("accord_http_transport_errors_total",
                                        "Requests that failed before reaching a handler, by reason",
                                        {"reason"});
    }
  }

  ~Impl() {
    Stop();
    if (started_) Wait();
    {
      std::lock_guard lock(mu_);
      connections_.clear();
    }
    signals_.reset();
    acceptor_.reset();
    // A pending accept (on control_) holds a socket of a worker context: control_ goes first.
    control_.reset();
    iocs_.clear();  // destroys any abandoned connection frames while members are still alive
  }

  Status Listen() {
    boost::system::error_code ec;
    const asio::ip::address address = asio::ip::make_address(options_.address, ec);
    if (ec) return InvalidArgument("malformed listen address", "bad_address");
    if (options_.tls) {
      ssl_ctx_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
      ACCORD_RETURN_IF_ERROR(internal::ConfigureServerTls(
          ssl_ctx_->native_handle(), options_.tls->cert_chain_file, options_.tls->private_key_file));
    }
    acceptor_.emplace(control_->get_executor());
    const tcp::endpoint endpoint(address, options_.port);
    acceptor_->open(endpoint.protocol(), ec);
    if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(endpoint, ec);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return Unavailable("cannot listen on the address", "bind_failed");
    port_ = acceptor_->local_endpoint(ec).port();
    return Status::Ok();
  }

  void Start() {
    std::lock_guard lock(control_mu_);
    if (started_) return;
    started_ = true;
    for (auto& ioc : iocs_) work_.emplace_back(ioc->get_executor());
    work_.emplace_back(control_->get_executor());
    asio::co_spawn(acceptor_->get_executor(), Accept(), [](std::exception_ptr) {});
    for (size_t i = 0; i < iocs_.size(); ++i) {
      asio::co_spawn(iocs_[i]->get_executor(), Tick(i), [](std::exception_ptr) {});
    }
    for (auto& ioc : iocs_) threads_.emplace_back([io = ioc.get()] { io->run(); });
    threads_.emplace_back([this] { control_->run(); });
  }

  void Stop() {
    if (stopping_.exchange(true)) return;
    std::vector<std::shared_ptr<Connection>> snapshot;
    {
      std::lock_guard lock(mu_);
      stop_requested_ = true;
      stop_time_ = Clock::now();
      snapshot.assign(connections_.begin(), connections_.end());
    }
    cv_.notify_all();
    if (acceptor_) {
      asio::post(acceptor_->get_executor(), [this] {
        boost::system::error_code ignored;
        acceptor_->close(ignored);
        if (signals_) signals_->cancel(ignored);
      });
    }
    // Idle connections close now; busy ones finish their request and then close.
    for (auto& conn : snapshot) {
      asio::post(conn->executor, [conn] {
        boost::system::error_code ignored;  // the socket may be closed already (timeout)
        if (conn->phase == Phase::kIdle) conn->lowest->cancel(ignored);
      });
    }
  }

  void Wait() {
    std::lock_guard control(control_mu_);
    if (!started_ || joined_) return;
    {
      std::unique_lock lock(mu_);
      for (;;) {
        if (stop_requested_) {
          const auto deadline = stop_time_ + options_.limits.shutdown_grace;
          if (connections_.empty() || Clock::now() >= deadline) break;
          cv_.wait_until(lock, deadline);
        } else {
          cv_.wait(lock);
        }
      }
    }
    work_.clear();
    for (auto& ioc : iocs_) ioc->stop();
    control_->stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    // A handler still running after the grace period finishes first: it uses the pipeline.
    if (workers_) workers_->Join();
    joined_ = true;
  }

  Status RunUntilSignal() {
    Start();
    asio::post(acceptor_->get_executor(), [this] {
      if (stopping_) return;
      signals_.emplace(acceptor_->get_executor(), SIGINT, SIGTERM);
      signals_->async_wait([this](const boost::system::error_code& ec, int) {
        if (!ec) Stop();
      });
    });
    Wait();
    return Status::Ok();
  }

  uint16_t port() const { return port_; }
  bool tls() const { return ssl_ctx_ != nullptr; }
  size_t active_connections() const {
    std::lock_guard lock(mu_);
    return connections_.size();
  }

 private:
  void CountTransportError(std::string_view reason) {
    if (transport_errors_ != nullptr) transport_errors_->WithLabels({std::string(reason)}).Inc();
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      const size_t context = next_ioc_++ % iocs_.size();  // round robin
      auto [ec, socket] = co_await acceptor_->async_accept(*iocs_[context], kUseTuple);
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      if (ec) {  // e.g. out of file descriptors: back off briefly instead of spinning
        asio::steady_timer timer(acceptor_->get_executor(), std::chrono::milliseconds(10));
        co_await timer.async_wait(kUseTuple);
        continue;
      }
      std::shared_ptr<Connection> conn;
      {
        std::lock_guard lock(mu_);
        if (connections_.size() >= options_.limits.max_connections) {
          if (rejected_ != nullptr) rejected_->Inc();
          boost::system::error_code ignored;
          socket.close(ignored);
          continue;
        }
        boost::system::error_code ep_ec;
        const tcp::endpoint peer = socket.remote_endpoint(ep_ec);
        socket.set_option(tcp::no_delay(true), ep_ec);
        conn = std::make_shared<Connection>(std::move(socket), ssl_ctx_.get(), context);
        if (!ep_ec) {
          conn->remote_address = peer.address().to_string();
          conn->remote_port = peer.port();
        }
        connections_.insert(conn);
      }
      if (open_gauge_ != nullptr) open_gauge_->Add(1);
      asio::co_spawn(conn->executor, RunConnection(conn),
                     [this, conn](std::exception_ptr) { OnClosed(conn); });
    }
  }

  void OnClosed(const std::shared_ptr<Connection>& conn) {
    if (open_gauge_ != nullptr) open_gauge_->Add(-1);
    {
      std::lock_guard lock(mu_);
      connections_.erase(conn);
    }
    cv_.notify_all();
  }

  // Closes the sockets of this context's connections whose deadline has passed.
  asio::awaitable<void> Tick(size_t context) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
      timer.expires_after(tick_);
      auto [ec] = co_await timer.async_wait(kUseTuple);
      if (ec) co_return;
      const Clock::time_point now = Clock::now();
      for (Connection* c : tracked_[context]) {
        if (!c->timed_out && c->deadline <= now) {
          c->timed_out = true;
          boost::system::error_code ignored;
          c->lowest->close(ignored);  // the pending operation completes with an error
        }
      }
    }
  }

  // Keeps a connection in its context's tracked list for as long as its coroutine frame lives
  // (also when the frame is destroyed without finishing, at io_context destruction).
  class Tracked {
   public:
    Tracked(std::vector<Connection*>& list, Connection* conn) : list_(list), conn_(conn) {
      conn_->slot = list_.size();
      list_.push_back(conn_);
    }
    ~Tracked() {
      Connection* last = list_.back();
      list_[conn_->slot] = last;
      last->slot = conn_->slot;
      list_.pop_back();
    }
    Tracked(const Tracked&) = delete;
    Tracked& operator=(const Tracked&) = delete;

   private:
    std::vector<Connection*>& list_;
    Connection* conn_;
  };

  asio::awaitable<void> RunConnection(std::shared_ptr<Connection> conn) {
    Tracked tracked(tracked_[conn->context], conn.get());
    if (conn->tls) {
      conn->ExpiresAfter(options_.limits.read_timeout);
      auto [ec] = co_await conn->tls->async_handshake(asio::ssl::stream_base::server, kUseTuple);
      if (ec) {
        CountTransportError("tls_handshake");
        co_return;
      }
      co_await Serve(*conn, *conn->tls);
    } else {
      co_await Serve(*conn, *conn->plain);
    }
  }

  template <class Stream>
  asio::awaitable<void> Serve(Connection& conn, Stream& stream) {
    const ServerLimits& limits = options_.limits;
    for (;;) {
      if (conn.buffer.size() == 0) {
        if (stopping_) co_return;
        if (conn.buffer.capacity() > kKeepBufferBytes) conn.buffer.shrink_to_fit();
        conn.phase = Phase::kIdle;
        conn.ExpiresAfter(limits.idle_timeout);
        auto [ec, n] = co_await stream.async_read_some(conn.buffer.prepare(kReadChunk), kUseTuple);
        conn.phase = Phase::kBusy;
        if (ec) co_return;  // peer closed, idle timeout or shutdown
        conn.buffer.commit(n);
      }
      const Clock::time_point start = Clock::now();
      conn.ExpiresAfter(limits.read_timeout);
      internal::BeastParser parser;
      internal::ConfigureParser(parser, parse_limits_);
      auto [ec, n] = co_await bhttp::async_read_header(stream, conn.buffer, parser, kUseTuple);
      if (!ec && !parser.is_done()) {
        if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
          auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(kContinue), kUseTuple);
          if (wec) co_return;
        }
        std::tie(ec, n) = co_await bhttp::async_read(stream, conn.buffer, parser, kUseTuple);
      }
      if (ec) {
        const std::string_view reason = conn.timed_out ? "timeout" : internal::ReasonForError(ec);
        CountTransportError(reason);
        if (reason == "timeout" || reason == "closed" || reason == "incomplete") co_return;
        co_await SendErrorAndClose(conn, stream, internal::ErrorStatusFor(reason));
        co_return;
      }

      Request request;
      if (!internal::ToRequest(parser.release(), parse_limits_, &request).ok()) {
        CountTransportError("bad_request");
        co_await SendErrorAndClose(conn, stream, 400);
        co_return;
      }
      request.remote_address = conn.remote_address;
      request.remote_port = conn.remote_port;
      request.tls = conn.tls.has_value();
      Handled handled;
      if (workers_ == nullptr || pipeline_.RunsInline(request)) {
        handled = HandleDeferringAcks(request, start);
      } else {
        // The connection's coroutine waits (its I/O thread serves other connections) while a
        // worker runs the handler; it resumes on its own I/O thread.
        handled = co_await OnWorker(conn.executor, request, start);
      }
      Response response = std::move(handled.response);
      Status durable;
      if (!handled.acks.empty()) {
        // The handler's writes are committed (or queued); the answer goes out once they are
        // durable.
        durable = co_await AwaitAcks(conn.executor, std::move(handled.acks));
      }
      if (response.settle) {
        // The handler answered before its writes were decided: it says what their outcome
        // changes. A failure it does not answer for is never sent as if it had succeeded.
        auto settle = std::move(response.settle);
        response.settle = nullptr;
        if (std::optional<Response> replaced = settle(durable)) {
          response = Replacing(response, std::move(*replaced));
        } else if (!durable.ok()) {
          response = NotDurable(response);
        }
      } else if (!durable.ok()) {
        response = NotDurable(response);
      }
      const bool keep_alive = request.keep_alive && !stopping_;
      internal::RenderResponseHead(response, keep_alive, internal::CurrentHttpDate(),
                                   &conn.head);
      const bool send_body = request.method != "HEAD" && !internal::StatusHasNoBody(response.status);
      const std::array<asio::const_buffer, 2> buffers = {
          asio::buffer(conn.head),
          send_body ? asio::buffer(response.body) : asio::const_buffer()};
      conn.ExpiresAfter(limits.write_timeout);
      auto [wec, wn] = co_await asio::async_write(stream, buffers, kUseTuple);
      if (wec) co_return;
      if (!keep_alive) {
        co_await Close(conn, stream);
        co_return;
      }
    }
  }

  struct Handled {
    Response response;
    std::vector<DeferredAck::Wait> acks;  // durability the response must wait for
  };

  Handled HandleDeferringAcks(Request& request, Clock::time_point start) const {
    DeferredAck::Scope scope;
    Handled h;
    h.response = pipeline_.Handle(request, start);
    h.acks = scope.Take();
    return h;
  }

  // Runs the handler on the worker pool and resumes on `executor` with what it produced.
  asio::awaitable<Handled> OnWorker(asio::any_io_executor executor, Request& request,
                                    Clock::time_point start) {
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Handled)>(
        [this, &request, start, executor](auto handler) {
          using Handler = decltype(handler);
          // The pool's tasks are copyable std::functions; the completion handler is move-only.
          auto shared = std::make_shared<std::optional<Handler>>(std::move(handler));
          workers_->Post([this, &request, start, executor, shared] {
            auto handled = std::make_shared<Handled>(HandleDeferringAcks(request, start));
            asio::post(executor, [shared, handled]() mutable {
              Handler h = std::move(**shared);
              shared->reset();
              std::move(h)(std::move(*handled));
            });
          });
        },
        asio::use_awaitable);
  }

  // Starts every wait and resumes on `executor` with the first failure, or OK once all are done.
  static asio::awaitable<Status> AwaitAcks(asio::any_io_executor executor,
                                           std::vector<DeferredAck::Wait> acks) {
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Status)>(
        [&acks, executor](auto handler) {
          using Handler = decltype(handler);
          struct Join {
            std::mutex mu;
            size_t remaining;
            Status first_failure;
            std::optional<Handler> handler;
          };
          auto join = std::make_shared<Join>();
          join->remaining = acks.size();
          join->handler.emplace(std::move(handler));
          for (DeferredAck::Wait& wait : acks) {
            wait([join, executor](Status status) {
              bool last = false;
              {
                std::lock_guard lock(join->mu);
                if (!status.ok() && join->first_failure.ok()) join->first_failure = status;
                last = --join->remaining == 0;
              }
              if (!last) return;
              asio::post(executor, [join]() mutable {
                Handler h = std::move(*join->handler);
                join->handler.reset();
                std::move(h)(join->first_failure);
              });
            });
          }
        },
        asio::use_awaitable);
  }

  // The answer when a handler's writes could not be made durable: they may be lost, so nothing
  // they carried (tokens, cookies, redirects) is handed out.
  static Response NotDurable(const Response& original) {
    return Replacing(original, OAuthError(503, "temporarily_unavailable",
                                          "the change could not be stored durably; try again"));
  }

  // `r` sent in place of `original`, with the security headers the filters gave `original`.
  static Response Replacing(const Response& original, Response r) {
    r.settle = nullptr;
    r.preset_headers = original.preset_headers;  // the route's security headers
    for (std::string_view name : {"Content-Security-Policy", "X-Content-Type-Options",
                                  "X-Frame-Options", "Strict-Transport-Security", "Referrer-Policy",
                                  "Cache-Control", "Pragma", "X-Request-Id"}) {
      if (r.headers.Has(name)) continue;
      if (auto value = original.headers.Get(name)) r.headers.Add(name, *value);
    }
    if (!r.headers.Has("Cache-Control") &&
        r.preset_headers.find("Cache-Control:") == std::string_view::npos) {
      r.headers.Add("Cache-Control", "no-store");
    }
    return r;
  }

  template <class Stream>
  asio::awaitable<void> SendErrorAndClose(Connection& conn, Stream& stream, int status) {
    Response response = ErrorResponse(status);
    response.preset_headers = kTransportErrorHeaders;
    internal::RenderResponseHead(response, /*keep_alive=*/false, internal::CurrentHttpDate(),
                                 &conn.head);
    const std::array<asio::const_buffer, 2> buffers = {asio::buffer(conn.head),
                                                       asio::buffer(response.body)};
    conn.ExpiresAfter(options_.limits.write_timeout);
    auto [ec, n] = co_await asio::async_write(stream, buffers, kUseTuple);
    if (!ec) co_await Close(conn, stream);
  }

  // Ends the connection so the client can read our last response: TLS close_notify, or a TCP
  // half-close followed by a short drain of unread request bytes (closing with unread data would
  // reset the connection and could destroy the response in flight).
  template <class Stream>
  asio::awaitable<void> Close(Connection& conn, Stream& stream) {
    conn.ExpiresAfter(std::min<std::chrono::milliseconds>(kLingerTime, options_.limits.write_timeout));
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      boost::system::error_code ec;
      conn.lowest->shutdown(tcp::socket::shutdown_send, ec);
      std::array<char, 4096> sink;
      size_t drained = 0;
      while (!ec && drained < kKeepBufferBytes) {
        auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), kUseTuple);
        ec = rec;
        drained += n;
      }
    } else {
      auto [ec] = co_await stream.async_shutdown(kUseTuple);
      (void)ec;
    }
    boost::system::error_code ignored;
    conn.lowest->close(ignored);
  }

  ServerOptions options_;
  const Pipeline& pipeline_;
  internal::ParseLimits parse_limits_;
  std::unique_ptr<asio::ssl::context> ssl_ctx_;
  uint16_t port_ = 0;
  Gauge* open_gauge_ = nullptr;
  Counter* rejected_ = nullptr;
  CounterFamily* transport_errors_ = nullptr;

  std::mutex control_mu_;  // Start/Wait
  bool started_ = false;
  bool joined_ = false;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;  // guards connections_, stop_requested_ and stop_time_
  std::condition_variable cv_;
  bool stop_requested_ = false;
  std::unordered_set<std::shared_ptr<Connection>> connections_;
  Clock::time_point stop_time_;

  std::chrono::milliseconds tick_{};  // how often the tickers check deadlines
  // Per io_context: its live connections, touched only on that context's thread. Declared before
  // iocs_ so it outlives the connection frames destroyed with the contexts.
  std::vector<std::vector<Connection*>> tracked_;
  std::vector<std::unique_ptr<asio::io_context>> iocs_;  // one per thread
  std::unique_ptr<internal::HandlerPool> workers_;       // handlers; null when worker_threads == 0
  // Acceptor and signals on their own thread, so a blocking handler never delays accepting,
  // Stop() closing the acceptor, or the signal handler.
  std::unique_ptr<asio::io_context> control_ = std::make_unique<asio::io_context>(1);
  size_t next_ioc_ = 0;                                   // Accept() only
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::optional<tcp::acceptor> acceptor_;
  std::optional<asio::signal_set> signals_;
};

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options, const Pipeline& pipeline) {
  auto impl = std::make_unique<Impl>(std::move(options), pipeline);
  ACCORD_RETURN_IF_ERROR(impl->Listen());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;
uint16_t Server::port() const { return impl_->port(); }
bool Server::tls() const { return impl_->tls(); }
void Server::Start() { impl_->Start(); }
void Server::Stop() { impl_->Stop(); }
void Server::Wait() { impl_->Wait(); }
Status Server::RunUntilSignal() { return impl_->RunUntilSignal(); }
size_t Server::active_connections() const { return impl_->active_connections(); }

}  // namespace accord::http
