#include "http/router.h"

#include <gtest/gtest.h>

namespace accord::http {
namespace {

Handler Text(std::string text) {
  return [text](const Request&) { return TextResponse(text); };
}

TEST(RouterTest, MatchesExactMethodAndPath) {
  Router router;
  ASSERT_TRUE(router.Add("token", "POST", "/token", Text("t")).ok());
  const auto match = router.Find("POST", "/token");
  ASSERT_EQ(match.kind, Router::MatchKind::kFound);
  EXPECT_EQ(match.route->name, "token");
}

TEST(RouterTest, UnknownPathIsNotFound) {
  Router router;
  ASSERT_TRUE(router.Add("token", "POST", "/token", Text("t")).ok());
  EXPECT_EQ(router.Find("POST", "/tokens").kind, Router::MatchKind::kNotFound);
  EXPECT_EQ(router.Find("POST", "/token/").kind, Router::MatchKind::kNotFound);
}

TEST(RouterTest, WrongMethodIsMethodNotAllowedWithAllow) {
  Router router;
  ASSERT_TRUE(router.Add("userinfo_get", "GET", "/userinfo", Text("g")).ok());
  ASSERT_TRUE(router.Add("userinfo_post", "POST", "/userinfo", Text("p")).ok());
  const auto match = router.Find("DELETE", "/userinfo");
  EXPECT_EQ(match.kind, Router::MatchKind::kMethodNotAllowed);
  EXPECT_EQ(match.allow, "GET, HEAD, POST");
}

TEST(RouterTest, MethodsAreCaseSensitive) {
  Router router;
  ASSERT_TRUE(router.Add("a", "GET", "/a", Text("a")).ok());
  EXPECT_EQ(router.Find("get", "/a").kind, Router::MatchKind::kMethodNotAllowed);
}

TEST(RouterTest, HeadUsesGetRoute) {
  Router router;
  ASSERT_TRUE(router.Add("a", "GET", "/a", Text("a")).ok());
  const auto match = router.Find("HEAD", "/a");
  ASSERT_EQ(match.kind, Router::MatchKind::kFound);
  EXPECT_EQ(match.route->name, "a");
}

TEST(RouterTest, LongestPrefixWinsAndExactBeatsPrefix) {
  Router router;
  ASSERT_TRUE(router.AddPrefix("static", "GET", "/static/", Text("s")).ok());
  ASSERT_TRUE(router.AddPrefix("tiles", "GET", "/static/tiles/", Text("t")).ok());
  ASSERT_TRUE(router.Add("special", "GET", "/static/special", Text("x")).ok());
  EXPECT_EQ(router.Find("GET", "/static/app.js").route->name, "static");
  EXPECT_EQ(router.Find("GET", "/static/tiles/1/2").route->name, "tiles");
  EXPECT_EQ(router.Find("GET", "/static/special").route->name, "special");
  EXPECT_EQ(router.Find("GET", "/stat").kind, Router::MatchKind::kNotFound);
  EXPECT_EQ(router.Find("POST", "/static/x").kind, Router::MatchKind::kMethodNotAllowed);
}

TEST(RouterTest, RejectsDuplicateRoute) {
  Router router;
  ASSERT_TRUE(router.Add("a", "GET", "/a", Text("a")).ok());
  EXPECT_EQ(router.Add("b", "GET", "/a", Text("b")).reason(), "duplicate_route");
}

TEST(RouterTest, RejectsMalformedRoutes) {
  Router router;
  EXPECT_FALSE(router.Add("", "GET", "/a", Text("a")).ok());
  EXPECT_FALSE(router.Add("a", "G ET", "/a", Text("a")).ok());
  EXPECT_FALSE(router.Add("a", "GET", "a", Text("a")).ok());
  EXPECT_FALSE(router.Add("a", "GET", "/a", Handler()).ok());
  EXPECT_FALSE(router.AddPrefix("p", "GET", "/static", Text("a")).ok());
  RouteOptions bad;
  bad.content_security_policy = "default-src 'none'\r\nX: y";
  EXPECT_FALSE(router.Add("a", "GET", "/a", Text("a"), bad).ok());
}

TEST(RouterTest, RouteIndicesAreDense) {
  Router router;
  ASSERT_TRUE(router.Add("a", "GET", "/a", Text("a")).ok());
  ASSERT_TRUE(router.AddPrefix("b", "GET", "/b/", Text("b")).ok());
  ASSERT_EQ(router.routes().size(), 2u);
  EXPECT_EQ(router.routes()[0]->index, 0u);
  EXPECT_EQ(router.routes()[1]->index, 1u);
}

}  // namespace
}  // namespace accord::http
