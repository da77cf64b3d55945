// floor_server: the least a token endpoint can do on this machine, as a yardstick for run.sh.
//
//   floor_server PORT CLIENT_PEM [THREADS]
//
// Answers POST /token over HTTP/1.1 keep-alive on 127.0.0.1:PORT with what the issue's grants
// cannot do without and nothing else: it verifies the request's ES256 client assertion (the
// `client_assertion` form parameter, against the public half of CLIENT_PEM) and signs one ES256
// JWT access token, and for grant_type=authorization_code an ES256 ID token too, with raw OpenSSL
// EVP; then writes a token response of the usual shape. It parses no claims, keeps no state,
// checks no replay, logs nothing and counts nothing: every provider does at least what it does,
// so none can be meaningfully faster on the same machine with the same load generator. Its EVP
// contexts are set up once per thread and reused (the fastest EVP path). A request whose
// assertion does not verify gets a 400, so a benchmark cannot count work it did not do.
// At start it prints its signing key's public JWK on one line (floor_check.mjs verifies its
// tokens with it).
//
// Structure: THREADS (default: the number of cores) threads, each with its own SO_REUSEPORT
// listening socket and epoll loop (level-triggered, non-blocking sockets, TCP_NODELAY), so no
// request crosses a thread. A request larger than 64 KiB closes its connection. SIGINT/SIGTERM
// stop it.
//
// run.sh drives it with the same wrk script and request bodies as Accord and oidc-provider: the
// floor's rate over the peer's is the most any implementation could show here.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/base64url.h"
#include "crypto/keys.h"

namespace {

using accord::Bytes;

constexpr size_t kMaxRequest = 64 * 1024;
std::atomic<bool> g_stop{false};

// One thread's signing and verifying state (EVP contexts are not shared across threads).
class Crypto {
 public:
  // The contexts are initialised once and reused for every operation, as `openssl speed` does,
  // with the digest computed apart.
  Crypto(EVP_PKEY* sign_key, EVP_PKEY* verify_key)
      : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)),
        sign_(EVP_PKEY_CTX_new_from_pkey(nullptr, sign_key, nullptr)),
        verify_(EVP_PKEY_CTX_new_from_pkey(nullptr, verify_key, nullptr)) {
    if (md_ == nullptr || sign_ == nullptr || verify_ == nullptr ||
        EVP_PKEY_sign_init(sign_) != 1 || EVP_PKEY_verify_init(verify_) != 1) {
      std::fprintf(stderr, "floor_server: EVP set-up failed\n");
      std::exit(1);
    }
  }
  ~Crypto() {
    EVP_PKEY_CTX_free(verify_);
    EVP_PKEY_CTX_free(sign_);
    EVP_MD_free(md_);
  }
  Crypto(const Crypto&) = delete;
  Crypto& operator=(const Crypto&) = delete;

  // Verifies a compact ES256 JWS (header.payload.signature).
  bool VerifyJws(std::string_view jws) {
    const size_t last_dot = jws.rfind('.');
    if (last_dot == std::string_view::npos || jws.find('.') == last_dot) return false;
    Bytes raw;
    if (!accord::Base64UrlDecodeTo(jws.substr(last_dot + 1), &raw) || raw.size() != 64) {
      return false;
    }
    unsigned char der[80];
    const size_t der_len = RawToDer(raw.data(), der);
    if (der_len == 0) return false;
    unsigned char digest[32];
    return Sha256(jws.substr(0, last_dot), digest) &&
           EVP_PKEY_verify(verify_, der, der_len, digest, sizeof digest) == 1;
  }

  // Appends a compact ES256 JWS of `header_b64` (already encoded) and `payload` to `out`.
  bool AppendJws(std::string_view header_b64, std::string_view payload, std::string* out) {
    const size_t start = out->size();
    out->append(header_b64);
    out->push_back('.');
    out->append(accord::Base64UrlEncode(payload));
    unsigned char digest[32];
    unsigned char der[80];
    size_t der_len = sizeof der;
    if (!Sha256(std::string_view(*out).substr(start), digest) ||
        EVP_PKEY_sign(sign_, der, &der_len, digest, sizeof digest) != 1) {
      return false;
    }
    unsigned char raw[64];
    if (!DerToRaw(der, der_len, raw)) return false;
    out->push_back('.');
    out->append(accord::Base64UrlEncode(accord::BytesView(raw, sizeof raw)));
    return true;
  }

 private:
  bool Sha256(std::string_view data, unsigned char* digest) {
    unsigned int len = 0;
    return EVP_Digest(data.data(), data.size(), digest, &len, md_, nullptr) == 1 && len == 32;
  }
  // r || s (32 bytes each) to a DER ECDSA-Sig-Value, by hand (no allocation); returns its length.
  static size_t RawToDer(const unsigned char* raw, unsigned char* der) {
    size_t n = 2;
    for (int half = 0; half < 2; ++half) {
      const unsigned char* v = raw + 32 * half;
      size_t skip = 0;
      while (skip < 31 && v[skip] == 0) ++skip;
      const bool pad = (v[skip] & 0x80) != 0;
      der[n++] = 0x02;
      der[n++] = static_cast<unsigned char>(32 - skip + (pad ? 1 : 0));
      if (pad) der[n++] = 0;
      std::memcpy(der + n, v + skip, 32 - skip);
      n += 32 - skip;
    }
    der[0] = 0x30;
    der[1] = static_cast<unsigned char>(n - 2);
    return n;
  }
  // The reverse: a DER ECDSA-Sig-Value (as OpenSSL writes it) to r || s.
  static bool DerToRaw(const unsigned char* der, size_t len, unsigned char* raw) {
    if (len < 8 || der[0] != 0x30 || der[1] != len - 2) return false;
    size_t p = 2;
    for (int half = 0; half < 2; ++half) {
      if (p + 2 > len || der[p] != 0x02) return false;
      size_t n = der[p + 1];
      p += 2;
      if (p + n > len) return false;
      const unsigned char* v = der + p;
      p += n;
      while (n > 32 && *v == 0) ++v, --n;
      if (n > 32) return false;
      std::memset(raw + 32 * half, 0, 32 - n);
      std::memcpy(raw + 32 * half + (32 - n), v, n);
    }
    return p == len;
  }

  EVP_MD* md_;
  EVP_PKEY_CTX* sign_;
  EVP_PKEY_CTX* verify_;
};

