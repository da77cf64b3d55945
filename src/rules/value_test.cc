#include "rules/value.h"

#include <gtest/gtest.h>

#include <cmath>

namespace accord::rules {
namespace {

TEST(ValueTest, TruthinessTreatsEmptyArrayAsFalse) {
  EXPECT_FALSE(Truthy(Value::Array(nullptr, 0)));
  EXPECT_FALSE(Truthy(Value::String("")));
  EXPECT_TRUE(Truthy(Value::String("0")));
  EXPECT_FALSE(Truthy(Value::Number(0)));
  EXPECT_FALSE(Truthy(Value::Number(std::nan(""))));
  EXPECT_FALSE(Truthy(Value::Null()));
}

TEST(ValueTest, StringToNumberFollowsJavaScript) {
  EXPECT_EQ(StringToNumber(""), 0);
  EXPECT_EQ(StringToNumber("  12 "), 12);
  EXPECT_EQ(StringToNumber("0x1f"), 31);
  EXPECT_EQ(StringToNumber("-1.5e3"), -1500);
  EXPECT_TRUE(std::isinf(StringToNumber("Infinity")));
  EXPECT_TRUE(std::isnan(StringToNumber("12px")));
  EXPECT_TRUE(std::isnan(StringToNumber("1e")));
  EXPECT_EQ(StringToNumber(".5"), 0.5);
  EXPECT_TRUE(std::isinf(StringToNumber("1e999")));
}

TEST(ValueTest, ParseFloatTakesLongestPrefix) {
  EXPECT_EQ(ParseFloat(Value::String("12px")), 12);
  EXPECT_TRUE(std::isnan(ParseFloat(Value::Null())));
  EXPECT_TRUE(std::isnan(ParseFloat(Value::Bool(true))));
  EXPECT_EQ(ParseFloat(Value::String(" 3.5e1x")), 35);
}

TEST(ValueTest, NumberFormattingMatchesJavaScript) {
  EXPECT_EQ(ToJsString(Value::Number(1)), "1");
  EXPECT_EQ(ToJsString(Value::Number(0.5)), "0.5");
  EXPECT_EQ(ToJsString(Value::Number(-0.000001)), "-0.000001");
  EXPECT_EQ(ToJsString(Value::Number(1e-7)), "1e-7");
  EXPECT_EQ(ToJsString(Value::Number(1e21)), "1e+21");
  EXPECT_EQ(ToJsString(Value::Number(123456789012345680000.0)), "123456789012345680000");
  EXPECT_EQ(ToJsString(Value::Number(0.1 + 0.2)), "0.30000000000000004");
  EXPECT_EQ(ToJsString(Value::Number(std::nan(""))), "NaN");
}

TEST(ValueTest, LooseEqualityCoerces) {
  EXPECT_TRUE(LooseEquals(Value::Number(1), Value::String("1")));
  EXPECT_TRUE(LooseEquals(Value::Bool(true), Value::String("1")));
  EXPECT_FALSE(LooseEquals(Value::Null(), Value::Number(0)));
  EXPECT_TRUE(LooseEquals(Value::Null(), Value::Null()));
  Value one[] = {Value::Number(1)};
  EXPECT_TRUE(LooseEquals(Value::Array(one, 1), Value::Number(1)));
  EXPECT_FALSE(StrictEquals(Value::Number(1), Value::String("1")));
}

TEST(ValueTest, RelationalComparesStringsLexicographically) {
  EXPECT_EQ(LessThan(Value::String("10"), Value::String("9")), true);
  EXPECT_EQ(LessThan(Value::String("10"), Value::Number(9)), false);
  EXPECT_EQ(LessThan(Value::String("abc"), Value::Number(9)), std::nullopt);
  EXPECT_EQ(LessThan(Value::Null(), Value::Number(1)), true);
}

TEST(ValueTest, ToJsonKeepsIntegersAndNullsNonFinite) {
  EXPECT_EQ(ToJson(Value::Number(3)), boost::json::value(3));
  EXPECT_EQ(ToJson(Value::Number(0.5)), boost::json::value(0.5));
  EXPECT_TRUE(ToJson(Value::Number(1.0 / 0.0)).is_null());
}

}  // namespace
}  // namespace accord::rules
