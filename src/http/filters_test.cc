#include "http/filters.h"

#include <ctime>
#include <stdexcept>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "http/internal/wire.h"

namespace accord::http {
namespace {

using Clock = std::chrono::steady_clock;

// The full wire head, so preset headers count too.
std::string Head(const Response& response) {
  std::string head;
  internal::RenderResponseHead(response, true, "", &head);
  return head;
}

class FiltersTest : public ::testing::Test {
 protected:
  void Build(SecurityHeadersOptions security = {}) {
    DefaultFilterOptions options;
    options.security = std::move(security);
    options.access_log = [this](const AccessLogEntry& e) {
      log_.push_back(std::string(e.method) + " " + std::string(e.path) + " " +
                     std::string(e.route) + " " + std::to_string(e.status) + " " +
                     std::string(e.request_id));
    };
    pipeline_ = std::make_unique<Pipeline>(router_, DefaultFilters(router_, registry_, options));
  }
  Response Handle(std::string method, std::string target) {
    Request request;
    request.method = std::move(method);
    request.target = target;
    EXPECT_TRUE(ParseTarget(target, &request.path, &request.query).ok());
    request.headers = inbound_;
    request.body = body_;
    return pipeline_->Handle(request, Clock::now());
  }

  Router router_;
  Registry registry_;
  std::unique_ptr<Pipeline> pipeline_;
  std::vector<std::string> log_;
  Headers inbound_;
  std::string body_;
};

TEST_F(FiltersTest, GeneratesRequestIdAndEchoesIt) {
  ASSERT_TRUE(router_.Add("a", "GET", "/a", [](const Request& r) {
    return TextResponse(r.request_id);
  }).ok());
  Build();
  const Response first = Handle("GET", "/a");
  const Response second = Handle("GET", "/a");
  ASSERT_TRUE(first.headers.Get("X-Request-Id").has_value());
  EXPECT_EQ(*first.headers.Get("X-Request-Id"), first.body);
  EXPECT_NE(first.body, second.body);
  EXPECT_FALSE(first.body.empty());
}

TEST_F(FiltersTest, KeepsWellFormedInboundRequestId) {
  ASSERT_TRUE(router_.Add("a", "GET", "/a", [](const Request&) { return TextResponse("x"); }).ok());
  Build();
  inbound_.Add("x-request-id", "abc-123.X_y");
  EXPECT_EQ(*Handle("GET", "/a").headers.Get("X-Request-Id"), "abc-123.X_y");
}

TEST_F(FiltersTest, ReplacesMalformedInboundRequestId) {
  ASSERT_TRUE(router_.Add("a", "GET", "/a", [](const Request&) { return TextResponse("x"); }).ok());
  Build();
  inbound_.Add("X-Request-Id", "bad id<script>");
  const Response response = Handle("GET", "/a");
  EXPECT_NE(*response.headers.Get("X-Request-Id"), "bad id<script>");
  EXPECT_TRUE(RequestIdFilter::IsValidRequestId(*response.headers.Get("X-Request-Id")));
}

TEST_F(FiltersTest, SecurityHeadersOnEveryResponse) {
  Build();
  const std::string head = Head(Handle("GET", "/nowhere"));
  EXPECT_NE(head.find("Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"),
            std::string::npos);
  EXPECT_NE(head.find("X-Content-Type-Options: nosniff\r\n"), std::string::npos);
  EXPECT_NE(head.find("Referrer-Policy: no-referrer\r\n"), std::string::npos);
  EXPECT_EQ(head.find("Strict-Transport-Security"), std::string::npos);
  EXPECT_EQ(head.find("Cache-Control"), std::string::npos);
}

TEST_F(FiltersTest, SensitiveRouteIsNoStore) {
  RouteOptions options;
  options.sensitive = true;
  ASSERT_TRUE(router_.Add("token", "POST", "/token", [](const Request&) {
    return JsonResponse(std::string("{}"));
  }, options).ok());
  Build();
  const std::string head = Head(Handle("POST", "/token"));
  EXPECT_NE(head.find("Cache-Control: no-store\r\n"), std::string::npos);
  EXPECT_NE(head.find("Pragma: no-cache\r\n"), std::string::npos);
}

TEST_F(FiltersTest, RouteOverridesCsp) {
  RouteOptions options;
  options.content_security_policy = "default-src 'self'";
  ASSERT_TRUE(router_.Add("page", "GET", "/page", [](const Request&) {
    return TextResponse("p");
  }, options).ok());
  Build();
  const std::string head = Head(Handle("GET", "/page"));
  EXPECT_NE(head.find("Content-Security-Policy: default-src 'self'\r\n"), std::string::npos);
  EXPECT_EQ(head.find("default-src 'none'"), std::string::npos);
}

TEST_F(FiltersTest, HandlerHeaderWinsOverDefault) {
  ASSERT_TRUE(router_.Add("page", "GET", "/page", [](const Request&) {
    Response r = TextResponse("p");
    r.headers.Add("Content-Security-Policy", "script-src 'self'");
    return r;
  }).ok());
  Build();
  const std::string head = Head(Handle("GET", "/page"));
  EXPECT_NE(head.find("Content-Security-Policy: script-src 'self'\r\n"), std::string::npos);
  EXPECT_EQ(head.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(head.find("X-Content-Type-Options: nosniff\r\n"), std::string::npos);
}

TEST_F(FiltersTest, HstsOnlyUnderTls) {
  SecurityHeadersOptions security;
  security.tls = true;
  Build(security);
  EXPECT_NE(Head(Handle("GET", "/x")).find("Strict-Transport-Security: max-age=63072000"),
            std::string::npos);
}

TEST_F(FiltersTest, MethodNotAllowedCarriesAllow) {
  ASSERT_TRUE(router_.Add("a", "GET", "/a", [](const Request&) { return TextResponse("x"); }).ok());
  Build();
  const Response response = Handle("POST", "/a");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(*response.headers.Get("Allow"), "GET, HEAD");
}

TEST_F(FiltersTest, HandlerExceptionIsGeneric500) {
  ASSERT_TRUE(router_.Add("boom", "GET", "/boom", [](const Request&) -> Response {
    throw std::runtime_error("secret database password in message");
  }).ok());
  Build();
  const Response response = Handle("GET", "/boom");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
  EXPECT_EQ(response.body, "{\"error\":\"server_error\"}");
}

TEST_F(FiltersTest, AccessLogHasPathWithoutQuery) {
  ASSERT_TRUE(router_.Add("authorize", "GET", "/authorize", [](const Request&) {
    return TextResponse("x");
  }).ok());
  Build();
  inbound_.Add("Authorization", "Bearer secret-token");
  Handle("GET", "/authorize?login_hint=alice%40example.com");
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_[0].rfind("GET /authorize authorize 200 ", 0), 0u) << log_[0];
  EXPECT_EQ(log_[0].find("alice"), std::string::npos);
  EXPECT_EQ(log_[0].find("secret"), std::string::npos);
}

// The default sink's line: the default logger's timestamp and level, then the entry's fields.
TEST(AccessLineTest, Format) {
  AccessLogEntry e;
  e.method = "POST";
  e.path = "/token";
  e.route = "token";
  e.status = 400;
  e.latency_seconds = 0.0123456;
  e.request_id = "trace-1";
  const std::time_t t = 1764556649;  // local time, as the default logger's pattern shows it
  std::tm tm{};
  localtime_r(&t, &tm);
  char second[32];
  second[std::strftime(second, sizeof(second), "%Y-%m-%d %H:%M:%S", &tm)] = '\0';
  std::string line = "keep:";
  AppendAccessLine(e, std::chrono::system_clock::from_time_t(t) + std::chrono::milliseconds(7),
                   &line);
  EXPECT_EQ(line, "keep:[" + std::string(second) +
                      ".007] [info] http POST /token route=token status=400 latency_ms=12.346 "
                      "request_id=trace-1\n");

  // Sub-millisecond, whole and absurd latencies.
  for (const auto& [seconds, text] : std::vector<std::pair<double, std::string>>{
           {0.0000004, "latency_ms=0.000 "}, {0.0009996, "latency_ms=1.000 "},
           {2.5, "latency_ms=2500.000 "}, {-1.0, "latency_ms=0.000 "},
           {1e300, "latency_ms=1000000000000.000 "}}) {
    e.latency_seconds = seconds;
    line.clear();
    AppendAccessLine(e, std::chrono::system_clock::from_time_t(t), &line);
    EXPECT_NE(line.find(text), std::string::npos) << line;
  }
}

TEST_F(FiltersTest, RouteBodyLimitGives413) {
  RouteOptions options;
  options.max_body_bytes = 4;
  ASSERT_TRUE(router_.Add("small", "POST", "/small", [](const Request&) {
    return TextResponse("ok");
  }, options).ok());
  Build();
  body_ = "12345";
  EXPECT_EQ(Handle("POST", "/small").status, 413);
  body_ = "1234";
  EXPECT_EQ(Handle("POST", "/small").status, 200);
}

// An answer decided after the handler (Response::settle) is logged and counted when it is
// decided, with the status that goes out: the replacement's, or 503 for an unanswered failure.
TEST_F(FiltersTest, SettledAnswersAreLoggedAndCountedWithTheStatusSent) {
  ASSERT_TRUE(router_.Add("token", "POST", "/token", [](const Request&) {
    Response r = TextResponse("token");
    r.settle = [](const Status& s) -> std::optional<Response> {
      if (s.reason() == "replay") return OAuthError(401, "invalid_client");
      return std::nullopt;
    };
    return r;
  }).ok());
  Build();
  auto settled = [&](const Status& stored) {
    Response r = Handle("POST", "/token");
    const size_t logged = log_.size();
    EXPECT_TRUE(static_cast<bool>(r.settle));
    std::optional<Response> replaced = r.settle(stored);
    EXPECT_EQ(log_.size(), logged + 1);
    return replaced ? replaced->status : r.status;
  };
  const size_t before = log_.size();
  Response unsettled = Handle("POST", "/token");
  EXPECT_EQ(log_.size(), before);  // nothing logged until the answer is decided
  EXPECT_EQ(settled(Status::Ok()), 200);
  EXPECT_EQ(log_.back().rfind("POST /token token 200 ", 0), 0u) << log_.back();
  EXPECT_EQ(settled(AlreadyExists("used", "replay")), 401);
  EXPECT_EQ(log_.back().rfind("POST /token token 401 ", 0), 0u) << log_.back();
  settled(Unavailable("fdatasync failed", "db_unavailable"));
  EXPECT_EQ(log_.back().rfind("POST /token token 503 ", 0), 0u) << log_.back();
  const std::string text = registry_.RenderPrometheus();
  for (const char* code : {"200", "401", "503"}) {
    EXPECT_NE(text.find("accord_http_responses_total{route=\"token\",code=\"" + std::string(code) +
                        "\"} 1\n"),
              std::string::npos)
        << code;
  }
  EXPECT_NE(text.find("accord_http_requests_total{route=\"token\"} 3\n"), std::string::npos);
}

TEST_F(FiltersTest, MetricsCountByRouteNameAndStatus) {
  ASSERT_TRUE(router_.Add("client", "GET", "/clients/", [](const Request&) {
    return TextResponse("x");
  }).ok());
  Build();
  Handle("GET", "/clients/");
  Handle("GET", "/clients/");
  Handle("GET", "/secret-path-123");
  const std::string text = registry_.RenderPrometheus();
  EXPECT_NE(text.find("accord_http_requests_total{route=\"client\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("accord_http_responses_total{route=\"client\",code=\"200\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("accord_http_responses_total{route=\"unmatched\",code=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("accord_http_request_duration_seconds_count{route=\"client\"} 2\n"),
            std::string::npos);
  EXPECT_EQ(text.find("secret-path-123"), std::string::npos);
}

}  // namespace
}  // namespace accord::http
