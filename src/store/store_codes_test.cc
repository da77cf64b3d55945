// Authorization codes and pushed authorization requests on every backend.
#include "store/store_test_env.h"

namespace accord::store::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000;

AuthCode MakeCode(std::string_view label) {
  AuthCode c;
  c.code_hash = H(label);
  c.grant_id = "grant-" + std::string(label);
  c.client_id = "client-a";
  c.subject = "subject-1";
  c.session_id = "sid-1";
  c.redirect_uri = "https://rp.example/cb";
  c.scope = "openid profile";
  c.nonce = "n-0S6";
  c.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  c.dpop_jkt = "jkt-1";
  c.claims_json = R"({"userinfo":{"email":null}})";
  c.auth_time = kNow - 5;
  c.issued_at = kNow;
  c.expires_at = kNow + 60;
  return c;
}

template <typename B>
class CodeTest : public StoreTest<B> {};
TYPED_TEST_SUITE(CodeTest, Backends, BackendNames);

TYPED_TEST(CodeTest, ConsumeReturnsEveryField) {
  const AuthCode code = MakeCode("a");
  ASSERT_TRUE(this->store_->SaveAuthCode(code).ok());
  auto got = this->store_->ConsumeAuthCode(code.code_hash, kNow + 1, nullptr);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->code_hash, code.code_hash);
  EXPECT_EQ(got->grant_id, code.grant_id);
  EXPECT_EQ(got->client_id, code.client_id);
  EXPECT_EQ(got->subject, code.subject);
  EXPECT_EQ(got->session_id, code.session_id);
  EXPECT_EQ(got->redirect_uri, code.redirect_uri);
  EXPECT_EQ(got->scope, code.scope);
  EXPECT_EQ(got->nonce, code.nonce);
  EXPECT_EQ(got->code_challenge, code.code_challenge);
  EXPECT_EQ(got->dpop_jkt, code.dpop_jkt);
  EXPECT_EQ(got->claims_json, code.claims_json);
  EXPECT_EQ(got->auth_time, code.auth_time);
  EXPECT_EQ(got->issued_at, code.issued_at);
  EXPECT_EQ(got->expires_at, code.expires_at);
}

TYPED_TEST(CodeTest, SecondConsumeReportsReuseWithGrantId) {
  const AuthCode code = MakeCode("b");
  ASSERT_TRUE(this->store_->SaveAuthCode(code).ok());
  ASSERT_TRUE(this->store_->ConsumeAuthCode(code.code_hash, kNow + 1, nullptr).ok());
  std::string grant;
  auto again = this->store_->ConsumeAuthCode(code.code_hash, kNow + 2, &grant);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.status().reason(), "code_reused");
  EXPECT_EQ(grant, code.grant_id);
}

TYPED_TEST(CodeTest, ReuseAfterExpiryIsStillReuse) {
  const AuthCode code = MakeCode("c");
  ASSERT_TRUE(this->store_->SaveAuthCode(code).ok());
  ASSERT_TRUE(this->store_->ConsumeAuthCode(code.code_hash, kNow + 1, nullptr).ok());
  auto late = this->store_->ConsumeAuthCode(code.code_hash, kNow + 600, nullptr);
  EXPECT_EQ(late.status().reason(), "code_reused");
}

TYPED_TEST(CodeTest, ExpiredCodeIsRejected) {
  const AuthCode code = MakeCode("d");
  ASSERT_TRUE(this->store_->SaveAuthCode(code).ok());
  std::string grant;
  auto got = this->store_->ConsumeAuthCode(code.code_hash, kNow + 60, &grant);
  EXPECT_EQ(got.status().reason(), "expired");
  EXPECT_TRUE(grant.empty());
}

TYPED_TEST(CodeTest, UnknownCodeIsNotFound) {
  auto got = this->store_->ConsumeAuthCode(H("never"), kNow, nullptr);
  EXPECT_EQ(got.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(got.status().reason(), "not_found");
}

TYPED_TEST(CodeTest, DuplicateCodeIsRejected) {
  const AuthCode code = MakeCode("e");
  ASSERT_TRUE(this->store_->SaveAuthCode(code).ok());
  Status again = this->store_->SaveAuthCode(code);
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.reason(), "duplicate");
}

TYPED_TEST(CodeTest, LifetimeOverSixtySecondsIsRejected) {
  AuthCode code = MakeCode("f");
  code.expires_at = code.issued_at + 61;
  EXPECT_EQ(this->store_->SaveAuthCode(code).reason(), "bad_lifetime");
}

TYPED_TEST(CodeTest, MalformedHashIsRejected) {
  AuthCode code = MakeCode("g");
  code.code_hash = ToBytes("not-a-hash");
  EXPECT_EQ(this->store_->SaveAuthCode(code).reason(), "bad_hash");
  EXPECT_EQ(this->store_->ConsumeAuthCode(Bytes{1, 2}, kNow, nullptr).status().reason(),
            "bad_hash");
}

TYPED_TEST(CodeTest, OversizedAndNulFieldsAreRejected) {
  AuthCode code = MakeCode("h");
  code.client_id = std::string(kMaxIdentifierBytes + 1, 'x');
  EXPECT_EQ(this->store_->SaveAuthCode(code).reason(), "too_large");
  code = MakeCode("h");
  code.nonce = std::string("a\0b", 3);
  EXPECT_EQ(this->store_->SaveAuthCode(code).reason(), "bad_value");
}

PushedRequest MakePar(std::string_view uri) {
  PushedRequest p;
  p.request_uri = std::string(uri);
  p.client_id = "client-a";
  p.params_json = R"({"response_type":"code","scope":"openid"})";
  p.created_at = kNow;
  p.expires_at = kNow + 90;
  return p;
}

TYPED_TEST(CodeTest, PushedRequestIsSingleUse) {
  const PushedRequest par = MakePar("urn:ietf:params:oauth:request_uri:abc");
  ASSERT_TRUE(this->store_->SavePushedRequest(par).ok());
  auto got = this->store_->ConsumePushedRequest(par.request_uri, kNow + 1);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->client_id, par.client_id);
  EXPECT_EQ(got->params_json, par.params_json);
  EXPECT_EQ(got->created_at, par.created_at);
  EXPECT_EQ(got->expires_at, par.expires_at);
  EXPECT_EQ(this->store_->ConsumePushedRequest(par.request_uri, kNow + 2).status().reason(),
            "already_used");
}

TYPED_TEST(CodeTest, PushedRequestExpires) {
  const PushedRequest par = MakePar("urn:ietf:params:oauth:request_uri:exp");
  ASSERT_TRUE(this->store_->SavePushedRequest(par).ok());
  EXPECT_EQ(this->store_->ConsumePushedRequest(par.request_uri, kNow + 90).status().reason(),
            "expired");
  EXPECT_EQ(this->store_->ConsumePushedRequest("urn:none", kNow).status().reason(), "not_found");
}

TYPED_TEST(CodeTest, PushedRequestLifetimeIsBounded) {
  PushedRequest par = MakePar("urn:long");
  par.expires_at = par.created_at + kMaxPushedRequestLifetimeSeconds + 1;
  EXPECT_EQ(this->store_->SavePushedRequest(par).reason(), "bad_lifetime");
  par.expires_at = par.created_at;
  EXPECT_EQ(this->store_->SavePushedRequest(par).reason(), "bad_lifetime");
}

}  // namespace
}  // namespace accord::store::testing