// The value of form parameter `name` in an application/x-www-form-urlencoded body (undecoded).
std::string_view FormValue(std::string_view body, std::string_view name) {
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t end = body.find('&', pos);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view pair = body.substr(pos, end - pos);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    pos = end + 1;
  }
  return {};
}

void AppendResponse(int status, std::string_view body, std::string* out) {
  char head[256];
  const int n = std::snprintf(head, sizeof head,
                              "HTTP/1.1 %s\r\nContent-Type: application/json\r\n"
                              "Cache-Control: no-store\r\nContent-Length: %zu\r\n\r\n",
                              status == 200 ? "200 OK" : "400 Bad Request", body.size());
  out->append(head, static_cast<size_t>(n));
  out->append(body);
}

// Handles one request body; appends the HTTP response to `out`.
void HandleToken(Crypto& crypto, std::string_view body, std::string* out) {
  static const std::string kAtHeader = accord::Base64UrlEncode(
      std::string_view(R"({"alg":"ES256","typ":"at+jwt","kid":"floor"})"));
  static const std::string kIdHeader =
      accord::Base64UrlEncode(std::string_view(R"({"alg":"ES256","typ":"JWT","kid":"floor"})"));
  if (!crypto.VerifyJws(FormValue(body, "client_assertion"))) {
    AppendResponse(400, R"({"error":"invalid_client"})", out);
    return;
  }
  const bool code = FormValue(body, "grant_type") == "authorization_code";
  const long now = static_cast<long>(std::time(nullptr));
  // All of the request's random material in one call: a subject, a jti, an at_hash stand-in.
  unsigned char random[80];
  RAND_bytes(random, sizeof random);
  const std::string sub = accord::Base64UrlEncode(accord::BytesView(random, 32));
  const std::string jti = accord::Base64UrlEncode(accord::BytesView(random + 32, 16));
  const std::string at_hash = accord::Base64UrlEncode(accord::BytesView(random + 48, 16));
  char payload[512];
  int n = std::snprintf(payload, sizeof payload,
                        R"({"iss":"http://127.0.0.1","sub":"%s","aud":"bench","client_id":"bench",)"
                        R"("iat":%ld,"exp":%ld,"jti":"%s","scope":"openid"})",
                        sub.c_str(), now, now + 300, jti.c_str());
  std::string json = R"({"access_token":")";
  if (!crypto.AppendJws(kAtHeader, std::string_view(payload, static_cast<size_t>(n)), &json)) {
    AppendResponse(400, R"({"error":"server_error"})", out);
    return;
  }
  json += R"(","token_type":"Bearer","expires_in":300,"scope":"openid")";
  if (code) {
    n = std::snprintf(payload, sizeof payload,
                      R"({"iss":"http://127.0.0.1","sub":"%s","aud":"bench","iat":%ld,"exp":%ld,)"
                      R"("auth_time":%ld,"at_hash":"%s"})",
                      sub.c_str(), now, now + 300, now, at_hash.c_str());
    json += R"(,"id_token":")";
    if (!crypto.AppendJws(kIdHeader, std::string_view(payload, static_cast<size_t>(n)), &json)) {
      AppendResponse(400, R"({"error":"server_error"})", out);
      return;
    }
    json += '"';
  }
  json += '}';
  AppendResponse(200, json, out);
}

struct Connection {
  std::string in;
  std::string out;
  size_t out_sent = 0;
};

