#include "oidc/provider/authenticator.h"

#include <gtest/gtest.h>

namespace accord::oidc {
namespace {

TEST(SandboxAuthenticatorTest, LoadsShippedPeopleFile) {
  auto a = SandboxAuthenticator::FromFile(std::string(ACCORD_SOURCE_DIR) +
                                          "/data/people/sandbox-people.json");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_GE((*a)->people().size(), 2u);
}

TEST(SandboxAuthenticatorTest, MissingFieldNamesTheEntry) {
  auto a = SandboxAuthenticator::FromJson(R"({"people":[{"id":"a","given_name":"A"}]})");
  EXPECT_EQ(a.status().reason(), "bad_people");
  EXPECT_EQ(a.status().message(), "people[0].family_name: must be a non-empty string (at most 200 bytes)");
}

TEST(SandboxAuthenticatorTest, DuplicateIdRejected) {
  std::string p = R"({"id":"a","given_name":"A","family_name":"B","birthdate":"2000-01-01","nationality":"GBR"})";
  auto a = SandboxAuthenticator::FromJson("{\"people\":[" + p + "," + p + "]}");
  EXPECT_EQ(a.status().message(), "people[1].id: duplicate id");
}

TEST(SandboxAuthenticatorTest, CompleteAcceptsListedPersonOnly) {
  auto a = SandboxAuthenticator::FromJson(
      R"({"people":[{"id":"a","given_name":"A<b>","family_name":"B","birthdate":"2000-01-01","nationality":"GBR"}]})");
  ASSERT_TRUE(a.ok());
  http::Params ok;
  ok.Add("person", "a");
  auto user = (*a)->Complete(ok);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->subject, "a");
  EXPECT_EQ(user->acr, SandboxAuthenticator::kAcr);
  http::Params bad;
  bad.Add("person", "z");
  EXPECT_EQ((*a)->Complete(bad).status().reason(), "login_failed");
  EXPECT_NE((*a)->RenderLoginFields().find("A&lt;b&gt;"), std::string::npos);
}

}  // namespace
}  // namespace accord::oidc
