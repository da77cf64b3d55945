#include "oidc/connectors/dpop_key_handover.h"

#include <gtest/gtest.h>

#include "crypto/secret.h"
#include "oidc/connectors/request_signing.h"

namespace accord::oidc::connectors {
namespace {

struct Generated {
  jose::Jwk key;
  std::string text;
};

Generated NewKey() {
  jose::Jwk key = NewDpopKey().value();
  crypto::SecretBytes secret = key.ToPrivateJson().value();
  return {key, std::string(AsStringView(secret.view()))};
}

TEST(DpopKeyHandoverTest, TakeReturnsTheKeyPutForThatTextOnce) {
  DpopKeyHandover handover;
  Generated g = NewKey();
  handover.Put(g.text, g.key, 1000, 0);
  std::optional<jose::Jwk> taken = handover.Take(g.text, 1);
  ASSERT_TRUE(taken.has_value());
  EXPECT_TRUE(taken->public_key().Equals(g.key.public_key()));
  ASSERT_TRUE(taken->has_private_key());
  EXPECT_FALSE(handover.Take(g.text, 1).has_value());
}

TEST(DpopKeyHandoverTest, OtherTextFindsNothing) {
  DpopKeyHandover handover;
  Generated g = NewKey();
  handover.Put(g.text, g.key, 1000, 0);
  std::string altered = g.text;
  altered.back() = ' ';
  EXPECT_FALSE(handover.Take(altered, 1).has_value());
  EXPECT_FALSE(handover.Take(NewKey().text, 1).has_value());
}

TEST(DpopKeyHandoverTest, ExpiredKeyIsDropped) {
  DpopKeyHandover handover;
  Generated g = NewKey();
  handover.Put(g.text, g.key, 100, 0);
  EXPECT_FALSE(handover.Take(g.text, 100).has_value());
  EXPECT_EQ(handover.size(), 0u);
}

TEST(DpopKeyHandoverTest, StaysWithinItsBound) {
  DpopKeyHandover handover;
  Generated g = NewKey();
  for (size_t i = 0; i < kMaxDpopHandovers + 8; ++i) {
    handover.Put(g.text + std::to_string(i), g.key, 1000, 0);
  }
  EXPECT_LE(handover.size(), kMaxDpopHandovers);
  // The oldest were evicted, the newest is still there.
  EXPECT_FALSE(handover.Take(g.text + "0", 1).has_value());
  EXPECT_TRUE(handover.Take(g.text + std::to_string(kMaxDpopHandovers + 7), 1).has_value());
}

}  // namespace
}  // namespace accord::oidc::connectors
