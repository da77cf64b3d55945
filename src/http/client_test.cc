#include "http/client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "http/test_util.h"

namespace accord::http {
namespace {

using testing::TempDir;
using testing::TestServer;
using namespace std::chrono_literals;

// A listening socket that accepts connections (via the kernel backlog) but never answers.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(fd_, 16);
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

std::unique_ptr<HttpClient> MakeClient(ClientOptions options = {}) {
  auto client = HttpClient::Create(std::move(options));
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(client).value() : nullptr;
}

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ts_.router.Add("echo", "POST", "/echo", [](const Request& r) {
      Response response = TextResponse(r.body);
      response.headers.Add("X-Seen-Header", std::string(r.headers.Get("X-Test").value_or("")));
      return response;
    }).ok());
    ASSERT_TRUE(ts_.router.Add("big", "GET", "/big", [](const Request&) {
      return TextResponse(std::string(1000, 'b'));
    }).ok());
    ASSERT_TRUE(ts_.router.Add("redirect", "GET", "/redirect", [](const Request&) {
      return Redirect("/big");
    }).ok());
    ASSERT_TRUE(ts_.Start());
    client_ = MakeClient();
    ASSERT_NE(client_, nullptr);
  }
  TestServer ts_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(ClientTest, PostRoundTrip) {
  ClientRequest request;
  request.method = "POST";
  request.url = ts_.Url("/echo");
  request.headers.Add("X-Test", "yes");
  request.headers.Add("Content-Type", "application/x-www-form-urlencoded");
  request.body = "a=1&b=2";
  auto response = client_->Fetch(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "a=1&b=2");
  EXPECT_EQ(*response->headers.Get("x-seen-header"), "yes");
}

TEST_F(ClientTest, ReturnsErrorStatusesAsResponses) {
  ClientRequest request;
  request.url = ts_.Url("/missing");
  auto response = client_->Fetch(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 404);
}

TEST_F(ClientTest, DoesNotFollowRedirects) {
  ClientRequest request;
  request.url = ts_.Url("/redirect");
  auto response = client_->Fetch(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 302);
  EXPECT_EQ(*response->headers.Get("Location"), "/big");
}

TEST_F(ClientTest, BodyOverLimitIsTooLarge) {
  ClientRequest request;
  request.url = ts_.Url("/big");
  request.max_response_body_bytes = 100;
  auto response = client_->Fetch(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().reason(), "too_large");
  request.max_response_body_bytes = 1000;
  EXPECT_TRUE(client_->Fetch(request).ok());
}

