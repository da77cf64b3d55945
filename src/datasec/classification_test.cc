#include "datasec/classification.h"

#include <gtest/gtest.h>

namespace accord::datasec {
namespace {

constexpr char kToml[] = R"toml(
[classes.ordinary]
uk = "OFFICIAL"
sg_classification = "Restricted"
sg_sensitivity = "Sensitive (Normal)"
[classes.high_risk]
uk = "OFFICIAL-SENSITIVE"
sg_classification = "Confidential (Cloud-Eligible)"
sg_sensitivity = "Sensitive (High)"
[attributes]
given_name = "ordinary"
national_identifier = "high_risk"
[records]
sessions = "high_risk"
)toml";

TEST(ClassificationTest, NamesRoundTrip) {
  for (auto m : {UkMarking::kOfficial, UkMarking::kOfficialSensitive, UkMarking::kSecret,
                 UkMarking::kTopSecret}) {
    EXPECT_EQ(ParseUkMarking(Name(m)), m);
  }
  for (int i = 0; i <= 6; ++i) {
    auto c = static_cast<SgClassification>(i);
    EXPECT_EQ(ParseSgClassification(Name(c)), c);
  }
  for (int i = 0; i <= 2; ++i) {
    auto s = static_cast<SgSensitivity>(i);
    EXPECT_EQ(ParseSgSensitivity(Name(s)), s);
  }
  EXPECT_FALSE(ParseUkMarking("official").has_value());
  EXPECT_EQ(Name(SgClassification::kConfidentialCloudEligible), "Confidential (Cloud-Eligible)");
}

TEST(ClassificationTest, OrderingFollowsBothSchemes) {
  EXPECT_LT(UkMarking::kOfficial, UkMarking::kOfficialSensitive);
  EXPECT_LT(UkMarking::kOfficialSensitive, UkMarking::kSecret);
  EXPECT_LT(SgClassification::kRestricted, SgClassification::kConfidentialCloudEligible);
  EXPECT_LT(SgClassification::kConfidentialCloudEligible, SgClassification::kConfidential);
  EXPECT_LT(SgSensitivity::kSensitiveNormal, SgSensitivity::kSensitiveHigh);
}

TEST(ClassificationTest, FitsWithinIsPerLabel) {
  Classification ordinary{UkMarking::kOfficial, SgClassification::kRestricted,
                          SgSensitivity::kSensitiveNormal};
  Classification high{UkMarking::kOfficialSensitive, SgClassification::kConfidentialCloudEligible,
                      SgSensitivity::kSensitiveHigh};
  EXPECT_TRUE(ordinary.FitsWithin(high));
  EXPECT_FALSE(high.FitsWithin(ordinary));
  Classification mixed = ordinary;
  mixed.sg_sensitivity = SgSensitivity::kSensitiveHigh;
  EXPECT_FALSE(mixed.FitsWithin(ordinary));
  EXPECT_EQ(Max(ordinary, mixed), mixed);
}

TEST(ClassificationTest, SecretAndAboveAreNationalSecurity) {
  Classification c{UkMarking::kOfficial, SgClassification::kSecret, SgSensitivity::kNonSensitive};
  EXPECT_TRUE(c.IsNationalSecurity());
  c = {UkMarking::kSecret, SgClassification::kOfficialOpen, SgSensitivity::kNonSensitive};
  EXPECT_TRUE(c.IsNationalSecurity());
  c = {UkMarking::kOfficialSensitive, SgClassification::kConfidential, SgSensitivity::kSensitiveHigh};
  EXPECT_FALSE(c.IsNationalSecurity());
}

TEST(ClassificationTest, ClassifiesConfiguredItems) {
  auto t = ClassificationTable::Parse(kToml);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->Classify(ItemKind::kAttribute, "given_name").uk, UkMarking::kOfficial);
  EXPECT_EQ(t->Classify(ItemKind::kAttribute, "national_identifier").sg_sensitivity,
            SgSensitivity::kSensitiveHigh);
  EXPECT_EQ(t->ClassName(ItemKind::kRecord, "sessions"), "high_risk");
}

TEST(ClassificationTest, UnclassifiedIsMostRestrictiveAndReported) {
  auto t = ClassificationTable::Parse(kToml);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->Classify(ItemKind::kAttribute, "health_status"), Classification::MostRestrictive());
  auto list = t->Unclassified();
  EXPECT_NE(std::find(list.begin(), list.end(), "attribute:health_status"), list.end());
  // Record types missing from the file are reported without being asked for.
  EXPECT_NE(std::find(list.begin(), list.end(), "record:consents"), list.end());
  EXPECT_EQ(std::find(list.begin(), list.end(), "record:sessions"), list.end());
}

TEST(ClassificationTest, UnknownClassNamesFileAndKey) {
  auto t = ClassificationTable::Parse(std::string(kToml) + "[attributes2]\n");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("classification.toml: attributes2"), std::string::npos);
  auto u = ClassificationTable::Parse(R"toml(
[classes.a]
uk = "OFFICIAL"
sg_classification = "Restricted"
sg_sensitivity = "Sensitive (Normal)"
[attributes]
birthdate = "ordinaryy"
)toml");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().reason(), "bad_config");
  EXPECT_NE(u.status().message().find("attributes.birthdate"), std::string::npos);
}

TEST(ClassificationTest, BadLabelNamesKey) {
  auto t = ClassificationTable::Parse(R"toml(
[classes.a]
uk = "OFFICIAL SENSITIVE"
sg_classification = "Restricted"
sg_sensitivity = "Sensitive (Normal)"
)toml");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("classes.a.uk"), std::string::npos);
}

TEST(ClassificationTest, SyntaxErrorNamesLine) {
  auto t = ClassificationTable::Parse("[classes\n");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("classification.toml: line 1"), std::string::npos);
}

TEST(ClassificationTest, ShippedConfigClassifiesEveryRecordType) {
  auto t = ClassificationTable::Load(ACCORD_SOURCE_DIR "/data/datasec");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_TRUE(t->Unclassified().empty());
}

}  // namespace
}  // namespace accord::datasec
