// TLS round trips with a self-signed certificate generated at test time (OpenSSL EVP/X509).
#include <gtest/gtest.h>

#include "http/client.h"
#include "http/server.h"
#include "http/test_util.h"

namespace accord::http {
namespace {

using testing::TempDir;
using testing::TestServer;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_TRUE(testing::WriteSelfSignedCert(dir_.path(), &cert_, &key_));
    ASSERT_TRUE(ts_.router.Add("hello", "GET", "/hello", [](const Request& r) {
      return TextResponse(r.tls ? "tls" : "plain");
    }).ok());
    ServerOptions options;
    options.tls = TlsOptions{cert_, key_};
    ASSERT_TRUE(ts_.Start(options));
  }
  TempDir dir_;
  std::string cert_;
  std::string key_;
  TestServer ts_;
};

TEST_F(TlsTest, RoundTripWithTrustedCa) {
  ClientOptions options;
  options.extra_ca_file = cert_;
  auto client = HttpClient::Create(options);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  ClientRequest request;
  request.url = ts_.Url("/hello");
  auto response = (*client)->Fetch(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "tls");
  EXPECT_EQ(*response->headers.Get("Strict-Transport-Security"),
            "max-age=63072000; includeSubDomains");
  // Host name verification also accepts the DNS SAN.
  request.url = "https://localhost:" + std::to_string(ts_.port()) + "/hello";
  EXPECT_TRUE((*client)->Fetch(request).ok());
}

TEST_F(TlsTest, UntrustedCertificateFails) {
  auto client = HttpClient::Create();
  ASSERT_TRUE(client.ok());
  ClientRequest request;
  request.url = ts_.Url("/hello");
  EXPECT_EQ((*client)->Fetch(request).status().reason(), "tls_failed");
}

TEST_F(TlsTest, PlainHttpToTlsPortFails) {
  auto client = HttpClient::Create();
  ASSERT_TRUE(client.ok());
  ClientRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(ts_.port()) + "/hello";
  request.total_timeout = std::chrono::milliseconds(2000);
  EXPECT_FALSE((*client)->Fetch(request).ok());
}

TEST(TlsConfigTest, MissingCertificateFilesFail) {
  Router router;
  Pipeline pipeline(router, {});
  ServerOptions options;
  options.tls = TlsOptions{"/nonexistent/cert.pem", "/nonexistent/key.pem"};
  EXPECT_EQ(Server::Create(options, pipeline).status().reason(), "tls_config");
}

TEST(TlsConfigTest, MissingClientCaFileFails) {
  ClientOptions options;
  options.extra_ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(HttpClient::Create(options).status().reason(), "tls_config");
}

}  // namespace
}  // namespace accord::http
