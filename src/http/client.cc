// Transport for HttpClient: Beast/Asio lives here (see client.h for the contract).
//
// One io_context runs on one background thread owned by the client. Fetch copies the request
// into a Call, spawns a coroutine for it on that context and blocks on a future. Every socket,
// TLS stream, resolver and the idle pool live on that thread, so they need no lock and no strand;
// the calling thread only waits. Name resolution (only for names, not IP literals, and only when a
// new connection is opened) uses Asio's one resolver thread per io_context.
#include "http/client.h"

#include "common/blocking_region.h"

#include <future>
#include <optional>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "http/internal/client_pool.h"
#include "http/internal/tls.h"

namespace accord::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using internal::ClientConnection;
using internal::Clock;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// Fetch waits this long past the request's total timeout before giving up on the I/O thread (the
// coroutine's own timers normally end it first; this bounds a stuck name resolution).
constexpr std::chrono::milliseconds kWaitGrace{2000};
// A server's `Keep-Alive: timeout=N` is trusted minus this margin, so we stop using the
// connection before the server closes it.
constexpr std::chrono::milliseconds kKeepAliveMargin{1000};
constexpr std::chrono::milliseconds kMaxIdleTimeout{3600 * 1000};

using BeastRequest = bhttp::request<bhttp::string_body>;

struct Target {
  bool https = false;
  std::string host;  // without brackets for IPv6
  bool host_is_ip = false;
  uint16_t port = 0;
  std::string resource;  // path + query
  std::string host_header;
  std::string origin;  // pool key: scheme://host:port
};

Result<Target> ParseUrl(std::string_view url) {
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return InvalidArgument("malformed URL", "bad_url");
  const boost::urls::url_view& u = *parsed;
  Target t;
  if (u.scheme_id() == boost::urls::scheme::https) {
    t.https = true;
  } else if (u.scheme_id() != boost::urls::scheme::http) {
    return InvalidArgument("URL scheme must be http or https", "bad_url");
  }
  if (u.has_userinfo()) return InvalidArgument("URL must not contain userinfo", "bad_url");
  t.host = std::string(u.host_address());
  if (t.host.empty()) return InvalidArgument("URL has no host", "bad_url");
  t.host_is_ip = u.host_type() == boost::urls::host_type::ipv4 ||
                 u.host_type() == boost::urls::host_type::ipv6;
  if (u.has_port()) {
    if (u.port_number() == 0) return InvalidArgument("URL has a bad port", "bad_url");
    t.port = u.port_number();
  } else {
    t.port = t.https ? 443 : 80;
  }
  t.resource = std::string(u.encoded_resource());
  if (t.resource.empty() || t.resource.front() != '/') t.resource.insert(0, "/");
  t.host_header = std::string(u.encoded_host_and_port());
  // Host names are case-insensitive; the lower-cased key lets EXAMPLE.org share example.org's pool.
  std::string host_key = t.host;
  for (char& c : host_key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  t.origin = (t.https ? "https://" : "http://") + host_key + "|" + std::to_string(t.port);
  return t;
}

Status ErrorFor(const boost::system::error_code& ec, std::string_view stage) {
  if (ec == beast::error::timeout || ec == asio::error::operation_aborted) {
    return DeadlineExceeded(std::string(stage) + " timed out", "timeout");
  }
  if (stage == "tls") return Unavailable("TLS handshake failed", "tls_failed");
  if (stage == "connect") return Unavailable("connection failed", "connect_failed");
  if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
    return OutOfRange("response too large", "too_large");
  }
  if (stage == "read") return Unavailable("malformed or truncated response", "bad_response");
  return Unavailable(std::string(stage) + " failed", "connect_failed");
}

// Go net/http's Request.isReplayable: a request may be sent again after a failure on a reused
// connection when its method is idempotent and safe to repeat, or the caller marked it so.
bool IsReplayable(const ClientRequest& request) {
  return request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS" ||
         request.method == "TRACE" || request.headers.Has("Idempotency-Key") ||
         request.headers.Has("X-Idempotency-Key");
}

