#include "http/internal/wire.h"

#include <gtest/gtest.h>

#include "http/internal/http_date.h"

namespace accord::http::internal {
namespace {

TEST(RenderHeadTest, StatusLineFieldsLengthAndClose) {
  Response response = TextResponse("hello", 201);
  std::string head;
  RenderResponseHead(response, /*keep_alive=*/false, "", &head);
  EXPECT_EQ(head,
            "HTTP/1.1 201 Created\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: 5\r\nConnection: close\r\n\r\n");
}

TEST(RenderHeadTest, DropsInjectedAndServerOwnedFields) {
  Response response;
  response.headers.Add("X-Ok", "fine");
  response.headers.Add("X-Bad", "a\r\nSet-Cookie: x=1");
  response.headers.Add("Bad Name", "v");
  response.headers.Add("Content-Length", "999");
  response.headers.Add("Transfer-Encoding", "chunked");
  std::string head;
  RenderResponseHead(response, true, "", &head);
  EXPECT_EQ(head, "HTTP/1.1 200 OK\r\nX-Ok: fine\r\nContent-Length: 0\r\n\r\n");
}

TEST(RenderHeadTest, DateFollowsTheStatusLineAndReplacesTheHandlers) {
  Response response = TextResponse("hi");
  response.headers.Add("Date", "Thu, 01 Jan 1970 00:00:00 GMT");
  std::string head;
  RenderResponseHead(response, true, "Sun, 06 Nov 1994 08:49:37 GMT", &head);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\n");
}

// RFC 9110 5.6.7's example and dates around the calendar's edges.
TEST(HttpDateTest, ImfFixdate) {
  const auto format = [](std::chrono::sys_seconds t) {
    char out[kHttpDateSize];
    FormatHttpDate(t, out);
    return std::string(out, kHttpDateSize);
  };
  using std::chrono::sys_days;
  using namespace std::chrono_literals;
  EXPECT_EQ(format(std::chrono::sys_seconds(784111777s)), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(format(std::chrono::sys_seconds(0s)), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(format(sys_days(std::chrono::year(2024) / 2 / 29) + 23h + 59min + 59s),
            "Thu, 29 Feb 2024 23:59:59 GMT");
  EXPECT_EQ(format(sys_days(std::chrono::year(2026) / 12 / 31) + 12h + 5min + 9s),
            "Thu, 31 Dec 2026 12:05:09 GMT");
  EXPECT_EQ(format(sys_days(std::chrono::year(2100) / 3 / 1)), "Mon, 01 Mar 2100 00:00:00 GMT");
}

TEST(HttpDateTest, CurrentDateIsNow) {
  const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::string now(CurrentHttpDate());
  const auto after = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  char a[kHttpDateSize], b[kHttpDateSize];
  FormatHttpDate(before, a);
  FormatHttpDate(after, b);
  EXPECT_TRUE(now == std::string(a, kHttpDateSize) || now == std::string(b, kHttpDateSize)) << now;
}

TEST(RenderHeadTest, NoContentLengthFor204) {
  Response response;
  response.status = 204;
  std::string head;
  RenderResponseHead(response, true, "", &head);
  EXPECT_EQ(head, "HTTP/1.1 204 No Content\r\n\r\n");
}

TEST(RenderHeadTest, RedirectRejectsHeaderInjection) {
  EXPECT_EQ(Redirect("https://a.example/cb?code=1").status, 302);
  EXPECT_EQ(Redirect("https://a.example/\r\nSet-Cookie: x").status, 500);
}

TEST(RenderHeadTest, OAuthErrorBody) {
  const Response r = OAuthError(400, "invalid_request", "missing \"client_id\"");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "{\"error\":\"invalid_request\",\"error_description\":\"missing \\\"client_id\\\"\"}");
  EXPECT_EQ(*r.headers.Get("content-type"), "application/json");
}

TEST(ParseRequestTest, ParsesRequest) {
  auto request = ParseRequestBytes(
      "POST /token?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 7\r\n\r\ncode=ab",
      {});
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->path, "/token");
  EXPECT_EQ(*request->query.Get("x"), "1");
  EXPECT_EQ(request->body, "code=ab");
  EXPECT_EQ(*request->headers.Get("content-type"), "application/x-www-form-urlencoded");
  EXPECT_TRUE(request->keep_alive);
}

TEST(ParseRequestTest, ParsesChunkedBody) {
  auto request = ParseRequestBytes(
      "POST /t HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", {});
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->body, "abc");
}

TEST(ParseRequestTest, MalformedRequestLinesAreBadRequest) {
  for (const char* raw : {"GET\r\n\r\n", "GET / HTTP/9.9\r\nHost: a\r\n\r\n",
                          "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n",
                          "GET http://x/ HTTP/1.1\r\nHost: a\r\n\r\n",
                          "GET / HTTP/1.1\r\nBad Header\r\n\r\n", "GET / HTTP/1.1\r\n\r\n",
                          "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"}) {
    auto request = ParseRequestBytes(raw, {});
    ASSERT_FALSE(request.ok()) << raw;
    EXPECT_EQ(ErrorStatusFor(request.status().reason()), 400) << raw;
  }
}

TEST(ParseRequestTest, HeaderLimitIs431) {
  ParseLimits limits;
  limits.max_header_bytes = 64;
  auto request =
      ParseRequestBytes("GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(100, 'a') + "\r\n\r\n", limits);
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(ErrorStatusFor(request.status().reason()), 431);
}

TEST(ParseRequestTest, BodyLimitIs413) {
  ParseLimits limits;
  limits.max_body_bytes = 4;
  auto request = ParseRequestBytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcde", limits);
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(ErrorStatusFor(request.status().reason()), 413);
}

TEST(ParseRequestTest, TruncatedRequestIsIncomplete) {
  auto request = ParseRequestBytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab", {});
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.status().reason(), "incomplete");
}

}  // namespace
}  // namespace accord::http::internal