// Parses and answers every complete request in `c.in`; false when the connection must close.
bool Serve(Crypto& crypto, Connection& c) {
  for (;;) {
    const size_t head_end = c.in.find("\r\n\r\n");
    if (head_end == std::string::npos) return c.in.size() <= kMaxRequest;
    const std::string_view head(c.in.data(), head_end);
    size_t body_len = 0;
    for (size_t line = head.find("\r\n"); line != std::string_view::npos;
         line = head.find("\r\n", line + 2)) {
      constexpr std::string_view kLength = "content-length:";
      if (head.size() - line - 2 < kLength.size()) continue;
      if (strncasecmp(head.data() + line + 2, kLength.data(), kLength.size()) == 0) {
        body_len = std::strtoul(head.data() + line + 2 + kLength.size(), nullptr, 10);
      }
    }
    if (body_len > kMaxRequest) return false;
    const size_t total = head_end + 4 + body_len;
    if (c.in.size() < total) return true;
    if (head.substr(0, 11) == "POST /token") {
      HandleToken(crypto, std::string_view(c.in).substr(head_end + 4, body_len), &c.out);
    } else {
      AppendResponse(400, R"({"error":"invalid_request"})", &c.out);
    }
    c.in.erase(0, total);
  }
}

// Sends what is pending; false on a socket error.
bool Flush(Connection& c, int fd) {
  while (c.out_sent < c.out.size()) {
    const ssize_t n = send(fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
    c.out_sent += static_cast<size_t>(n);
  }
  c.out.clear();
  c.out_sent = 0;
  return true;
}

void Loop(int port, EVP_PKEY* sign_key, EVP_PKEY* verify_key) {
  Crypto crypto(sign_key, verify_key);
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  const int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(listener, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener, 1024) != 0) {
    std::perror("floor_server: bind/listen");
    std::exit(1);
  }
  const int ep = epoll_create1(0);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = listener;
  epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
  std::unordered_map<int, Connection> conns;
  std::vector<epoll_event> events(256);
  char buf[16384];
  auto close_conn = [&](int fd) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
    close(fd);
    conns.erase(fd);
  };
  while (!g_stop.load(std::memory_order_relaxed)) {
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 200);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == listener) {
        for (int c; (c = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK)) >= 0;) {
          setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          epoll_event cev{};
          cev.events = EPOLLIN;
          cev.data.fd = c;
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
          conns[c];
        }
        continue;
      }
      Connection& c = conns[fd];
      if (events[i].events & EPOLLOUT) {
        if (!Flush(c, fd)) {
          close_conn(fd);
          continue;
        }
        if (c.out.empty()) {
          epoll_event cev{};
          cev.events = EPOLLIN;
          cev.data.fd = fd;
          epoll_ctl(ep, EPOLL_CTL_MOD, fd, &cev);
        }
      }
      if (!(events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
      const ssize_t got = recv(fd, buf, sizeof buf, 0);
      if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        close_conn(fd);
        continue;
      }
      if (got < 0) continue;
      c.in.append(buf, static_cast<size_t>(got));
      const bool was_pending = !c.out.empty();
      if (!Serve(crypto, c) || !Flush(c, fd)) {
        close_conn(fd);
        continue;
      }
      if (!c.out.empty() && !was_pending) {
        epoll_event cev{};
        cev.events = EPOLLIN | EPOLLOUT;
        cev.data.fd = fd;
        epoll_ctl(ep, EPOLL_CTL_MOD, fd, &cev);
      }
    }
  }
  for (auto& [fd, c] : conns) close(fd);
  close(ep);
  close(listener);
}

// The public JWK of a P-256 key, on one line.
std::string PublicJwk(EVP_PKEY* key) {
  unsigned char point[65];
  size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point,
                                      &len) != 1 ||
      len != 65) {
    return {};
  }
  return R"({"kty":"EC","crv":"P-256","x":")" +
         accord::Base64UrlEncode(accord::BytesView(point + 1, 32)) + R"(","y":")" +
         accord::Base64UrlEncode(accord::BytesView(point + 33, 32)) + R"(","kid":"floor"})";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: floor_server PORT CLIENT_PEM [THREADS]\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  std::ifstream pem_file(argv[2]);
  std::stringstream pem;
  pem << pem_file.rdbuf();
  auto client = accord::crypto::PrivateKey::FromPem(pem.str());
  if (!client.ok()) {
    std::fprintf(stderr, "floor_server: cannot read the client key %s\n", argv[2]);
    return 1;
  }
  auto signer = accord::crypto::PrivateKey::GenerateEc(accord::crypto::Curve::kP256);
  if (!signer.ok()) return 1;
  std::printf("%s\n", PublicJwk(signer.value().evp()).c_str());
  std::fflush(stdout);
  const unsigned threads =
      argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : std::thread::hardware_concurrency();
  struct sigaction sa {};
  sa.sa_handler = [](int) { g_stop.store(true); };
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < (threads == 0 ? 1 : threads); ++i) {
    pool.emplace_back(Loop, port, signer.value().evp(), client.value().public_key().evp());
  }
  for (auto& t : pool) t.join();
  return 0;
}
