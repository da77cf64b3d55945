// Transport for HttpClient: Beast/Asio lives here (see client.h for the contract).
#include "http/client.h"

#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
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

#include "http/internal/tls.h"

namespace accord::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

struct Target {
  bool https = false;
  std::string host;  // without brackets for IPv6
  bool host_is_ip = false;
  uint16_t port = 0;
  std::string resource;  // path + query
  std::string host_header;
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

}  // namespace

class HttpClient::Impl {
 public:
  explicit Impl(ClientOptions options)
      : options_(std::move(options)), ssl_(asio::ssl::context::tls_client) {}

  Status Init() { return internal::ConfigureClientTls(ssl_.native_handle(), options_.extra_ca_file); }

  Result<Response> Fetch(const ClientRequest& request) {
    ACCORD_ASSIGN_OR_RETURN(Target target, ParseUrl(request.url));
    if (!IsValidHeaderName(request.method)) return InvalidArgument("bad method", "bad_url");
    asio::io_context ioc(1);
    std::optional<Result<Response>> result;
    asio::co_spawn(ioc, Run(request, target, &result), [&](std::exception_ptr e) {
      if (e && !result) result.emplace(Internal("HTTP client failure", "bad_response"));
    });
    ioc.run();
    if (!result) return Internal("HTTP client did not complete", "bad_response");
    return std::move(*result);
  }

 private:
  asio::awaitable<void> Run(const ClientRequest& request, const Target& target,
                            std::optional<Result<Response>>* out) {
    auto executor = co_await asio::this_coro::executor;
    const auto deadline = std::chrono::steady_clock::now() + request.total_timeout;

    // Resolution has no timeout of its own: a timer cancels it at the total deadline.
    tcp::resolver resolver(executor);
    asio::steady_timer watchdog(executor, deadline);
    watchdog.async_wait([&resolver](const boost::system::error_code& ec) {
      if (!ec) resolver.cancel();
    });
    auto [rec, endpoints] = co_await resolver.async_resolve(
        target.host, std::to_string(target.port), kUseTuple);
    watchdog.cancel();
    if (rec) {
      out->emplace(rec == asio::error::operation_aborted
                       ? DeadlineExceeded("name resolution timed out", "timeout")
                       : Unavailable("name resolution failed", "connect_failed"));
      co_return;
    }

    beast::tcp_stream tcp_stream(executor);
    const auto connect_deadline =
        std::min(deadline, std::chrono::steady_clock::now() + request.connect_timeout);
    tcp_stream.expires_at(connect_deadline);
    auto [cec, ep] = co_await tcp_stream.async_connect(endpoints, kUseTuple);
    if (cec) {
      out->emplace(ErrorFor(cec, "connect"));
      co_return;
    }
    tcp_stream.expires_at(deadline);

    bhttp::request<bhttp::string_body> req;
    req.method_string(request.method);
    req.target(target.resource);
    req.version(11);
    for (const auto& [name, value] : request.headers) {
      if (!IsValidHeaderName(name) || !IsValidHeaderValue(value)) continue;
      if (EqualsIgnoreCase(name, "Host") || EqualsIgnoreCase(name, "Content-Length") ||
          EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "Transfer-Encoding")) {
        continue;
      }
      req.insert(name, value);
    }
    req.set(bhttp::field::host, target.host_header);
    if (!request.headers.Has("User-Agent")) req.set(bhttp::field::user_agent, options_.user_agent);
    req.set(bhttp::field::connection, "close");
    req.body() = request.body;
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
      req.prepare_payload();
    }

    if (target.https) {
      beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), ssl_);
      if (!target.host_is_ip) SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str());
      stream.set_verify_mode(asio::ssl::verify_peer);
      stream.set_verify_callback(asio::ssl::host_name_verification(target.host));
      auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kUseTuple);
      if (hec) {
        out->emplace(ErrorFor(hec, "tls"));
        co_return;
      }
      out->emplace(co_await Exchange(stream, req, request));
    } else {
      out->emplace(co_await Exchange(tcp_stream, req, request));
    }
  }

  template <class Stream>
  asio::awaitable<Result<Response>> Exchange(Stream& stream, bhttp::request<bhttp::string_body>& req,
                                             const ClientRequest& request) {
    auto [wec, wn] = co_await bhttp::async_write(stream, req, kUseTuple);
    if (wec) co_return ErrorFor(wec, "write");
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(request.max_response_header_bytes));
    parser.body_limit(request.max_response_body_bytes);
    if (request.method == "HEAD") parser.skip(true);
    auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser, kUseTuple);
    if (rec) co_return ErrorFor(rec, "read");
    auto message = parser.release();
    Response response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) response.headers.Add(field.name_string(), field.value());
    response.body = std::move(message.body());
    co_return response;
  }

  ClientOptions options_;
  asio::ssl::context ssl_;
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