// The idle time a server announces with `Keep-Alive: timeout=N` (seconds), if any.
std::optional<std::chrono::milliseconds> AnnouncedKeepAlive(std::string_view value) {
  for (size_t pos = 0; pos < value.size();) {
    size_t end = value.find(',', pos);
    if (end == std::string_view::npos) end = value.size();
    std::string_view item = value.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.size() > 8 && EqualsIgnoreCase(item.substr(0, 8), "timeout=")) {
      long seconds = 0;
      for (char c : item.substr(8)) {
        if (c < '0' || c > '9' || seconds > 86400) return std::nullopt;
        seconds = seconds * 10 + (c - '0');
      }
      return std::chrono::seconds(seconds);
    }
    pos = end + 1;
  }
  return std::nullopt;
}

// The outcome of one request/response exchange on one connection.
struct Exchanged {
  std::optional<Result<Response>> result;
  bool nothing_written = false;   // failed before any request byte was sent
  bool nothing_received = false;  // failed before any response byte arrived
  bool reusable = false;          // the connection may carry another request
  Clock::time_point expires;      // end of its idle life when reusable
};

}  // namespace

class HttpClient::Impl {
 public:
  explicit Impl(ClientOptions options)
      : options_(std::move(options)),
        ssl_(asio::ssl::context::tls_client),
        pool_(internal::PoolLimits{options_.max_idle_per_origin, options_.max_idle_total}),
        sweep_timer_(ioc_) {}

  ~Impl() {
    if (thread_.joinable()) {
      ioc_.stop();
      thread_.join();
    }
    pool_.Clear();  // the I/O thread has ended: safe from here
  }

  Status Init() {
    if (options_.keep_alive && (options_.idle_timeout <= std::chrono::milliseconds::zero() ||
                                options_.idle_timeout > kMaxIdleTimeout)) {
      return InvalidArgument("idle_timeout must be in (0, 1 h]", "client_config");
    }
    ACCORD_RETURN_IF_ERROR(
        internal::ConfigureClientTls(ssl_.native_handle(), options_.extra_ca_file));
    if (options_.keep_alive) asio::co_spawn(ioc_, SweepLoop(), asio::detached);
    thread_ = std::thread([this] {
      auto work = asio::make_work_guard(ioc_);
      ioc_.run();
    });
    return Status::Ok();
  }

  Result<Response> Fetch(const ClientRequest& request) {
    ACCORD_ASSIGN_OR_RETURN(Target target, ParseUrl(request.url));
    if (!IsValidHeaderName(request.method)) return InvalidArgument("bad method", "bad_url");
    auto call = std::make_shared<Call>(request, std::move(target));
    call->deadline = Clock::now() + request.total_timeout;
    std::future<Result<Response>> done = call->done.get_future();
    asio::co_spawn(ioc_, Run(call), [call](std::exception_ptr e) {
      if (e) call->Settle(Internal("HTTP client failure", "bad_response"));
    });
    // The wait may be for this very process (the demo's sandbox providers): a bounded handler
    // pool must run other requests meanwhile.
    BlockingRegion waiting;
    if (done.wait_for(request.total_timeout + kWaitGrace) != std::future_status::ready) {
      return DeadlineExceeded("request timed out", "timeout");
    }
    return done.get();
  }

 private:
  // One Fetch: owned jointly by the caller (until it stops waiting) and the coroutine.
  struct Call {
    Call(const ClientRequest& r, Target t) : request(r), target(std::move(t)) {}
    void Settle(Result<Response> result) {
      if (settled) return;
      settled = true;
      done.set_value(std::move(result));
    }
    ClientRequest request;
    Target target;
    Clock::time_point deadline;
    std::promise<Result<Response>> done;
    bool settled = false;  // touched only on the I/O thread
  };

