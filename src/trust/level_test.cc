#include "trust/level.h"

#include <gtest/gtest.h>

namespace accord::trust {
namespace {

TEST(LevelTest, NamesRoundTrip) {
  for (Level l : {Level::kNone, Level::kLow, Level::kSubstantial, Level::kHigh}) {
    auto parsed = ParseLevelName(LevelName(l));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, l);
  }
  EXPECT_EQ(LevelName(Level::kSubstantial), "substantial");
}

TEST(LevelTest, UnknownNameIsRejected) {
  EXPECT_FALSE(ParseLevelName("medium").has_value());
  EXPECT_FALSE(ParseLevelName("").has_value());
  EXPECT_FALSE(ParseLevelName("Substantial").has_value());
}

TEST(LevelTest, EidasUrisRoundTrip) {
  EXPECT_EQ(EidasUri(Level::kLow), "http://eidas.europa.eu/LoA/low");
  EXPECT_EQ(EidasUri(Level::kSubstantial), "http://eidas.europa.eu/LoA/substantial");
  EXPECT_EQ(EidasUri(Level::kHigh), "http://eidas.europa.eu/LoA/high");
  EXPECT_EQ(EidasUri(Level::kNone), "");
  for (Level l : {Level::kLow, Level::kSubstantial, Level::kHigh}) {
    EXPECT_EQ(LevelFromEidasUri(EidasUri(l)), l);
  }
}

TEST(LevelTest, NonEidasUriIsRejected) {
  EXPECT_FALSE(LevelFromEidasUri("").has_value());
  EXPECT_FALSE(LevelFromEidasUri("https://eidas.europa.eu/LoA/high").has_value());
  EXPECT_FALSE(LevelFromEidasUri("urn:singpass:authentication:loa:3").has_value());
}

TEST(LevelTest, SatisfiesIsAtLeast) {
  EXPECT_TRUE(Satisfies(Level::kHigh, Level::kSubstantial));
  EXPECT_TRUE(Satisfies(Level::kSubstantial, Level::kSubstantial));
  EXPECT_FALSE(Satisfies(Level::kLow, Level::kSubstantial));
  EXPECT_FALSE(Satisfies(Level::kNone, Level::kLow));
  EXPECT_TRUE(Satisfies(Level::kNone, Level::kNone));
}

}  // namespace
}  // namespace accord::trust
