#include "trust/claims_request.h"

#include <gtest/gtest.h>

namespace accord::trust {
namespace {

ClaimsRequest Parse(std::string_view json) {
  auto r = ParseClaimsRequest(json);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : ClaimsRequest{};
}

Status Fail(std::string_view json) {
  auto r = ParseClaimsRequest(json);
  EXPECT_FALSE(r.ok()) << json;
  return r.status();
}

TEST(ClaimsRequestTest, EmptyTextIsAnEmptyRequest) {
  EXPECT_TRUE(Parse("").empty());
  EXPECT_TRUE(Parse("{}").empty());
}

TEST(ClaimsRequestTest, ParsesStandardMembers) {
  auto r = Parse(R"({"userinfo":{"given_name":{"essential":true},"email":null,
                                 "nickname":{"essential":false,"purpose":"To greet you"}},
                     "id_token":{"acr":{"values":["a","b"]},"auth_time":{"value":1}}})");
  ASSERT_EQ(r.userinfo.claims.size(), 3u);
  EXPECT_EQ(r.userinfo.claims[0].name, "given_name");
  EXPECT_TRUE(r.userinfo.claims[0].essential);
  EXPECT_FALSE(r.userinfo.claims[1].essential);
  EXPECT_EQ(r.userinfo.claims[2].purpose, "To greet you");
  ASSERT_EQ(r.id_token.claims.size(), 2u);
  EXPECT_EQ(r.id_token.claims[0].values.size(), 2u);
  EXPECT_EQ(r.id_token.claims[1].values.size(), 1u);
}

TEST(ClaimsRequestTest, IgnoresUnknownTopLevelMembersAndClaimExtensions) {
  auto r = Parse(R"({"extension":{"x":1},"userinfo":{"given_name":{"extension":[1,2]}}})");
  ASSERT_EQ(r.userinfo.claims.size(), 1u);
}

TEST(ClaimsRequestTest, ParsesVerifiedClaimsObject) {
  auto r = Parse(R"({"userinfo":{"verified_claims":{
      "verification":{"trust_framework":{"values":["uk_diatf","eidas"]},
                      "assurance_level":{"value":"medium"},"time":null,"evidence":[{"type":null}]},
      "claims":{"given_name":null,"birthdate":{"essential":true,"purpose":"Check your age"}}}}})");
  ASSERT_EQ(r.userinfo.verified.size(), 1u);
  const auto& v = r.userinfo.verified[0];
  EXPECT_EQ(v.trust_frameworks, (std::vector<std::string>{"uk_diatf", "eidas"}));
  EXPECT_EQ(v.assurance_levels, (std::vector<std::string>{"medium"}));
  ASSERT_EQ(v.claims.size(), 2u);
  EXPECT_EQ(v.claims[1].name, "birthdate");
  EXPECT_TRUE(v.claims[1].essential);
}

TEST(ClaimsRequestTest, ParsesVerifiedClaimsArray) {
  auto r = Parse(R"({"id_token":{"verified_claims":[
      {"verification":{"trust_framework":null},"claims":{"given_name":null}},
      {"verification":{"trust_framework":{"value":"eidas"}},"claims":{"family_name":null}}]}})");
  ASSERT_EQ(r.id_token.verified.size(), 2u);
  EXPECT_TRUE(r.id_token.verified[0].trust_frameworks.empty());
  EXPECT_EQ(r.id_token.verified[1].trust_frameworks, std::vector<std::string>{"eidas"});
}

TEST(ClaimsRequestTest, RejectsMalformedJson) {
  EXPECT_EQ(Fail(R"({"userinfo":)").reason(), "bad_json");
  EXPECT_EQ(Fail(R"({"userinfo":{}, "userinfo":{}})").reason(), "duplicate_key");
}