TEST_F(ClientTest, TimesOutAgainstServerThatNeverAnswers) {
  SilentListener silent;
  ClientRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(silent.port()) + "/";
  request.total_timeout = 300ms;
  const auto start = std::chrono::steady_clock::now();
  auto response = client_->Fetch(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().reason(), "timeout");
  EXPECT_EQ(response.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(ClientTest, ClosedPortIsConnectFailed) {
  SilentListener closed;
  const uint16_t port = closed.port();
  closed.Close();
  ClientRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  EXPECT_EQ(client_->Fetch(request).status().reason(), "connect_failed");
}

TEST_F(ClientTest, RejectsBadUrls) {
  for (const char* url : {"", "ftp://127.0.0.1/", "http://user:pw@127.0.0.1/", "not a url",
                          "http:///path"}) {
    ClientRequest request;
    request.url = url;
    EXPECT_EQ(client_->Fetch(request).status().reason(), "bad_url") << url;
  }
}

TEST_F(ClientTest, ConcurrentFetchesFromManyThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        ClientRequest request;
        request.url = ts_.Url("/big");
        auto response = client_->Fetch(request);
        if (response.ok() && response->body.size() == 1000) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 20);
}

// ---- Connection reuse (keep-alive pool) ----

// A raw HTTP/1.1 server on 127.0.0.1:0 whose replies the test scripts, so it can misbehave on
// purpose; counts the connections it accepts and those the client closes. One thread per
// connection; requests are read as head + Content-Length body.
class ScriptedServer {
 public:
  struct Reply {
    std::string bytes;         // written as is; empty: close without answering
    bool close_after = false;  // close the connection after writing (without saying so)
  };
  // (connection number from 1, request number on it from 1, raw request) -> reply.
  using Script = std::function<Reply(int connection, int request, const std::string& raw)>;

  explicit ScriptedServer(Script script) : script_(std::move(script)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(fd_, 64);
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }
  ~ScriptedServer() {
    stop_ = true;
    acceptor_.join();
    std::vector<std::thread> connections;
    {
      std::lock_guard lock(mu_);
      connections.swap(connections_);
    }
    for (auto& t : connections) t.join();  // without mu_: they take it to count closes
    ::close(fd_);
  }

  std::string Url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  int accepted() const { return accepted_.load(); }
  // Waits (up to 5 s) until the client has closed at least `n` connections.
  bool WaitForClientCloses(int n) {
    std::unique_lock lock(mu_);
    return closed_cv_.wait_for(lock, 5s, [&] { return client_closes_ >= n; });
  }

  static Reply Ok(std::string_view body, std::string_view extra_headers = "") {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
                 std::string(extra_headers) + "\r\n" + std::string(body)};
  }

 private:
  void AcceptLoop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) continue;
      const int number = ++accepted_;
      std::lock_guard lock(mu_);
      connections_.emplace_back([this, conn, number] { Serve(conn, number); });
    }
  }

  // Reads one request into *raw; false on EOF (the client closed) or stop.
  bool ReadRequest(int conn, std::string* pending, std::string* raw) {
    for (;;) {
      const size_t end = pending->find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length = 0;
        const size_t cl = pending->find("Content-Length: ");
        if (cl != std::string::npos && cl < end) length = std::stoul(pending->substr(cl + 16));
        if (pending->size() >= end + 4 + length) {
          *raw = pending->substr(0, end + 4 + length);
          pending->erase(0, end + 4 + length);
          return true;
        }
      }
      pollfd p{conn, POLLIN, 0};
      if (stop_) return false;
      if (::poll(&p, 1, 20) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::recv(conn, buf, sizeof(buf), 0);
      if (n <= 0) {
        std::lock_guard lock(mu_);
        ++client_closes_;
        closed_cv_.notify_all();
        return false;
      }
      pending->append(buf, static_cast<size_t>(n));
    }
  }

  void Serve(int conn, int number) {
    std::string pending;
    std::string raw;
    for (int request = 1; ReadRequest(conn, &pending, &raw); ++request) {
      const Reply reply = script_(number, request, raw);
      if (reply.bytes.empty()) break;
      if (::send(conn, reply.bytes.data(), reply.bytes.size(), MSG_NOSIGNAL) < 0) break;
      if (reply.close_after) break;
    }
    ::close(conn);
  }

  Script script_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::condition_variable closed_cv_;
  std::vector<std::thread> connections_;  // guarded by mu_
  int client_closes_ = 0;                 // guarded by mu_
};

ScriptedServer::Reply AlwaysOk(int, int, const std::string&) { return ScriptedServer::Ok("ok"); }

Result<Response> Get(const HttpClient& client, const std::string& url, std::string method = "GET") {
  ClientRequest request;
  request.method = std::move(method);
  request.url = url;
  if (request.method == "POST") request.body = "a=1";
  return client.Fetch(request);
}

TEST(ClientPoolTest, SequentialRequestsShareOneConnection) {
  ScriptedServer server(AlwaysOk);
  auto client = MakeClient();
  for (int i = 0; i < 6; ++i) {
    auto response = Get(*client, server.Url("/x"), i % 2 == 0 ? "GET" : "POST");
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(response->body, "ok");
  }
  EXPECT_EQ(server.accepted(), 1);
}

TEST(ClientPoolTest, SequentialRequestsToAccordServerShareOneConnection) {
  TestServer ts;
  ASSERT_TRUE(ts.router.Add("port", "GET", "/port", [](const Request& r) {
    return TextResponse(std::to_string(r.remote_port));
  }).ok());
  ASSERT_TRUE(ts.Start());
  auto client = MakeClient();
  std::set<std::string> client_ports;
  for (int i = 0; i < 5; ++i) {
    auto response = Get(*client, ts.Url("/port"));
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    client_ports.insert(response->body);
  }
  EXPECT_EQ(client_ports.size(), 1u);
}

TEST(ClientPoolTest, TlsConnectionIsReused) {
  TempDir dir;
  std::string cert, key;
  ASSERT_TRUE(testing::WriteSelfSignedCert(dir.path(), &cert, &key));
  TestServer ts;
  ASSERT_TRUE(ts.router.Add("port", "GET", "/port", [](const Request& r) {
    return TextResponse(std::to_string(r.remote_port) + (r.tls ? " tls" : ""));
  }).ok());
  ServerOptions server_options;
  server_options.tls = TlsOptions{cert, key};
  ASSERT_TRUE(ts.Start(server_options));
  ClientOptions options;
  options.extra_ca_file = cert;
  auto client = MakeClient(options);
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i) {
    auto response = Get(*client, ts.Url("/port"));
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    seen.insert(response->body);
  }
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen.begin()->find(" tls"), std::string::npos);
}

