#include "datasec/log.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "common/json.h"
#include "common/testing/temp_dir.h"

namespace accord::datasec {
namespace {

template <typename T>
concept Streamable = requires(std::ostream& o, const T& t) { o << t; };

enum class Outcome { kOk = 0, kDenied = 2 };

// The redaction layer is enforced by the type system: these are compile-time facts.
static_assert(!kIsLoggable<PersonalData<std::string>>);
static_assert(!kIsLoggable<const PersonalData<std::string>&>);
static_assert(!kIsLoggable<PersonalData<int>>);
static_assert(!kIsLoggable<std::string>);
static_assert(!kIsLoggable<std::string_view>);
static_assert(!kIsLoggable<const char*>);
static_assert(kIsLoggable<int>);
static_assert(kIsLoggable<Outcome>);
static_assert(kIsLoggable<Id>);
static_assert(!Streamable<PersonalData<std::string>>);
static_assert(!fmt::is_formattable<PersonalData<std::string>>::value);
static_assert(!std::is_convertible_v<PersonalData<std::string>, std::string>);
static_assert(!std::is_convertible_v<std::string, Id>);

TEST(LogTest, TraitsHold) {
  EXPECT_TRUE(kIsPersonalData<PersonalData<std::string>>);
  EXPECT_FALSE(kIsLoggable<PersonalData<std::string>>);
}

TEST(LogTest, FormatsOneJsonObject) {
  FixedClock clock(1700000000);
  Logger logger(stderr, false, &clock);
  Status denied = PermissionDenied("attribute x not released", "placement_denied");
  std::string line = logger.Format(
      LogLevel::kWarning, "release_denied",
      {{"client_id", Id("sg-mom-employment-pass")}, {"count", 3}, {"ok", false},
       {"outcome", Outcome::kDenied}, {"ratio", 0.5}, {"status", denied}, {"kind", Literal("x")}});
  auto obj = ParseJsonObject(line);
  ASSERT_TRUE(obj.ok()) << line;
  EXPECT_EQ(obj->at("event").as_string(), "release_denied");
  EXPECT_EQ(obj->at("level").as_string(), "warning");
  EXPECT_EQ(obj->at("ts_ms").as_int64(), 1700000000000);
  EXPECT_EQ(obj->at("client_id").as_string(), "sg-mom-employment-pass");
  EXPECT_EQ(obj->at("count").as_int64(), 3);
  EXPECT_EQ(obj->at("outcome").as_int64(), 2);
  EXPECT_EQ(obj->at("status").at("reason").as_string(), "placement_denied");
  // Status messages are not logged (only code and reason).
  EXPECT_EQ(line.find("not released"), std::string::npos);
}

TEST(LogTest, InvalidIdentifierIsNotEchoed) {
  FixedClock clock(1);
  Logger logger(stderr, false, &clock);
  std::string line = logger.Format(LogLevel::kInfo, "x", {{"who", Id("Ada Testwright")}});
  EXPECT_EQ(line.find("Ada"), std::string::npos);
  EXPECT_NE(line.find("[invalid]"), std::string::npos);
}

TEST(LogTest, ReservedKeysCannotBeOverwritten) {
  FixedClock clock(1);
  Logger logger(stderr, false, &clock);
  std::string line = logger.Format(LogLevel::kInfo, "real", {{"event", Literal("fake")}});
  EXPECT_EQ(line.find("fake"), std::string::npos);
  EXPECT_TRUE(ParseJsonObject(line).ok());
}

TEST(LogTest, WritesLinesToFileAndFiltersLevel) {
  FixedClock clock(5);
  ::accord::testing::TempDir dir("accord-log-test-");
  std::string path = dir.File("log.jsonl");
  {
    auto logger = Logger::ToFile(path, &clock, LogLevel::kInfo);
    ASSERT_TRUE(logger.ok());
    (*logger)->Debug("hidden");
    (*logger)->Info("one", {{"n", 1}});
    (*logger)->Error("two");
  }
  std::FILE* f = std::fopen(path.c_str(), "r");
  ASSERT_NE(f, nullptr);
  char buf[4096];
  size_t n = std::fread(buf, 1, sizeof(buf), f);
  std::fclose(f);
  std::string text(buf, n);
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  std::istringstream in(text);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    EXPECT_TRUE(ParseJsonObject(line).ok()) << line;
    ++lines;
  }
  EXPECT_EQ(lines, 2);
}

TEST(LogTest, PersonalDataRevealIsExplicit) {
  PersonalData<std::string> p("Ada");
  EXPECT_EQ(p.reveal(), "Ada");
}

}  // namespace
}  // namespace accord::datasec
