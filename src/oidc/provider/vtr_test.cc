#include "oidc/provider/vtr.h"

#include <gtest/gtest.h>

namespace accord::oidc {
namespace {

TEST(VtrTest, AbsentMeansClCm) { EXPECT_EQ(*NormalizeVtr(""), "[\"Cl.Cm\"]"); }

TEST(VtrTest, IdentityOnlyVectorImpliesClCm) {
  EXPECT_EQ(*NormalizeVtr("[\"P2\"]"), "[\"Cl.Cm.P2\"]");
}

TEST(VtrTest, FullVectorsKeptInOrder) {
  EXPECT_EQ(*NormalizeVtr("[\"Cl.Cm.P2\",\"Cl.Cm\"]"), "[\"Cl.Cm.P2\",\"Cl.Cm\"]");
  EXPECT_EQ(*NormalizeVtr("[\"Cl\"]"), "[\"Cl\"]");
}

TEST(VtrTest, ParsesCredentialAndIdentityParts) {
  auto v = ParseTrustVector("Cl.Cm.P2");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->credential, "Cl.Cm");
  EXPECT_EQ(v->identity, "P2");
}

TEST(VtrTest, P2WithoutSecondFactorRejected) {
  auto v = NormalizeVtr("[\"Cl.P2\"]");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().reason(), "invalid_request");
}

TEST(VtrTest, UnknownComponentRejected) { EXPECT_FALSE(NormalizeVtr("[\"Cl.Cm.P9\"]").ok()); }

TEST(VtrTest, ComponentsOutOfOrderRejected) {
  EXPECT_FALSE(NormalizeVtr("[\"Cm.Cl\"]").ok());
  EXPECT_FALSE(NormalizeVtr("[\"P2.Cl.Cm\"]").ok());
  EXPECT_FALSE(NormalizeVtr("[\"Cl.Cl\"]").ok());
}

TEST(VtrTest, EmptyComponentRejected) {
  EXPECT_FALSE(NormalizeVtr("[\"Cl..Cm\"]").ok());
  EXPECT_FALSE(NormalizeVtr("[\"\"]").ok());
}

TEST(VtrTest, NotAJsonArrayOfStringsRejected) {
  EXPECT_FALSE(NormalizeVtr("Cl.Cm").ok());
  EXPECT_FALSE(NormalizeVtr("\"Cl.Cm\"").ok());
  EXPECT_FALSE(NormalizeVtr("[1]").ok());
  EXPECT_FALSE(NormalizeVtr("[[\"Cl\"]]").ok());
  EXPECT_FALSE(NormalizeVtr("[]").ok());
}

TEST(VtrTest, TooManyVectorsRejected) {
  EXPECT_FALSE(NormalizeVtr("[\"Cl\",\"Cl\",\"Cl\",\"Cl\",\"Cl\"]").ok());
}

TEST(VtrTest, OversizedInputRejected) {
  std::string big = "[\"" + std::string(300, 'C') + "\"]";
  EXPECT_FALSE(NormalizeVtr(big).ok());
}

}  // namespace
}  // namespace accord::oidc
