#include "oidc/provider/dpop.h"

#include <gtest/gtest.h>

#include "crypto/random.h"
#include "oidc/provider/test_util.h"

namespace accord::oidc {
namespace {

using testing::DpopOptions;

constexpr std::string_view kHtu = "https://op.example/token";

class DpopTest : public ::testing::Test {
 protected:
  DpopOptions Opts() {
    DpopOptions o;
    o.htu = std::string(kHtu);
    o.nonce = verifier_.NewNonce();
    return o;
  }
  Result<DpopProof> Check(const DpopOptions& o,
                          std::optional<std::string_view> at = std::nullopt) {
    return verifier_.Verify(testing::DpopProofJwt(env_.dpop_key, env_.clock, o), "POST", kHtu, at);
  }
  testing::ProviderEnv env_;
  DpopVerifier verifier_{*env_.store, env_.clock, crypto::RandomSecret(32), true};
};

TEST_F(DpopTest, ValidProofGivesThumbprint) {
  auto r = Check(Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->jkt, env_.dpop_key.Thumbprint());
}

TEST_F(DpopTest, HtuQueryIgnored) {
  auto o = Opts();
  o.htu = std::string(kHtu) + "?x=1";
  EXPECT_TRUE(Check(o).ok());
}

TEST_F(DpopTest, WrongTypRejected) {
  auto o = Opts();
  o.typ = "JWT";
  EXPECT_EQ(Check(o).status().reason(), "invalid_dpop_proof");
}

TEST_F(DpopTest, WrongMethodRejected) {
  auto o = Opts();
  o.method = "GET";
  EXPECT_EQ(Check(o).status().reason(), "invalid_dpop_proof");
}

TEST_F(DpopTest, WrongHtuRejected) {
  auto o = Opts();
  o.htu = "https://op.example/par";
  EXPECT_EQ(Check(o).status().reason(), "invalid_dpop_proof");
}

TEST_F(DpopTest, OldProofRejected) {
  auto o = Opts();
  o.iat_offset = -(kDpopMaxAgeSeconds + jose::kDefaultClockSkewSeconds + 1);
  EXPECT_EQ(Check(o).status().reason(), "invalid_dpop_proof");
}

TEST_F(DpopTest, ReplayedJtiRejected) {
  auto o = Opts();
  o.jti = "once";
  ASSERT_TRUE(Check(o).ok());
  EXPECT_EQ(Check(o).status().reason(), "invalid_dpop_proof");
}

TEST_F(DpopTest, MissingNonceAsksForOne) {
  auto o = Opts();
  o.nonce.clear();
  EXPECT_EQ(Check(o).status().reason(), "use_dpop_nonce");
}

TEST_F(DpopTest, StaleNonceAsksForOne) {
  auto o = Opts();
  env_.clock.AdvanceSeconds(kDpopNonceLifetime + 1);
  EXPECT_EQ(Check(o).status().reason(), "use_dpop_nonce");
}

TEST_F(DpopTest, ForgedNonceRejected) {
  auto o = Opts();
  o.nonce[o.nonce.size() - 2] = o.nonce[o.nonce.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Check(o).status().reason(), "use_dpop_nonce");
}

TEST_F(DpopTest, AthMustMatchAccessToken) {
  auto o = Opts();
  o.access_token = "token-a";
  EXPECT_TRUE(Check(o, "token-a").ok());
  auto o2 = Opts();
  o2.access_token = "token-a";
  EXPECT_EQ(Check(o2, "token-b").status().reason(), "invalid_dpop_proof");
}

TEST_F(DpopTest, SignatureByOtherKeyRejected) {
  // Header carries one key, signature made with another.
  std::string proof = testing::DpopProofJwt(env_.dpop_key, env_.clock, Opts());
  std::string other = testing::DpopProofJwt(env_.oidc_key, env_.clock, Opts());
  std::string forged = proof.substr(0, proof.rfind('.')) + other.substr(other.rfind('.'));
  EXPECT_EQ(verifier_.Verify(forged, "POST", kHtu, std::nullopt).status().reason(),
            "invalid_dpop_proof");
}

}  // namespace
}  // namespace accord::oidc
