#include "http/test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "http/headers.h"

namespace accord::http::testing {

RawConnection::RawConnection(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

namespace {

// Reads what is available within `timeout` into *out; returns false on EOF/error/timeout.
bool ReadSome(int fd, std::chrono::steady_clock::time_point deadline, std::string* out) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
  char buf[8192];
  const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
  if (n <= 0) return false;
  out->append(buf, static_cast<size_t>(n));
  return true;
}

size_t ContentLength(std::string_view head) {
  std::string lower(head);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const size_t pos = lower.find("\r\ncontent-length:");
  if (pos == std::string::npos) return 0;
  return std::strtoul(lower.c_str() + pos + 17, nullptr, 10);
}

}  // namespace

std::string RawConnection::ReadResponse(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const size_t end = pending_.find("\r\n\r\n");
    if (end != std::string::npos) {
      const size_t total = end + 4 + ContentLength(std::string_view(pending_).substr(0, end + 2));
      if (pending_.size() >= total) {
        std::string response = pending_.substr(0, total);
        pending_.erase(0, total);
        return response;
      }
    }
    if (!ReadSome(fd_, deadline, &pending_)) return {};
  }
}

bool RawConnection::WaitForClose(std::chrono::milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char buf[256];
  return ::recv(fd_, buf, sizeof(buf), 0) <= 0;
}

int StatusOf(const std::string& raw) {
  if (raw.size() < 12 || raw.compare(0, 5, "HTTP/") != 0) return 0;
  return std::atoi(raw.c_str() + 9);
}

bool HasHeader(const std::string& raw, std::string_view name, std::string_view value) {
  const size_t head_end = raw.find("\r\n\r\n");
  size_t pos = raw.find("\r\n");
  while (pos != std::string::npos && pos < head_end) {
    const size_t next = raw.find("\r\n", pos + 2);
    const std::string_view line(raw.data() + pos + 2, next - pos - 2);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos && EqualsIgnoreCase(line.substr(0, colon), name)) {
      std::string_view v = line.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      if (v == value) return true;
    }
    pos = next;
  }
  return false;
}

std::string BodyOf(const std::string& raw) {
  const size_t end = raw.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : raw.substr(end + 4);
}

bool TestServer::Start(ServerOptions options) {
  Status s = AddOperationalRoutes(router, registry, readiness);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return false;
  DefaultFilterOptions filter_options;
  filter_options.security.tls = options.tls.has_value();
  filter_options.access_log_enabled = false;
  pipeline = std::make_unique<Pipeline>(router, DefaultFilters(router, registry, filter_options));
  if (options.threads == 0) options.threads = 2;
  options.metrics = &registry;
  auto created = Server::Create(std::move(options), *pipeline);
  EXPECT_TRUE(created.ok()) << created.status().ToString();
  if (!created.ok()) return false;
  server = std::move(created).value();
  server->Start();
  return true;
}

std::string TestServer::Url(std::string_view path) const {
  return std::string(server->tls() ? "https" : "http") + "://127.0.0.1:" +
         std::to_string(port()) + std::string(path);
}

bool WriteSelfSignedCert(const std::string& dir, std::string* cert_path, std::string* key_path) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"),
                                                          EVP_PKEY_free);
  if (!key) return false;
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  if (!cert) return false;
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (ext == nullptr) return false;
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return false;

  *cert_path = dir + "/cert.pem";
  *key_path = dir + "/key.pem";
  FILE* cf = std::fopen(cert_path->c_str(), "w");
  if (cf == nullptr) return false;
  const bool cert_ok = PEM_write_X509(cf, cert.get()) == 1;
  std::fclose(cf);
  FILE* kf = std::fopen(key_path->c_str(), "w");
  if (kf == nullptr) return false;
  const bool key_ok =
      PEM_write_PrivateKey(kf, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(kf);
  return cert_ok && key_ok;
}

}  // namespace accord::http::testing