TEST(ClientPoolTest, ServerClosingAfterEachResponseIsHarmless) {
  // The server closes right after answering without `Connection: close`: the liveness check (or,
  // if the close is not seen yet, the retry of a GET) gives every request a working connection.
  ScriptedServer server([](int, int, const std::string&) {
    ScriptedServer::Reply reply = ScriptedServer::Ok("ok");
    reply.close_after = true;
    return reply;
  });
  auto client = MakeClient();
  for (int i = 0; i < 5; ++i) {
    auto response = Get(*client, server.Url("/"));
    ASSERT_TRUE(response.ok()) << i << ": " << response.status().ToString();
  }
  EXPECT_EQ(server.accepted(), 5);
}

// The reused connection is alive when checked, but the server drops the second request unanswered
// (as when its idle timeout fires while the request is in flight).
ScriptedServer::Reply DropSecondRequest(int connection, int request, const std::string&) {
  if (connection == 1 && request == 2) return {};
  return ScriptedServer::Ok("ok");
}

TEST(ClientPoolTest, GetIsRetriedOnceOnFreshConnection) {
  ScriptedServer server(DropSecondRequest);
  auto client = MakeClient();
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  auto response = Get(*client, server.Url("/"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->body, "ok");
  EXPECT_EQ(server.accepted(), 2);
}

TEST(ClientPoolTest, PostIsNotRetriedOnReusedConnection) {
  ScriptedServer server(DropSecondRequest);
  auto client = MakeClient();
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  auto response = Get(*client, server.Url("/"), "POST");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().reason(), "bad_response");
  EXPECT_EQ(server.accepted(), 1);
  EXPECT_TRUE(Get(*client, server.Url("/"), "POST").ok());
  EXPECT_EQ(server.accepted(), 2);
}

TEST(ClientPoolTest, PostWithIdempotencyKeyIsRetried) {
  ScriptedServer server(DropSecondRequest);
  auto client = MakeClient();
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  ClientRequest request;
  request.method = "POST";
  request.url = server.Url("/");
  request.headers.Add("Idempotency-Key", "k1");
  EXPECT_TRUE(client->Fetch(request).ok());
  EXPECT_EQ(server.accepted(), 2);
}

TEST(ClientPoolTest, ConnectionCloseResponseIsNotPooled) {
  // The server keeps its side open: only the client's rule stops the reuse.
  ScriptedServer server([](int, int, const std::string&) {
    return ScriptedServer::Ok("ok", "Connection: close\r\n");
  });
  auto client = MakeClient();
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  EXPECT_EQ(server.accepted(), 2);
}

TEST(ClientPoolTest, Http10ResponseIsNotPooled) {
  ScriptedServer server([](int, int, const std::string&) {
    return ScriptedServer::Reply{
        "HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok"};
  });
  auto client = MakeClient();
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  EXPECT_EQ(server.accepted(), 2);
}

TEST(ClientPoolTest, ShortAnnouncedKeepAliveIsNotPooled) {
  // `Keep-Alive: timeout=1` leaves nothing after the 1 s safety margin.
  ScriptedServer server([](int, int, const std::string&) {
    return ScriptedServer::Ok("ok", "Keep-Alive: timeout=1\r\n");
  });
  auto client = MakeClient();
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  EXPECT_EQ(server.accepted(), 2);
}

TEST(ClientPoolTest, UnreadBytesAfterResponseAreNotReused) {
  // A second, unrequested response follows the first: it must never answer the next request.
  ScriptedServer server([](int, int, const std::string&) {
    ScriptedServer::Reply reply = ScriptedServer::Ok("first");
    reply.bytes += ScriptedServer::Ok("stale").bytes;
    return reply;
  });
  auto client = MakeClient();
  for (int i = 0; i < 3; ++i) {
    auto response = Get(*client, server.Url("/"));
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(response->body, "first");
  }
  EXPECT_EQ(server.accepted(), 3);
}

TEST(ClientPoolTest, OversizedBodyClosesConnection) {
  ScriptedServer server([](int, int, const std::string&) {
    return ScriptedServer::Ok(std::string(1000, 'b'));
  });
  auto client = MakeClient();
  ClientRequest request;
  request.url = server.Url("/");
  request.max_response_body_bytes = 100;
  EXPECT_EQ(client->Fetch(request).status().reason(), "too_large");
  request.max_response_body_bytes = 1000;
  auto response = client->Fetch(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->body.size(), 1000u);
  EXPECT_EQ(server.accepted(), 2);
  ASSERT_TRUE(client->Fetch(request).ok());
  EXPECT_EQ(server.accepted(), 2);
}

