#include "trust/identity.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace accord::trust {
namespace {

CommonIdentity Sample() {
  CommonIdentity id;
  id.upstream_id = "sandbox-sg";
  id.country = "SGP";
  id.trust_framework = "sg_singpass";
  id.source_name = "Singpass (Accord sandbox)";
  id.source_level = "urn:singpass:authentication:loa:2";
  id.level = Level::kSubstantial;
  id.verification_time = 1767225600;
  id.evidence = {"sg_singpass_government_record"};
  id.attributes["given_name"] = "Mei Ling";
  id.attributes["birthdate"] = "1994-02-28";
  id.attributes["national_identifier"] = "S0000001I";
  id.high_risk = {"national_identifier"};
  return id;
}

TEST(CommonIdentityTest, RoundTripsThroughJson) {
  CommonIdentity id = Sample();
  auto back = CommonIdentity::FromJson(id.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->upstream_id, id.upstream_id);
  EXPECT_EQ(back->country, id.country);
  EXPECT_EQ(back->trust_framework, id.trust_framework);
  EXPECT_EQ(back->source_name, id.source_name);
  EXPECT_EQ(back->source_level, id.source_level);
  EXPECT_EQ(back->level, Level::kSubstantial);
  EXPECT_EQ(back->verification_time, id.verification_time);
  EXPECT_EQ(back->evidence, id.evidence);
  EXPECT_EQ(back->attributes, id.attributes);
  EXPECT_EQ(back->high_risk, id.high_risk);
  EXPECT_EQ(back->ToJson(), id.ToJson());
}

TEST(CommonIdentityTest, RejectsUnknownMember) {
  auto r = CommonIdentity::FromJson(R"({"v":1,"upstream_id":"x","extra":1})");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "bad_identity_json");
}

TEST(CommonIdentityTest, RejectsOtherVersion) {
  EXPECT_FALSE(CommonIdentity::FromJson(R"({"v":2,"upstream_id":"x"})").ok());
  EXPECT_FALSE(CommonIdentity::FromJson(R"({"upstream_id":"x"})").ok());
}

TEST(CommonIdentityTest, RejectsBadLevel) {
  auto r = CommonIdentity::FromJson(R"({"v":1,"upstream_id":"x","level":"medium"})");
  EXPECT_EQ(r.status().reason(), "bad_identity_json");
}

TEST(CommonIdentityTest, RejectsWrongTypes) {
  EXPECT_FALSE(CommonIdentity::FromJson(R"({"v":1,"upstream_id":7})").ok());
  EXPECT_FALSE(CommonIdentity::FromJson(R"({"v":1,"upstream_id":"x","evidence":"a"})").ok());
  EXPECT_FALSE(CommonIdentity::FromJson(R"({"v":1,"upstream_id":"x","attributes":[]})").ok());
  EXPECT_FALSE(CommonIdentity::FromJson(R"({"v":1,"upstream_id":"x","verification_time":-1})").ok());
  EXPECT_FALSE(CommonIdentity::FromJson(R"([1])").ok());
}

TEST(CommonIdentityTest, RequiresUpstream) {
  EXPECT_FALSE(CommonIdentity::FromJson(R"({"v":1})").ok());
}

TEST(CommonIdentityTest, RejectsTooLarge) {
  std::string big = R"({"v":1,"upstream_id":")" + std::string(kMaxIdentityJsonBytes, 'a') + "\"}";
  auto r = CommonIdentity::FromJson(big);
  EXPECT_EQ(r.status().code(), StatusCode::kOutOfRange);
}

TEST(CommonIdentityTest, RejectsTooDeep) {
  std::string deep = R"({"v":1,"upstream_id":"x","attributes":{"a":)";
  for (int i = 0; i < 20; ++i) deep += "[";
  for (int i = 0; i < 20; ++i) deep += "]";
  deep += "}}";
  auto r = CommonIdentity::FromJson(deep);
  EXPECT_EQ(r.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(r.status().reason(), "too_deep");
}

}  // namespace
}  // namespace accord::trust
