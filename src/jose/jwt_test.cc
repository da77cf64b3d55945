#include "jose/jwt.h"

#include <gtest/gtest.h>

#include "common/base64url.h"
#include "jose/test_util.h"

namespace accord::jose {
namespace {

using crypto::SignatureAlgorithm;
using boost::json::object;

constexpr int64_t kNow = 1'700'000'000;

JwtValidator::Builder Basic(const Clock& clock) {
  JwtValidator::Builder b;
  b.ExpectIssuer("https://issuer.example").ExpectAudience("client-1").ExpectTypeHeader("JWT");
  b.SetClock(clock);
  return b;
}

object Claims(int64_t exp = kNow + 600) {
  return object{{"iss", "https://issuer.example"}, {"aud", "client-1"}, {"sub", "user"},
                {"exp", exp}, {"iat", kNow}};
}

object TypJwt() { return object{{"typ", "JWT"}}; }

std::string_view Reason(const Status& s) { return s.reason(); }

// ---- Builder ----

TEST(JwtValidatorBuilderTest, RejectsContradictions) {
  EXPECT_EQ(JwtValidator::Builder().ExpectIssuer("a").IgnoreIssuer().Build().status().reason(),
            "bad_validator");
  EXPECT_EQ(
      JwtValidator::Builder().ExpectAudience("a").IgnoreAudiences().Build().status().reason(),
      "bad_validator");
  EXPECT_EQ(
      JwtValidator::Builder().ExpectTypeHeader("JWT").IgnoreTypeHeader().Build().status().reason(),
      "bad_validator");
}

TEST(JwtValidatorBuilderTest, RejectsEmptyExpectations) {
  EXPECT_FALSE(JwtValidator::Builder().ExpectIssuer("").Build().ok());
}

TEST(JwtValidatorBuilderTest, BoundsClockSkew) {
  EXPECT_FALSE(JwtValidator::Builder().SetClockSkewSeconds(301).Build().ok());
  EXPECT_FALSE(JwtValidator::Builder().SetClockSkewSeconds(-1).Build().ok());
  EXPECT_TRUE(JwtValidator::Builder().SetClockSkewSeconds(300).Build().ok());
}

TEST(JwtValidatorBuilderTest, RejectsNonPositiveMaxAge) {
  EXPECT_FALSE(JwtValidator::Builder().SetMaxAgeSeconds(0).Build().ok());
}

// ---- Time boundaries (default skew 60 s) ----

TEST(JwtValidatorTest, ExpiryBoundary) {
  FixedClock clock(kNow);
  auto v = Basic(clock).Build();
  ASSERT_TRUE(v.ok());
  // exp = now - 59: now < exp + skew -> valid.
  EXPECT_TRUE(v->Validate(TypJwt(), Claims(kNow - 59)).ok());
  // exp = now - 60: now >= exp + skew -> expired, exactly at the boundary.
  Status s = v->Validate(TypJwt(), Claims(kNow - 60));
  EXPECT_EQ(Reason(s), "token_expired");
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
}

TEST(JwtValidatorTest, NotBeforeBoundary) {
  FixedClock clock(kNow);
  auto v = Basic(clock).Build();
  object c = Claims();
  c["nbf"] = kNow + 60;  // now + skew == nbf: valid
  EXPECT_TRUE(v->Validate(TypJwt(), c).ok());
  c["nbf"] = kNow + 61;  // now + skew < nbf: not yet valid
  EXPECT_EQ(Reason(v->Validate(TypJwt(), c)), "token_not_yet_valid");
}

TEST(JwtValidatorTest, ZeroSkewBoundary) {
  FixedClock clock(kNow);
  auto v = Basic(clock).SetClockSkewSeconds(0).Build();
  EXPECT_EQ(Reason(v->Validate(TypJwt(), Claims(kNow))), "token_expired");
  EXPECT_TRUE(v->Validate(TypJwt(), Claims(kNow + 1)).ok());
}

TEST(JwtValidatorTest, IssuedInTheFuture) {
  FixedClock clock(kNow);
  auto v = Basic(clock).Build();
  object c = Claims();
  c["iat"] = kNow + 61;
  EXPECT_EQ(Reason(v->Validate(TypJwt(), c)), "iat_in_future");
  c["iat"] = kNow + 60;
  EXPECT_TRUE(v->Validate(TypJwt(), c).ok());
}

TEST(JwtValidatorTest, MaxAge) {
  FixedClock clock(kNow);
  auto v = Basic(clock).SetMaxAgeSeconds(300).Build();
  object c = Claims();
  c["iat"] = kNow - 359;
  EXPECT_TRUE(v->Validate(TypJwt(), c).ok());
  c["iat"] = kNow - 360;
  EXPECT_EQ(Reason(v->Validate(TypJwt(), c)), "token_too_old");
  c.erase("iat");
  EXPECT_EQ(Reason(v->Validate(TypJwt(), c)), "missing_iat");
}

TEST(JwtValidatorTest, ExpRequiredByDefault) {
  FixedClock clock(kNow);
  object c = Claims();
  c.erase("exp");
  EXPECT_EQ(Reason(Basic(clock).Build()->Validate(TypJwt(), c)), "missing_exp");
  EXPECT_TRUE(Basic(clock).AllowMissingExpirationUnsafe().Build()->Validate(TypJwt(), c).ok());
}

TEST(JwtValidatorTest, FractionalNumericDate) {
  FixedClock clock(kNow);
  object c = Claims();
  c["exp"] = static_cast<double>(kNow - 60) + 0.5;  // now < exp + skew
  EXPECT_TRUE(Basic(clock).Build()->Validate(TypJwt(), c).ok());
}

TEST(JwtValidatorTest, NonNumericExpIsBadClaim) {
  FixedClock clock(kNow);
  object c = Claims();
  c["exp"] = "tomorrow";
  EXPECT_EQ(Reason(Basic(clock).Build()->Validate(TypJwt(), c)), "bad_claim");
}

// ---- iss, aud, typ, jti ----

TEST(JwtValidatorTest, WrongIssuer) {
  FixedClock clock(kNow);
  object c = Claims();
  c["iss"] = "https://evil.example";
  EXPECT_EQ(Reason(Basic(clock).Build()->Validate(TypJwt(), c)), "wrong_issuer");
}

TEST(JwtValidatorTest, UnexpectedIssuerRejectedUnlessIgnored) {
  FixedClock clock(kNow);
  JwtValidator::Builder b;
  b.SetClock(clock).IgnoreAudiences().IgnoreTypeHeader();
  EXPECT_EQ(Reason(b.Build()->Validate(TypJwt(), Claims())), "wrong_issuer");
  EXPECT_TRUE(b.IgnoreIssuer().Build()->Validate(TypJwt(), Claims()).ok());
}

TEST(JwtValidatorTest, WrongAudience) {
  FixedClock clock(kNow);
  object c = Claims();
  c["aud"] = "client-2";
  EXPECT_EQ(Reason(Basic(clock).Build()->Validate(TypJwt(), c)), "wrong_audience");
}

TEST(JwtValidatorTest, AudienceArrayContains) {
  FixedClock clock(kNow);
  object c = Claims();
  c["aud"] = boost::json::array{"other", "client-1"};
  EXPECT_TRUE(Basic(clock).Build()->Validate(TypJwt(), c).ok());
  c["aud"] = boost::json::array{"other"};
  EXPECT_EQ(Reason(Basic(clock).Build()->Validate(TypJwt(), c)), "wrong_audience");
  c["aud"] = boost::json::array{"client-1", 7};
  EXPECT_EQ(Reason(Basic(clock).Build()->Validate(TypJwt(), c)), "bad_claim");
}

TEST(JwtValidatorTest, MissingAudience) {
  FixedClock clock(kNow);
  object c = Claims();
  c.erase("aud");
  EXPECT_EQ(Reason(Basic(clock).Build()->Validate(TypJwt(), c)), "wrong_audience");
}

TEST(JwtValidatorTest, WrongTyp) {
  FixedClock clock(kNow);
  EXPECT_EQ(Reason(Basic(clock).Build()->Validate(object{{"typ", "at+jwt"}}, Claims())),
            "wrong_typ");
  EXPECT_EQ(Reason(Basic(clock).Build()->Validate(object{}, Claims())), "wrong_typ");
}

TEST(JwtValidatorTest, TypComparedCaseInsensitivelyWithOptionalPrefix) {
  EXPECT_TRUE(TypHeaderMatches("JWT", "jwt"));
  EXPECT_TRUE(TypHeaderMatches("at+jwt", "application/at+JWT"));
  EXPECT_TRUE(TypHeaderMatches("application/dpop+jwt", "dpop+jwt"));
  EXPECT_TRUE(TypHeaderMatches("logout+jwt", "Logout+JWT"));
  EXPECT_FALSE(TypHeaderMatches("at+jwt", "jwt"));
  EXPECT_FALSE(TypHeaderMatches("JWT", "application/"));
}

TEST(JwtValidatorTest, RequiredJti) {
  FixedClock clock(kNow);
  auto v = Basic(clock).RequireJwtId().Build();
  EXPECT_EQ(Reason(v->Validate(TypJwt(), Claims())), "missing_jti");
  object c = Claims();
  c["jti"] = "id-1";
  EXPECT_TRUE(v->Validate(TypJwt(), c).ok());
}

// ---- JwtSigner + JwtVerifier ----

class JwtVerifierTest : public ::testing::Test {
 protected:
  FixedClock clock_{kNow};
  Jwk key_ = testing::EcKey(crypto::Curve::kP256, "k1");
  JwtVerifier verifier_ = MakeVerifier();

