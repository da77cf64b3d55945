#include <gtest/gtest.h>

#include "oidc/connectors/connector.h"

namespace accord::oidc::connectors {
namespace {

PendingLogin Make() {
  PendingLogin p;
  p.upstream_id = "sandbox-sg";
  p.state = "s";
  p.nonce = "n";
  p.code_verifier = "v";
  return p;
}

TEST(PendingLoginTest, RoundTrips) {
  PendingLogin p = Make();
  p.dpop_private_jwk = "{\"kty\":\"EC\"}";
  p.created_at = 1700000000;
  auto back = PendingLogin::FromJson(p.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->upstream_id, "sandbox-sg");
  EXPECT_EQ(back->state, "s");
  EXPECT_EQ(back->nonce, "n");
  EXPECT_EQ(back->code_verifier, "v");
  EXPECT_EQ(back->dpop_private_jwk, "{\"kty\":\"EC\"}");
  EXPECT_EQ(back->created_at, 1700000000);
}

TEST(PendingLoginTest, DpopKeyIsOptional) {
  PendingLogin p = Make();
  auto back = PendingLogin::FromJson(p.ToJson());
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->dpop_private_jwk.empty());
}

TEST(PendingLoginTest, RejectsMissingState) {
  auto r = PendingLogin::FromJson(
      R"({"upstream_id":"u","nonce":"n","code_verifier":"v","created_at":1})");
  EXPECT_EQ(r.status().reason(), "bad_pending_login");
}

TEST(PendingLoginTest, RejectsWrongTypes) {
  auto r = PendingLogin::FromJson(
      R"({"upstream_id":"u","state":1,"nonce":"n","code_verifier":"v","created_at":1})");
  EXPECT_EQ(r.status().reason(), "bad_pending_login");
}

TEST(PendingLoginTest, RejectsDuplicateMembers) {
  auto r = PendingLogin::FromJson(
      R"({"upstream_id":"u","state":"a","state":"b","nonce":"n","code_verifier":"v","created_at":1})");
  EXPECT_EQ(r.status().reason(), "bad_pending_login");
}

TEST(PendingLoginTest, RejectsNotJson) {
  EXPECT_EQ(PendingLogin::FromJson("nope").status().reason(), "bad_pending_login");
}

}  // namespace
}  // namespace accord::oidc::connectors