  BeastRequest MakeRequest(const Call& call) const {
    BeastRequest req;
    req.method_string(call.request.method);
    req.target(call.target.resource);
    req.version(11);
    for (const auto& [name, value] : call.request.headers) {
      if (!IsValidHeaderName(name) || !IsValidHeaderValue(value)) continue;
      if (EqualsIgnoreCase(name, "Host") || EqualsIgnoreCase(name, "Content-Length") ||
          EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "Transfer-Encoding")) {
        continue;
      }
      req.insert(name, value);
    }
    req.set(bhttp::field::host, call.target.host_header);
    if (!call.request.headers.Has("User-Agent")) {
      req.set(bhttp::field::user_agent, options_.user_agent);
    }
    if (!options_.keep_alive) req.set(bhttp::field::connection, "close");
    req.body() = call.request.body;
    if (!call.request.body.empty() || call.request.method == "POST" ||
        call.request.method == "PUT") {
      req.prepare_payload();
    }
    return req;
  }

  asio::awaitable<void> Run(std::shared_ptr<Call> call) {
    const BeastRequest req = MakeRequest(*call);
    std::unique_ptr<ClientConnection> connection;
    if (options_.keep_alive) connection = pool_.Take(call->target.origin, Clock::now());
    bool reused = connection != nullptr;
    for (;;) {
      if (connection == nullptr) {
        Result<std::unique_ptr<ClientConnection>> opened = co_await Open(*call);
        if (!opened.ok()) {
          call->Settle(opened.status());
          co_return;
        }
        connection = std::move(opened).value();
      }
      connection->tcp().expires_at(call->deadline);
      // (Two statements, not a conditional expression: GCC 12 mis-compiles co_await in ?:.)
      Exchanged x;
      if (connection->is_tls()) {
        x = co_await Exchange(connection->tls(), req, *call);
      } else {
        x = co_await Exchange(connection->tcp(), req, *call);
      }
      // Go net/http's shouldRetryRequest: on a reused connection, a failure before anything was
      // written is always retried; one before any response byte only for a replayable request
      // (the server may have processed it otherwise). Once, on a fresh connection.
      const bool retry = !x.result->ok() && reused && Clock::now() < call->deadline &&
                         (x.nothing_written || (x.nothing_received && IsReplayable(call->request)));
      if (retry) {
        connection.reset();
        reused = false;
        continue;
      }
      if (x.reusable) {
        pool_.Put(call->target.origin, std::move(connection), Clock::now(), x.expires);
      }
      call->Settle(std::move(*x.result));
      co_return;
    }
  }

  asio::awaitable<Result<std::unique_ptr<ClientConnection>>> Open(const Call& call) {
    const Target& target = call.target;
    const auto executor = ioc_.get_executor();
    beast::tcp_stream tcp_stream(executor);
    const auto connect_deadline =
        std::min(call.deadline, Clock::now() + call.request.connect_timeout);
    boost::system::error_code cec;
    if (target.host_is_ip) {
      boost::system::error_code aec;
      const auto address = asio::ip::make_address(target.host, aec);
      if (aec) co_return Unavailable("bad address", "connect_failed");
      tcp_stream.expires_at(connect_deadline);
      auto [ec] =
          co_await tcp_stream.async_connect(tcp::endpoint(address, target.port), kUseTuple);
      cec = ec;
    } else {
      // Resolution has no timeout of its own: a timer cancels it at the total deadline.
      tcp::resolver resolver(executor);
      asio::steady_timer watchdog(executor, call.deadline);
      watchdog.async_wait([&resolver](const boost::system::error_code& ec) {
        if (!ec) resolver.cancel();
      });
      auto [rec, endpoints] = co_await resolver.async_resolve(
          target.host, std::to_string(target.port), kUseTuple);
      watchdog.cancel();
      if (rec) {
        co_return rec == asio::error::operation_aborted
            ? DeadlineExceeded("name resolution timed out", "timeout")
            : Unavailable("name resolution failed", "connect_failed");
      }
      tcp_stream.expires_at(connect_deadline);
      auto [ec, endpoint] = co_await tcp_stream.async_connect(endpoints, kUseTuple);
      cec = ec;
    }
    if (cec) co_return ErrorFor(cec, "connect");
    boost::system::error_code nec;
    tcp_stream.socket().set_option(tcp::no_delay(true), nec);  // best effort
    tcp_stream.expires_at(call.deadline);
    if (!target.https) co_return std::make_unique<ClientConnection>(std::move(tcp_stream));

    auto connection = std::make_unique<ClientConnection>(std::move(tcp_stream), ssl_);
    ClientConnection::TlsStream& stream = connection->tls();
    if (!target.host_is_ip) SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str());
    stream.set_verify_mode(asio::ssl::verify_peer);
    stream.set_verify_callback(asio::ssl::host_name_verification(target.host));
    auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kUseTuple);
    if (hec) co_return ErrorFor(hec, "tls");
    co_return connection;
  }

  template <class Stream>
  asio::awaitable<Exchanged> Exchange(Stream& stream, const BeastRequest& req, const Call& call) {
    Exchanged x;
    auto [wec, written] = co_await bhttp::async_write(stream, req, kUseTuple);
    if (wec) {
      x.result.emplace(ErrorFor(wec, "write"));
      x.nothing_written = written == 0;
      x.nothing_received = true;
      co_return x;
    }
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(call.request.max_response_header_bytes));
    parser.body_limit(call.request.max_response_body_bytes);
    if (call.request.method == "HEAD") parser.skip(true);
    auto [rec, read] = co_await bhttp::async_read(stream, buffer, parser, kUseTuple);
    if (rec) {
      // A timeout is the caller's deadline, not a closed idle connection: never retried.
      x.nothing_received = !parser.got_some() && buffer.size() == 0 &&
                           rec != beast::error::timeout && rec != asio::error::operation_aborted;
      x.result.emplace(ErrorFor(rec, "read"));
      co_return x;
    }
    const auto& message = parser.get();
    // Pooled only when the exchange ended cleanly on a message boundary: HTTP/1.1 without
    // `Connection: close`, a length-delimited body fully read, nothing unread in our buffer.
    x.reusable = options_.keep_alive && message.version() == 11 && message.keep_alive() &&
                 parser.is_done() && !parser.need_eof() && buffer.size() == 0 &&
                 message.result_int() >= 200;
    x.expires = Clock::now() + options_.idle_timeout;
    if (x.reusable) {
      const auto announced = message.find(bhttp::field::keep_alive);
      if (announced != message.end()) {
        if (const auto limit = AnnouncedKeepAlive(announced->value())) {
          x.expires = std::min(x.expires, Clock::now() + *limit - kKeepAliveMargin);
        }
      }
    }
    auto released = parser.release();
    Response response;
    response.status = static_cast<int>(released.result_int());
    for (const auto& field : released) response.headers.Add(field.name_string(), field.value());
    response.body = std::move(released.body());
    x.result.emplace(std::move(response));
    co_return x;
  }

  // Closes idle connections whose time is up (or whose peer closed them) so they do not hold
  // descriptors until the next Fetch to their origin.
  asio::awaitable<void> SweepLoop() {
    const auto interval = std::clamp<std::chrono::milliseconds>(
        options_.idle_timeout / 2, std::chrono::milliseconds(10), std::chrono::milliseconds(5000));
    for (;;) {
      sweep_timer_.expires_after(interval);
      auto [ec] = co_await sweep_timer_.async_wait(kUseTuple);
      if (ec) co_return;
      pool_.Sweep(Clock::now());
    }
  }

  // Declaration order is destruction order in reverse: the pool's streams need ssl_ and ioc_.
  ClientOptions options_;
  asio::ssl::context ssl_;
  asio::io_context ioc_{1};
  internal::ClientPool pool_;
  asio::steady_timer sweep_timer_;
  std::thread thread_;
};

Result<std::unique_ptr<HttpClient>> HttpClient::Create(ClientOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  ACCORD_RETURN_IF_ERROR(impl->Init());
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

Result<Response> HttpClient::Fetch(const ClientRequest& request) const {
  return impl_->Fetch(request);
}

}  // namespace accord::http