  JwtVerifier MakeVerifier() {
    JwsVerifyOptions o;
    o.allowed_algs = {SignatureAlgorithm::kEs256};
    return JwtVerifier(*JwsVerifier::Create(key_.PublicOnly(), o), *Basic(clock_).Build());
  }
  // Signs raw claim text (for duplicates and other shapes JwtSigner cannot produce).
  std::string SignRaw(std::string_view claims_json) {
    auto signer = JwsSigner::Create(key_, SignatureAlgorithm::kEs256);
    return *signer->Sign(claims_json, {{"typ", "JWT"}});
  }
};

TEST_F(JwtVerifierTest, SignAndVerify) {
  auto signer = JwtSigner::Create(key_, SignatureAlgorithm::kEs256);
  ASSERT_TRUE(signer.ok());
  object c = Claims();
  c["nonce"] = "n-1";
  c["email_verified"] = true;
  c["address"] = object{{"country", "SG"}};
  auto token = signer->Sign(c);
  ASSERT_TRUE(token.ok());
  auto jwt = verifier_.Verify(*token);
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();
  EXPECT_EQ(jwt->issuer(), "https://issuer.example");
  EXPECT_EQ(jwt->subject(), "user");
  EXPECT_EQ(jwt->audiences(), std::vector<std::string>{"client-1"});
  EXPECT_EQ(jwt->expiration(), kNow + 600);
  EXPECT_EQ(jwt->issued_at(), kNow);
  EXPECT_EQ(jwt->GetString("nonce"), "n-1");
  EXPECT_EQ(jwt->GetBool("email_verified"), true);
  ASSERT_NE(jwt->GetObject("address"), nullptr);
  EXPECT_FALSE(jwt->GetString("email_verified").has_value());
  EXPECT_EQ(jwt->key_id(), "k1");
  EXPECT_EQ(jwt->alg(), SignatureAlgorithm::kEs256);
}

TEST_F(JwtVerifierTest, DuplicateClaimName) {
  auto r = verifier_.Verify(SignRaw(
      R"({"iss":"https://issuer.example","aud":"client-1","exp":1700000600,"sub":"a","sub":"b"})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "duplicate_key");
}

TEST_F(JwtVerifierTest, ClaimsNotAnObject) {
  EXPECT_EQ(verifier_.Verify(SignRaw("[1,2]")).status().reason(), "malformed");
  EXPECT_EQ(verifier_.Verify(SignRaw("not json")).status().reason(), "malformed");
}

TEST_F(JwtVerifierTest, SignatureCheckedBeforeClaims) {
  // An expired token with a bad signature reports the signature.
  auto signer = JwtSigner::Create(testing::EcKey(crypto::Curve::kP256, "k1"),
                                  SignatureAlgorithm::kEs256);
  auto r = verifier_.Verify(*signer->Sign(Claims(kNow - 1000)));
  EXPECT_EQ(r.status().reason(), "bad_signature");
}

TEST_F(JwtVerifierTest, ExpiredTokenRejected) {
  auto signer = JwtSigner::Create(key_, SignatureAlgorithm::kEs256);
  EXPECT_EQ(verifier_.Verify(*signer->Sign(Claims(kNow - 60))).status().reason(),
            "token_expired");
}

TEST_F(JwtVerifierTest, SignerRejectsTypInExtraHeader) {
  auto signer = JwtSigner::Create(key_, SignatureAlgorithm::kEs256);
  EXPECT_EQ(signer->Sign(Claims(), {{"typ", "x"}}).status().reason(), "reserved_header");
}

TEST_F(JwtVerifierTest, VerifyNestedJwt) {
  Jwk enc_key = testing::OkpKey(crypto::Curve::kX25519, "enc-1");
  auto signer = JwtSigner::Create(key_, SignatureAlgorithm::kEs256);
  std::string inner = *signer->Sign(Claims());
  auto encrypter = JweEncrypter::Create(enc_key.PublicOnly(), JweAlg::kEcdhEsA256Kw,
                                        JweEnc::kA256CbcHs512);
  JweHeaderOptions opts;
  opts.cty = "JWT";
  std::string outer = *encrypter->Encrypt(inner, opts);
  JweDecryptOptions o;
  o.allowed_algs = {JweAlg::kEcdhEsA256Kw};
  o.allowed_encs = {JweEnc::kA256CbcHs512};
  auto decrypter = JweDecrypter::Create(enc_key, o);
  auto jwt = verifier_.VerifyNested(*decrypter, outer);
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();
  EXPECT_EQ(jwt->subject(), "user");
}

}  // namespace
}  // namespace accord::jose
