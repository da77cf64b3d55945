#include "http/form.h"

#include <boost/url/parse.hpp>
#include <gtest/gtest.h>

#include "http/request.h"

namespace accord::http {
namespace {

TEST(FormTest, ParsesPairsInOrder) {
  auto params = ParseForm("grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fa.example%2Fcb");
  ASSERT_TRUE(params.ok()) << params.status().ToString();
  ASSERT_EQ(params->size(), 3u);
  EXPECT_EQ(*params->Get("grant_type"), "authorization_code");
  EXPECT_EQ(*params->Get("redirect_uri"), "https://a.example/cb");
  EXPECT_EQ(params->begin()->first, "grant_type");
}

TEST(FormTest, PlusIsSpaceAndPercent2BIsPlus) {
  auto params = ParseForm("scope=openid+profile&x=a%2Bb");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(*params->Get("scope"), "openid profile");
  EXPECT_EQ(*params->Get("x"), "a+b");
}

TEST(FormTest, NameWithoutEqualsHasEmptyValue) {
  auto params = ParseForm("flag&a=");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(*params->Get("flag"), "");
  EXPECT_EQ(*params->Get("a"), "");
}

TEST(FormTest, EmptySequencesAreSkipped) {
  auto params = ParseForm("&&a=1&&b=2&");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(params->size(), 2u);
}

TEST(FormTest, EmptyBodyIsNoParams) {
  auto params = ParseForm("");
  ASSERT_TRUE(params.ok());
  EXPECT_TRUE(params->empty());
}

TEST(FormTest, DuplicatesAreKeptAndDetectable) {
  auto params = ParseForm("client_id=a&scope=openid&client_id=b");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(params->Count("client_id"), 2u);
  ASSERT_TRUE(params->FirstDuplicate().has_value());
  EXPECT_EQ(*params->FirstDuplicate(), "client_id");
  auto unique = params->GetUnique("client_id");
  ASSERT_FALSE(unique.ok());
  EXPECT_EQ(unique.status().reason(), "duplicate_parameter");
  EXPECT_EQ(*params->GetUnique("scope"), "openid");
}

TEST(FormTest, GetUniqueReportsMissing) {
  auto params = ParseForm("a=1");
  ASSERT_TRUE(params.ok());
  EXPECT_FALSE(params->FirstDuplicate().has_value());
  EXPECT_EQ(params->GetUnique("b").status().reason(), "missing_parameter");
}

TEST(FormTest, DuplicateDetectedAfterDecoding) {
  auto params = ParseForm("client%5Fid=a&client_id=b");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(params->Count("client_id"), 2u);
}

TEST(FormTest, RejectsBadPercentEncoding) {
  for (const char* body : {"a=%zz", "a=%", "a=%4", "a%=1", "a=1&b=%g0"}) {
    auto params = ParseForm(body);
    ASSERT_FALSE(params.ok()) << body;
    EXPECT_EQ(params.status().reason(), "bad_encoding") << body;
  }
}

TEST(FormTest, RejectsTooManyParams) {
  FormLimits limits;
  limits.max_params = 2;
  auto params = ParseForm("a=1&b=2&c=3", limits);
  ASSERT_FALSE(params.ok());
  EXPECT_EQ(params.status().reason(), "too_large");
}

TEST(FormTest, RejectsTooLargeBody) {
  FormLimits limits;
  limits.max_bytes = 4;
  EXPECT_EQ(ParseForm("abcde", limits).status().reason(), "too_large");
}

TEST(FormTest, EncodeDecodeRoundTrip) {
  const std::string raw = "a b+c&d=e/f\xc3\xa9~";
  EXPECT_EQ(FormEncode(raw), "a+b%2Bc%26d%3De%2Ff%C3%A9~");
  EXPECT_EQ(*FormDecode(FormEncode(raw)), raw);
}

TEST(FormTest, DecodesRunsBetweenEscapesWhole) {
  EXPECT_EQ(*FormDecode("+"), " ");
  EXPECT_EQ(*FormDecode("%41"), "A");
  EXPECT_EQ(*FormDecode("++ab%41%42cd+"), "  abABcd ");
  EXPECT_EQ(*FormDecode(""), "");
  const std::string jwt(700, 'x');  // a client assertion: one run, no escapes
  EXPECT_EQ(*FormDecode(jwt + "%2E" + jwt), jwt + "." + jwt);
  EXPECT_FALSE(FormDecode(jwt + "%2").has_value());
  EXPECT_FALSE(FormDecode("ab%G1").has_value());
}

TEST(FormTest, ContentTypeMatching) {
  EXPECT_TRUE(IsFormContentType("application/x-www-form-urlencoded"));
  EXPECT_TRUE(IsFormContentType("Application/X-WWW-Form-Urlencoded; charset=UTF-8"));
  EXPECT_FALSE(IsFormContentType("application/json"));
  EXPECT_FALSE(IsFormContentType("application/x-www-form-urlencodedx"));
}

TEST(FormTest, RequestFormRequiresContentType) {
  Request request;
  request.body = "a=1";
  EXPECT_EQ(request.Form().status().reason(), "bad_content_type");
  request.headers.Add("content-type", "application/x-www-form-urlencoded");
  ASSERT_TRUE(request.Form().ok());
  EXPECT_EQ(*request.Form()->Get("a"), "1");
}

TEST(FormTest, RequestFormIsParsedOnceAndFollowsChanges) {
  Request request;
  request.headers.Add("Content-Type", "application/x-www-form-urlencoded");
  request.body = "grant_type=client_credentials&scope=a";
  const Result<Params>& first = request.Form();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(&request.Form(), &first) << "the same parse, not a second one";

  // Other limits are another parse: two parameters are too many for max_params = 1.
  EXPECT_EQ(request.Form(FormLimits{.max_bytes = 1024, .max_params = 1}).status().reason(),
            "too_large");
  EXPECT_TRUE(request.Form().ok());

  // A changed body (same size too) is parsed again; what was returned before stays valid.
  request.body = "grant_type=client_credentials&scope=b";
  const Result<Params>& second = request.Form();
  ASSERT_TRUE(second.ok());
  EXPECT_NE(&second, &first);
  EXPECT_EQ(*second->Get("scope"), "b");
  EXPECT_EQ(*first->Get("scope"), "a");

  // Beyond max_bytes only the size matters; a copy of the Request answers the same.
  request.body = std::string(70 * 1024, 'a');
  EXPECT_EQ(request.Form().status().reason(), "too_large");
  const Request copy = request;
  EXPECT_EQ(copy.Form().status().reason(), "too_large");
  request.body = "a=%zz";
  EXPECT_EQ(request.Form().status().reason(), "bad_encoding");
  EXPECT_EQ(copy.Form().status().reason(), "too_large");
}

TEST(TargetTest, SplitsPathAndDecodesQuery) {
  std::string path;
  Params query;
  ASSERT_TRUE(ParseTarget("/authorize?client_id=a%20b&scope=openid+email&x", &path, &query).ok());
  EXPECT_EQ(path, "/authorize");
  EXPECT_EQ(*query.Get("client_id"), "a b");
  EXPECT_EQ(*query.Get("scope"), "openid email");
  EXPECT_EQ(*query.Get("x"), "");
}

TEST(TargetTest, KeepsPathEncoded) {
  std::string path;
  Params query;
  ASSERT_TRUE(ParseTarget("/a%2Fb", &path, &query).ok());
  EXPECT_EQ(path, "/a%2Fb");
}

TEST(TargetTest, DetectsDuplicateQueryParams) {
  std::string path;
  Params query;
  ASSERT_TRUE(ParseTarget("/authorize?state=1&state=2", &path, &query).ok());
  EXPECT_EQ(*query.FirstDuplicate(), "state");
}

TEST(TargetTest, RejectsNonOriginForms) {
  for (const char* target : {"", "*", "http://example.com/", "example.com:443", "/a?b=%zz", "/%"}) {
    std::string path;
    Params query;
    EXPECT_EQ(ParseTarget(target, &path, &query).reason(), "bad_target") << target;
  }
}

// ParseTarget answers plain paths itself and everything else through Boost.URL: both ways must
// agree on what is accepted and on the path, for every one- to three-byte path.
TEST(TargetTest, PlainPathsParseAsBoostUrlParsesThem) {
  const auto check = [](const std::string& target) {
    std::string path;
    Params query;
    const bool ok = ParseTarget(target, &path, &query).ok();
    const auto parsed = boost::urls::parse_origin_form(target);
    ASSERT_EQ(ok, parsed.has_value()) << target;
    if (ok) {
      EXPECT_EQ(path, std::string(parsed->encoded_path())) << target;
    }
  };
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      std::string target = "/";
      target.push_back(static_cast<char>(a));
      target.push_back(static_cast<char>(b));
      check(target);
      check("/%" + target.substr(1));
      target.insert(target.begin() + 2, '/');
      check(target);
    }
  }
  for (const char* target : {"/", "//", "/.well-known/openid-configuration", "/a/../b",
                             "/%41%2f%C3%A9", "/%4", "/%g0", "/a%", "/~user/@x:1;p=2"}) {
    check(target);
  }
}

TEST(TargetTest, RejectsTooManyQueryParams) {
  std::string path;
  Params query;
  EXPECT_FALSE(ParseTarget("/?a=1&b=2&c=3", &path, &query, 2).ok());
}

}  // namespace
}  // namespace accord::http
