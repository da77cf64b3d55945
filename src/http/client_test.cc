#include "http/client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "http/test_util.h"

namespace accord::http {
namespace {

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

}  // namespace
}  // namespace accord::http