TEST(ClientPoolTest, HeadReadsNoBodyAndKeepsConnection) {
  ScriptedServer server([](int, int, const std::string& raw) {
    if (raw.rfind("HEAD ", 0) == 0) {
      return ScriptedServer::Reply{"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"};
    }
    return ScriptedServer::Ok("ok");
  });
  auto client = MakeClient();
  auto head = Get(*client, server.Url("/"), "HEAD");
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  auto get = Get(*client, server.Url("/"));
  ASSERT_TRUE(get.ok()) << get.status().ToString();
  EXPECT_EQ(get->body, "ok");
  EXPECT_EQ(server.accepted(), 1);
}

TEST(ClientPoolTest, IdleTimeoutClosesConnection) {
  ScriptedServer server(AlwaysOk);
  ClientOptions options;
  options.idle_timeout = 20ms;
  auto client = MakeClient(options);
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  ASSERT_TRUE(server.WaitForClientCloses(1));  // the sweeper closed it, no request needed
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  EXPECT_EQ(server.accepted(), 2);
}

TEST(ClientPoolTest, DestroyingClientClosesPooledConnections) {
  ScriptedServer server(AlwaysOk);
  auto client = MakeClient();
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  client.reset();
  EXPECT_TRUE(server.WaitForClientCloses(1));
}

TEST(ClientPoolTest, KeepAliveOffSendsConnectionClose) {
  std::atomic<int> saw_close{0};
  ScriptedServer server([&](int, int, const std::string& raw) {
    if (raw.find("\r\nConnection: close\r\n") != std::string::npos) ++saw_close;
    return ScriptedServer::Ok("ok");
  });
  ClientOptions options;
  options.keep_alive = false;
  auto client = MakeClient(options);
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  ASSERT_TRUE(Get(*client, server.Url("/")).ok());
  EXPECT_EQ(server.accepted(), 2);
  EXPECT_EQ(saw_close.load(), 2);
}

void FetchFromThreads(const HttpClient& client, const std::string& url, int threads, int each,
                      std::atomic<int>* ok) {
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < each; ++i) {
        auto response = Get(client, url, i % 2 == 0 ? "GET" : "POST");
        if (response.ok() && response->body == "ok") ++*ok;
      }
    });
  }
  for (auto& w : workers) w.join();
}

TEST(ClientPoolTest, ConcurrentFetchesUseAtMostOneConnectionPerThread) {
  ScriptedServer server(AlwaysOk);
  auto client = MakeClient();
  std::atomic<int> ok{0};
  FetchFromThreads(*client, server.Url("/"), 8, 25, &ok);
  EXPECT_EQ(ok.load(), 200);
  EXPECT_GE(server.accepted(), 1);
  EXPECT_LE(server.accepted(), 8);  // a connection returns to the pool before Fetch returns
}

TEST(ClientPoolTest, IdleConnectionsBeyondPerOriginLimitAreClosed) {
  ScriptedServer server(AlwaysOk);
  ClientOptions options;
  options.max_idle_per_origin = 2;
  auto client = MakeClient(options);
  std::atomic<int> ok{0};
  FetchFromThreads(*client, server.Url("/"), 8, 25, &ok);
  EXPECT_EQ(ok.load(), 200);
  // Every connection but the (at most) 2 kept idle has been closed by the client.
  EXPECT_TRUE(server.WaitForClientCloses(server.accepted() - 2));
}

TEST(ClientPoolTest, IdleConnectionsBeyondTotalLimitAreClosed) {
  ScriptedServer a(AlwaysOk);
  ScriptedServer b(AlwaysOk);
  ClientOptions options;
  options.max_idle_total = 1;
  auto client = MakeClient(options);
  ASSERT_TRUE(Get(*client, a.Url("/")).ok());
  ASSERT_TRUE(Get(*client, b.Url("/")).ok());  // evicts a's idle connection (the oldest)
  EXPECT_TRUE(a.WaitForClientCloses(1));
  ASSERT_TRUE(Get(*client, b.Url("/")).ok());
  EXPECT_EQ(b.accepted(), 1);
}

TEST(ClientPoolTest, RejectsBadIdleTimeout) {
  ClientOptions options;
  options.idle_timeout = 0ms;
  EXPECT_EQ(HttpClient::Create(options).status().reason(), "client_config");
}

}  // namespace
}  // namespace accord::http
