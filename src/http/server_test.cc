// Server tests over real sockets on 127.0.0.1 (port 0), with raw POSIX clients.
#include "http/server.h"

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "common/blocking_region.h"
#include "common/deferred_ack.h"
#include "http/internal/http_date.h"
#include "http/test_util.h"

namespace accord::http {
namespace {

using testing::BodyOf;
using testing::HasHeader;
using testing::RawConnection;
using testing::StatusOf;
using testing::TestServer;
using namespace std::chrono_literals;

constexpr std::string_view kGet = "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n";

// A 1 KiB header limit, and a GET whose header is twice that.
ServerOptions SmallHeaderLimit() {
  ServerOptions options;
  options.limits.max_header_bytes = 1024;
  return options;
}
std::string OversizedHeaderRequest() {
  return "GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n";
}

void AddHello(Router& router) {
  ASSERT_TRUE(router.Add("hello", "GET", "/hello", [](const Request& r) {
    return TextResponse("hello " + std::string(r.query.Get("name").value_or("world")));
  }).ok());
  ASSERT_TRUE(router.Add("echo", "POST", "/echo", [](const Request& r) {
    return TextResponse(r.body);
  }).ok());
}

TEST(ServerTest, RoutesRequest) {
  TestServer ts;
  AddHello(ts.router);
  ASSERT_TRUE(ts.Start());
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("GET /hello?name=a+b HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string response = c.ReadResponse();
  EXPECT_EQ(StatusOf(response), 200);
  EXPECT_EQ(BodyOf(response), "hello a b");
}

TEST(ServerTest, NotFoundAndMethodNotAllowed) {
  TestServer ts;
  AddHello(ts.router);
  ASSERT_TRUE(ts.Start());
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string not_found = c.ReadResponse();
  EXPECT_EQ(StatusOf(not_found), 404);
  EXPECT_EQ(BodyOf(not_found), "{\"error\":\"not_found\"}");
  ASSERT_TRUE(c.Send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string not_allowed = c.ReadResponse();
  EXPECT_EQ(StatusOf(not_allowed), 405);
  EXPECT_TRUE(HasHeader(not_allowed, "Allow", "GET, HEAD"));
}

// A worker-pool handler may block: on one I/O thread, a request blocked until a second request
// arrives is released by it (with handlers on the I/O thread the second would never be read).
TEST(ServerTest, BlockedHandlerDoesNotHoldUpItsIoThread) {
  TestServer ts;
  std::promise<void> released;
  std::shared_future<void> release = released.get_future().share();
  ASSERT_TRUE(ts.router.Add("wait", "GET", "/wait", [release](const Request&) {
    const bool ok = release.wait_for(5s) == std::future_status::ready;
    return TextResponse(ok ? "released" : "timed out");
  }).ok());
  ASSERT_TRUE(ts.router.Add("release", "GET", "/release", [&released](const Request&) {
    released.set_value();
    return TextResponse("ok");
  }).ok());
  ServerOptions options;
  options.threads = 1;
  options.worker_threads = 2;
  ASSERT_TRUE(ts.Start(options));
  RawConnection waiting(ts.port());
  ASSERT_TRUE(waiting.Send("GET /wait HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::this_thread::sleep_for(50ms);  // let /wait reach its handler first (not required to pass)
  RawConnection releasing(ts.port());
  ASSERT_TRUE(releasing.Send("GET /release HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(BodyOf(releasing.ReadResponse()), "ok");
  EXPECT_EQ(BodyOf(waiting.ReadResponse()), "released");
}

// A handler's deferred durability waits hold its response back until they report; a failed one
// turns the answer into a 503 that hands out nothing the handler produced.
TEST(ServerTest, ResponseWaitsForDeferredAcks) {
  TestServer ts;
  std::mutex mu;
  DeferredAck::Callback pending;  // the wait of /write, completed by the test
  ASSERT_TRUE(ts.router.Add("write", "GET", "/write", [&](const Request& r) {
    DeferredAck::Current()->Defer([&](DeferredAck::Callback done) {
      std::lock_guard lock(mu);
      pending = std::move(done);
    });
    Response response = TextResponse("written");
    response.headers.Add("Set-Cookie", "session=abc");
    (void)r;
    return response;
  }).ok());
  ASSERT_TRUE(ts.Start());
  auto answer_with = [&](Status status) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(mu);
        if (pending) {
          DeferredAck::Callback done = std::exchange(pending, nullptr);
          std::thread([done, status] { done(status); }).detach();
          return true;
        }
      }
      std::this_thread::sleep_for(10ms);
    }
    return false;
  };
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("GET /write HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(answer_with(Status::Ok()));
  const std::string ok = c.ReadResponse();
  EXPECT_EQ(StatusOf(ok), 200);
  EXPECT_EQ(BodyOf(ok), "written");

  ASSERT_TRUE(c.Send("GET /write HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(answer_with(Unavailable("fdatasync failed", "db_unavailable")));
  const std::string failed = c.ReadResponse();
  EXPECT_EQ(StatusOf(failed), 503);
  EXPECT_NE(BodyOf(failed).find("temporarily_unavailable"), std::string::npos);
  EXPECT_EQ(failed.find("session=abc"), std::string::npos);
  EXPECT_EQ(failed.find("fdatasync"), std::string::npos);
}

// A handler that answered before its writes were decided (Response::settle) has its answer
// replaced by what settle returns for their outcome, keeping the route's security headers; a
// failure settle does not answer for is a 503, and an OK it does not answer for keeps the answer.
TEST(ServerTest, SettleReplacesTheAnswerOnceTheDeferredWritesAreDecided) {
  TestServer ts;
  RouteOptions sensitive;
  sensitive.sensitive = true;
  ASSERT_TRUE(ts.router.Add("decide", "GET", "/decide", [](const Request& r) {
    const std::string outcome(r.query.Get("outcome").value_or("ok"));
    DeferredAck::Current()->Defer([outcome](DeferredAck::Callback done) {
      std::thread([done, outcome] {
        if (outcome == "ok") {
          done(Status::Ok());
        } else {
          done(AlreadyExists("identifier was already used", outcome));
        }
      }).detach();
    });
    Response response = TextResponse("token");
    response.settle = [](const Status& s) -> std::optional<Response> {
      if (s.reason() != "replay") return std::nullopt;
      return OAuthError(401, "invalid_client", "client_assertion jti replayed");
    };
    return response;
  }, sensitive).ok());
  ASSERT_TRUE(ts.Start());
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("GET /decide?outcome=ok HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string kept = c.ReadResponse();
  EXPECT_EQ(StatusOf(kept), 200);
  EXPECT_EQ(BodyOf(kept), "token");

  ASSERT_TRUE(c.Send("GET /decide?outcome=replay HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string replaced = c.ReadResponse();
  EXPECT_EQ(StatusOf(replaced), 401);
  EXPECT_NE(BodyOf(replaced).find("invalid_client"), std::string::npos);
  EXPECT_EQ(BodyOf(replaced).find("token"), std::string::npos);
  EXPECT_TRUE(HasHeader(replaced, "Cache-Control", "no-store"));
  EXPECT_TRUE(HasHeader(replaced, "X-Content-Type-Options", "nosniff"));

  ASSERT_TRUE(c.Send("GET /decide?outcome=db_unavailable HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string unanswered = c.ReadResponse();
  EXPECT_EQ(StatusOf(unanswered), 503);
  EXPECT_NE(BodyOf(unanswered).find("temporarily_unavailable"), std::string::npos);
}

// With handler_concurrency = 1, a handler waiting inside a BlockingRegion for a second request
// lets that request run on another worker (without the region, the two would wait out the
// 5 s timeout).
TEST(ServerTest, AHandlerWaitingInABlockingRegionDoesNotHoldItsSlot) {
  TestServer ts;
  std::promise<void> released;
  std::shared_future<void> release = released.get_future().share();
  ASSERT_TRUE(ts.router.Add("wait", "GET", "/wait", [release](const Request&) {
    BlockingRegion waiting;
    const bool ok = release.wait_for(5s) == std::future_status::ready;
    return TextResponse(ok ? "released" : "timed out");
  }).ok());
  ASSERT_TRUE(ts.router.Add("release", "GET", "/release", [&released](const Request&) {
    released.set_value();
    return TextResponse("ok");
  }).ok());
  ServerOptions options;
  options.threads = 1;
  options.worker_threads = 2;
  options.handler_concurrency = 1;
  ASSERT_TRUE(ts.Start(options));
  RawConnection waiting(ts.port());
  ASSERT_TRUE(waiting.Send("GET /wait HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::this_thread::sleep_for(50ms);
  RawConnection releasing(ts.port());
  ASSERT_TRUE(releasing.Send("GET /release HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(BodyOf(releasing.ReadResponse()), "ok");
  EXPECT_EQ(BodyOf(waiting.ReadResponse()), "released");
}

// inline_handler routes run on the connection's I/O thread, others on a worker; an inline_if
// route decides per request.
TEST(ServerTest, InlineRoutesRunOnTheIoThreadOthersOnWorkers) {
  TestServer ts;
  std::mutex mu;
  std::thread::id inline_thread, worker_thread;
  RouteOptions in_memory;
  in_memory.inline_handler = true;
  ASSERT_TRUE(ts.router.Add("inline", "GET", "/inline", [&](const Request&) {
    std::lock_guard lock(mu);
    inline_thread = std::this_thread::get_id();
    return TextResponse("a");
  }, in_memory).ok());
  ASSERT_TRUE(ts.router.Add("worker", "GET", "/worker", [&](const Request&) {
    std::lock_guard lock(mu);
    worker_thread = std::this_thread::get_id();
    return TextResponse("b");
  }).ok());
  // inline_if decides per request.
  std::vector<std::thread::id> decided;
  RouteOptions per_request;
  per_request.inline_if = [](const Request& r) { return r.body == "inline"; };
  ASSERT_TRUE(ts.router.Add("decided", "POST", "/decided", [&](const Request&) {
    std::lock_guard lock(mu);
    decided.push_back(std::this_thread::get_id());
    return TextResponse("c");
  }, per_request).ok());
  ServerOptions options;
  options.threads = 1;
  options.worker_threads = 1;
  ASSERT_TRUE(ts.Start(options));
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("GET /inline HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(BodyOf(c.ReadResponse()), "a");
  ASSERT_TRUE(c.Send("GET /worker HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(BodyOf(c.ReadResponse()), "b");
  ASSERT_TRUE(c.Send("POST /decided HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\n\r\ninline"));
  EXPECT_EQ(BodyOf(c.ReadResponse()), "c");
  ASSERT_TRUE(c.Send("POST /decided HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\n\r\nworker"));
  EXPECT_EQ(BodyOf(c.ReadResponse()), "c");
  std::lock_guard lock(mu);
  EXPECT_NE(inline_thread, std::thread::id());
  EXPECT_NE(worker_thread, std::thread::id());
  EXPECT_NE(inline_thread, worker_thread);
  ASSERT_EQ(decided.size(), 2u);
  EXPECT_EQ(decided[0], inline_thread);
  EXPECT_NE(decided[1], inline_thread);
}

TEST(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  TestServer ts;
  AddHello(ts.router);
  ASSERT_TRUE(ts.Start());
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send(kGet));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
  ASSERT_TRUE(c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"));
  const std::string second = c.ReadResponse();
  EXPECT_EQ(StatusOf(second), 200);
  EXPECT_EQ(BodyOf(second), "abc");
}

TEST(ServerTest, PipelinedRequestsAnsweredInOrder) {
  TestServer ts;
  AddHello(ts.router);
  ASSERT_TRUE(ts.Start());
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("GET /hello?name=1 HTTP/1.1\r\nHost: t\r\n\r\nGET /hello?name=2 HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(BodyOf(c.ReadResponse()), "hello 1");
  EXPECT_EQ(BodyOf(c.ReadResponse()), "hello 2");
}

TEST(ServerTest, ConnectionCloseIsHonoured) {
  TestServer ts;
  AddHello(ts.router);
  ASSERT_TRUE(ts.Start());
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  const std::string response = c.ReadResponse();
  EXPECT_TRUE(HasHeader(response, "Connection", "close"));
  EXPECT_TRUE(c.WaitForClose());
}

TEST(ServerTest, HeadHasLengthButNoBody) {
  TestServer ts;
  AddHello(ts.router);
  ASSERT_TRUE(ts.Start());
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n" + std::string(kGet)));
  // The HEAD response's Content-Length (11) must not be followed by a body: the next bytes are
  // the GET response.
  std::string all;
  for (int i = 0; i < 50 && all.find("hello world") == std::string::npos; ++i) {
    std::string part = c.ReadResponse(100ms);
    all += part;
  }
  EXPECT_NE(all.find("Content-Length: 11\r\n\r\nHTTP/1.1 200 OK"), std::string::npos);
}

TEST(ServerTest, HeaderTooLargeIs431AndCloses) {
  TestServer ts;
  AddHello(ts.router);
  ASSERT_TRUE(ts.Start(SmallHeaderLimit()));
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send(OversizedHeaderRequest()));
  const std::string response = c.ReadResponse();
  EXPECT_EQ(StatusOf(response), 431);
  EXPECT_TRUE(HasHeader(response, "Connection", "close"));
  EXPECT_TRUE(HasHeader(response, "X-Content-Type-Options", "nosniff"));
  EXPECT_TRUE(c.WaitForClose());
}

TEST(ServerTest, BodyTooLargeIs413) {
  TestServer ts;
  AddHello(ts.router);
  ServerOptions options;
  options.limits.max_body_bytes = 16;
  ASSERT_TRUE(ts.Start(options));
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'x')));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 413);
  EXPECT_TRUE(c.WaitForClose());
}

TEST(ServerTest, ChunkedBodyOverLimitIs413) {
  TestServer ts;
  AddHello(ts.router);
  ServerOptions options;
  options.limits.max_body_bytes = 16;
  ASSERT_TRUE(ts.Start(options));
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "14\r\n" + std::string(20, 'x') + "\r\n0\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 413);
}

TEST(ServerTest, ExpectContinueGets100) {
  TestServer ts;
  AddHello(ts.router);
  ASSERT_TRUE(ts.Start());
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 100);
  ASSERT_TRUE(c.Send("ok"));
  EXPECT_EQ(BodyOf(c.ReadResponse()), "ok");
}

TEST(ServerTest, MalformedRequestLineIs400AndCloses) {
  TestServer ts;
  AddHello(ts.router);
  ASSERT_TRUE(ts.Start());
  for (const char* raw : {"GARBAGE\r\n\r\n", "GET / HTTP/7.0\r\nHost: t\r\n\r\n",
                          "GET /a b c HTTP/1.1\r\nHost: t\r\n\r\n", "GET / HTTP/1.1\r\n\r\n",
                          "GET /%zz HTTP/1.1\r\nHost: t\r\n\r\n"}) {
    RawConnection c(ts.port());
    ASSERT_TRUE(c.Send(raw));
    const std::string response = c.ReadResponse();
    EXPECT_EQ(StatusOf(response), 400) << raw;
    EXPECT_EQ(BodyOf(response), "{\"error\":\"bad_request\"}") << raw;
    EXPECT_TRUE(c.WaitForClose()) << raw;
  }
  RawConnection after(ts.port());  // the server is still serving
  ASSERT_TRUE(after.Send(kGet));
  EXPECT_EQ(StatusOf(after.ReadResponse()), 200);
}

TEST(ServerTest, IdleClientIsClosed) {
  TestServer ts;
  AddHello(ts.router);
  ServerOptions options;
  options.limits.idle_timeout = 200ms;
  ASSERT_TRUE(ts.Start(options));
  RawConnection c(ts.port());
  EXPECT_TRUE(c.WaitForClose(3s));
}

TEST(ServerTest, SlowClientIsClosedAfterReadTimeout) {
  TestServer ts;
  AddHello(ts.router);
  ServerOptions options;
  options.limits.read_timeout = 200ms;
  ASSERT_TRUE(ts.Start(options));
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("GET /hello HTTP/1.1\r\nHo"));  // and then nothing more
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.WaitForClose(3s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(ServerTest, ConnectionsBeyondLimitAreClosed) {
  TestServer ts;
  AddHello(ts.router);
  ServerOptions options;
  options.limits.max_connections = 2;
  ASSERT_TRUE(ts.Start(options));
  RawConnection a(ts.port());
  RawConnection b(ts.port());
  ASSERT_TRUE(a.Send(kGet));
  ASSERT_TRUE(b.Send(kGet));
  EXPECT_EQ(StatusOf(a.ReadResponse()), 200);
  EXPECT_EQ(StatusOf(b.ReadResponse()), 200);
  RawConnection c(ts.port());
  EXPECT_TRUE(c.WaitForClose(3s));
  EXPECT_NE(ts.registry.RenderPrometheus().find("accord_http_connections_rejected_total 1\n"),
            std::string::npos);
}

TEST(ServerTest, GracefulShutdownFinishesInFlightRequest) {
  TestServer ts;
  std::promise<void> entered;
  std::atomic<bool> release{false};
  ASSERT_TRUE(ts.router.Add("slow", "GET", "/slow", [&](const Request&) {
    entered.set_value();
    while (!release) std::this_thread::sleep_for(5ms);
    return TextResponse("finished");
  }).ok());
  ASSERT_TRUE(ts.Start());
  RawConnection busy(ts.port());
  RawConnection idle(ts.port());
  ASSERT_TRUE(busy.Send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
  entered.get_future().wait();
  ts.server->Stop();
  EXPECT_TRUE(idle.WaitForClose(3s));  // idle connections go at once
  RawConnection late(ts.port());       // no longer accepting
  EXPECT_TRUE(!late.connected() || late.WaitForClose(3s));
  release = true;
  const std::string response = busy.ReadResponse();
  EXPECT_EQ(StatusOf(response), 200);
  EXPECT_EQ(BodyOf(response), "finished");
  EXPECT_TRUE(HasHeader(response, "Connection", "close"));
  ts.server->Wait();
  EXPECT_EQ(ts.server->active_connections(), 0u);
}

TEST(ServerTest, SecurityHeadersAndRequestIdPresent) {
  TestServer ts;
  AddHello(ts.router);
  ASSERT_TRUE(ts.Start());
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Request-Id: trace-1\r\n\r\n"));
  const std::string response = c.ReadResponse();
  EXPECT_TRUE(HasHeader(response, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"));
  EXPECT_TRUE(HasHeader(response, "X-Content-Type-Options", "nosniff"));
  EXPECT_TRUE(HasHeader(response, "Referrer-Policy", "no-referrer"));
  EXPECT_TRUE(HasHeader(response, "X-Request-Id", "trace-1"));
  EXPECT_EQ(response.find("Strict-Transport-Security"), std::string::npos);
}

// RFC 9110 6.6.1: an origin server with a clock sends Date in its 2xx, 3xx and 4xx responses,
// including those the transport answers before any handler runs.
TEST(ServerTest, ResponsesCarryTheDate) {
  TestServer ts;
  AddHello(ts.router);
  ASSERT_TRUE(ts.Start(SmallHeaderLimit()));
  const auto date_of = [](const std::string& response) {
    const size_t at = response.find("\r\nDate: ");
    if (at == std::string::npos) return std::string();
    return response.substr(at + 8, internal::kHttpDateSize);
  };
  const auto now = [] {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  };
  const std::chrono::sys_seconds before = now();
  RawConnection ok(ts.port());
  ASSERT_TRUE(ok.Send(kGet));
  const std::string ok_date = date_of(ok.ReadResponse());
  RawConnection too_large(ts.port());
  ASSERT_TRUE(too_large.Send(OversizedHeaderRequest()));
  const std::string error_date = date_of(too_large.ReadResponse());
  const std::chrono::sys_seconds after = now();
  for (const std::string& date : {ok_date, error_date}) {
    bool within = false;
    for (std::chrono::sys_seconds t = before; t <= after && !within; t += 1s) {
      char text[internal::kHttpDateSize];
      internal::FormatHttpDate(t, text);
      within = date == std::string_view(text, sizeof(text));
    }
    EXPECT_TRUE(within) << "Date \"" << date << "\" is not the time of the request";
  }
}

TEST(ServerTest, HealthReadyAndMetricsEndpoints) {
  TestServer ts;
  AddHello(ts.router);
  std::atomic<bool> db_up{true};
  ts.readiness.Add("database", [&] { return db_up ? Status::Ok() : Unavailable("down: 10.0.0.5"); });
  ASSERT_TRUE(ts.Start());
  RawConnection c(ts.port());
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
  ASSERT_TRUE(c.Send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
  db_up = false;
  ASSERT_TRUE(c.Send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string not_ready = c.ReadResponse();
  EXPECT_EQ(StatusOf(not_ready), 503);
  EXPECT_EQ(BodyOf(not_ready), "{\"status\":\"not_ready\",\"failing\":[\"database\"]}");
  ASSERT_TRUE(c.Send(kGet));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
  ASSERT_TRUE(c.Send("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string metrics = c.ReadResponse();
  EXPECT_TRUE(HasHeader(metrics, "Content-Type", "text/plain; version=0.0.4; charset=utf-8"));
  const std::string text = BodyOf(metrics);
  EXPECT_NE(text.find("# TYPE accord_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("accord_http_requests_total{route=\"hello\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("accord_http_responses_total{route=\"readyz\",code=\"503\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("accord_http_request_duration_seconds_bucket{route=\"hello\",le=\"+Inf\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("accord_http_connections_open 1\n"), std::string::npos);
}

TEST(ServerTest, CreateFailsOnBadAddress) {
  Router router;
  Pipeline pipeline(router, {});
  ServerOptions options;
  options.address = "not-an-ip";
  EXPECT_EQ(Server::Create(options, pipeline).status().reason(), "bad_address");
}

TEST(ServerTest, CreateFailsWhenPortTaken) {
  TestServer ts;
  ASSERT_TRUE(ts.Start());
  Router router;
  Pipeline pipeline(router, {});
  ServerOptions options;
  options.port = ts.port();
  EXPECT_EQ(Server::Create(options, pipeline).status().reason(), "bind_failed");
}

}  // namespace
}  // namespace accord::http