TEST(ClaimsRequestTest, RejectsNonObjects) {
  EXPECT_FALSE(ParseClaimsRequest("[]").ok());
  EXPECT_FALSE(ParseClaimsRequest("\"x\"").ok());
  EXPECT_EQ(Fail(R"({"userinfo":[]})").reason(), "bad_claims_request");
  EXPECT_EQ(Fail(R"({"id_token":"given_name"})").reason(), "bad_claims_request");
  EXPECT_EQ(Fail(R"({"userinfo":{"given_name":true}})").reason(), "bad_claims_request");
}

TEST(ClaimsRequestTest, RejectsBadMemberTypes) {
  EXPECT_EQ(Fail(R"({"userinfo":{"a":{"essential":"yes"}}})").reason(), "bad_claims_request");
  EXPECT_EQ(Fail(R"({"userinfo":{"a":{"value":1,"values":[1]}}})").reason(), "bad_claims_request");
  EXPECT_EQ(Fail(R"({"userinfo":{"a":{"values":1}}})").reason(), "bad_claims_request");
  EXPECT_EQ(Fail(R"({"userinfo":{"a":{"values":[]}}})").reason(), "bad_claims_request");
  EXPECT_EQ(Fail(R"({"userinfo":{"a":{"purpose":"no"}}})").reason(), "bad_claims_request");
  EXPECT_EQ(Fail(R"({"userinfo":{"a":{"purpose":7}}})").reason(), "bad_claims_request");
}

TEST(ClaimsRequestTest, RejectsBadVerifiedClaims) {
  EXPECT_FALSE(ParseClaimsRequest(R"({"userinfo":{"verified_claims":{"claims":{"a":null}}}})").ok());
  EXPECT_FALSE(ParseClaimsRequest(
      R"({"userinfo":{"verified_claims":{"verification":{},"claims":{}}}})").ok());
  EXPECT_FALSE(ParseClaimsRequest(
      R"({"userinfo":{"verified_claims":{"verification":{}}}})").ok());
  EXPECT_FALSE(ParseClaimsRequest(R"({"userinfo":{"verified_claims":[]}})").ok());
  EXPECT_FALSE(ParseClaimsRequest(R"({"userinfo":{"verified_claims":"x"}})").ok());
  EXPECT_FALSE(ParseClaimsRequest(
      R"({"userinfo":{"verified_claims":{"verification":{"trust_framework":{"value":7}},"claims":{"a":null}}}})").ok());
}

TEST(ClaimsRequestTest, RejectsTooDeep) {
  std::string deep = R"({"userinfo":{"verified_claims":{"verification":{"evidence":)";
  for (int i = 0; i < 10; ++i) deep += "[";
  for (int i = 0; i < 10; ++i) deep += "]";
  deep += R"(},"claims":{"a":null}}}})";
  Status s = Fail(deep);
  EXPECT_EQ(s.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(s.reason(), "too_deep");
}

TEST(ClaimsRequestTest, RejectsTooBig) {
  std::string big = R"({"userinfo":{"a":{"value":")" + std::string(kMaxClaimsRequestBytes, 'x') + "\"}}}";
  Status s = Fail(big);
  EXPECT_EQ(s.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(s.reason(), "too_large");
}

TEST(ClaimsRequestTest, RejectsTooManyClaims) {
  std::string many = R"({"userinfo":{)";
  for (size_t i = 0; i <= kMaxClaimsPerLocation; ++i) {
    if (i > 0) many += ",";
    many += "\"c" + std::to_string(i) + "\":null";
  }
  many += "}}";
  EXPECT_EQ(Fail(many).reason(), "bad_claims_request");
}

TEST(ClaimsRequestTest, ErrorMessageDoesNotEchoValues) {
  Status s = Fail(R"({"userinfo":{"given_name":{"essential":"S0000001I"}}})");
  EXPECT_EQ(s.message().find("S0000001I"), std::string::npos);
  EXPECT_NE(s.message().find("userinfo.given_name"), std::string::npos);
}

}  // namespace
}  // namespace accord::trust
