#include "http/internal/client_pool.h"

#include <sys/socket.h>

#include <cerrno>
#include <utility>

#include <openssl/bio.h>
#include <openssl/ssl.h>

namespace accord::http::internal {

ClientConnection::ClientConnection(boost::beast::tcp_stream tcp) : plain_(std::move(tcp)) {}

ClientConnection::ClientConnection(boost::beast::tcp_stream tcp, boost::asio::ssl::context& ssl)
    : tls_(std::in_place, std::move(tcp), ssl) {}

bool ClientConnection::LooksReusable() {
  auto& socket = tcp().socket();
  if (!socket.is_open()) return false;
  if (tls_) {
    SSL* ssl = tls_->native_handle();
    if (SSL_get_shutdown(ssl) != 0 || SSL_pending(ssl) > 0) return false;
    BIO* rbio = SSL_get_rbio(ssl);
    if (rbio != nullptr && BIO_ctrl_pending(rbio) > 0) return false;
  }
  // An idle HTTP/1.1 connection must be silent: EOF (0), a reset or any byte means it can not
  // carry the next request. EAGAIN is the healthy answer.
  char byte;
  const ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

std::unique_ptr<ClientConnection> ClientPool::Take(const std::string& origin,
                                                   Clock::time_point now) {
  auto it = by_origin_.find(origin);
  if (it == by_origin_.end()) return nullptr;
  std::deque<Idle>& idle = it->second;
  std::unique_ptr<ClientConnection> found;
  while (!idle.empty() && found == nullptr) {
    Idle entry = std::move(idle.back());
    idle.pop_back();
    --total_;
    if (entry.expires > now && entry.connection->LooksReusable()) {
      found = std::move(entry.connection);
    }
    // else: `entry` goes out of scope here and its socket is closed.
  }
  if (idle.empty()) by_origin_.erase(it);
  return found;
}

void ClientPool::Put(const std::string& origin, std::unique_ptr<ClientConnection> connection,
                     Clock::time_point now, Clock::time_point expires) {
  if (limits_.max_idle_per_origin == 0 || limits_.max_idle_total == 0 || expires <= now) return;
  std::deque<Idle>& idle = by_origin_[origin];
  if (idle.size() >= limits_.max_idle_per_origin) return;  // `connection` is closed
  connection->tcp().expires_never();
  idle.push_back(Idle{std::move(connection), now, expires});
  ++total_;
  while (total_ > limits_.max_idle_total) EvictOldest();
}

void ClientPool::EvictOldest() {
  auto oldest = by_origin_.end();
  for (auto it = by_origin_.begin(); it != by_origin_.end(); ++it) {
    if (!it->second.empty() &&
        (oldest == by_origin_.end() || it->second.front().since < oldest->second.front().since)) {
      oldest = it;
    }
  }
  if (oldest == by_origin_.end()) return;
  oldest->second.pop_front();
  --total_;
  if (oldest->second.empty()) by_origin_.erase(oldest);
}

size_t ClientPool::Sweep(Clock::time_point now) {
  size_t closed = 0;
  for (auto it = by_origin_.begin(); it != by_origin_.end();) {
    std::deque<Idle>& idle = it->second;
    for (auto entry = idle.begin(); entry != idle.end();) {
      if (entry->expires <= now || !entry->connection->LooksReusable()) {
        entry = idle.erase(entry);
        ++closed;
      } else {
        ++entry;
      }
    }
    it = idle.empty() ? by_origin_.erase(it) : std::next(it);
  }
  total_ -= closed;
  return closed;
}

void ClientPool::Clear() {
  by_origin_.clear();
  total_ = 0;
}

}  // namespace accord::http::internal
