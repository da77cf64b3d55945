// Persistent HTTP/1.1 client connections and the idle pool HttpClient keeps them in (client.h has
// the contract callers see). Includes Beast: include only from client.cc and client_pool.cc.
//
// Ownership: a ClientConnection is owned by exactly one place at a time: the Fetch coroutine using
// it, or the pool while it is idle. The pool closes what it evicts (destroying the connection
// closes its socket). A TLS connection keeps its ssl_stream, so a reused one skips the handshake.
//
// Thread safety: none. Both types are used only on the HttpClient's single I/O thread, which
// serialises every access; io_context objects owned by that thread must outlive them.
#ifndef ACCORD_HTTP_INTERNAL_CLIENT_POOL_H_
#define ACCORD_HTTP_INTERNAL_CLIENT_POOL_H_

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace accord::http::internal {

using Clock = std::chrono::steady_clock;

// One client connection: a TCP stream, or a TLS stream over one.
class ClientConnection {
 public:
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  explicit ClientConnection(boost::beast::tcp_stream tcp);
  ClientConnection(boost::beast::tcp_stream tcp, boost::asio::ssl::context& ssl);

  bool is_tls() const { return tls_.has_value(); }
  boost::beast::tcp_stream& tcp() { return tls_ ? tls_->next_layer() : *plain_; }
  TlsStream& tls() { return *tls_; }  // precondition: is_tls()

  // Non-blocking check that an idle connection can carry another request: the socket is open,
  // the peer has not closed it (no EOF or reset) and nothing unsolicited is waiting to be read
  // (bytes in the kernel or inside OpenSSL, e.g. a TLS close_notify alert). Reads nothing.
  bool LooksReusable();

 private:
  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<TlsStream> tls_;
};

struct PoolLimits {
  size_t max_idle_per_origin = 32;
  size_t max_idle_total = 256;
};

// Idle connections by origin key ("https://host:port"). Most recently used first out (LIFO, like
// Go's net/http: the freshest connection is the likeliest to be alive); eviction takes the oldest.
class ClientPool {
 public:
  explicit ClientPool(PoolLimits limits) : limits_(limits) {}

  // An idle connection for `origin` that has not expired and passes LooksReusable(); expired or
  // dead ones met on the way are closed. Null when there is none.
  std::unique_ptr<ClientConnection> Take(const std::string& origin, Clock::time_point now);

  // Keeps `connection` (its response fully read, nothing unread) until `expires`. Over the
  // per-origin limit the connection is closed instead; over the total limit the oldest idle
  // connection of any origin is closed to make room.
  void Put(const std::string& origin, std::unique_ptr<ClientConnection> connection,
           Clock::time_point now, Clock::time_point expires);

  // Closes every connection whose idle life ended by `now` or that no longer LooksReusable()
  // (the peer closed it); returns how many.
  size_t Sweep(Clock::time_point now);

  // Closes every idle connection.
  void Clear();

  size_t idle() const { return total_; }

 private:
  struct Idle {
    std::unique_ptr<ClientConnection> connection;
    Clock::time_point since;
    Clock::time_point expires;
  };
  void EvictOldest();

  PoolLimits limits_;
  std::map<std::string, std::deque<Idle>, std::less<>> by_origin_;  // newest at the back
  size_t total_ = 0;
};

}  // namespace accord::http::internal

#endif  // ACCORD_HTTP_INTERNAL_CLIENT_POOL_H_
