#include "datasec/log_scanner.h"

#include <gtest/gtest.h>

#include "common/base64url.h"

namespace accord::datasec {
namespace {

constexpr char kPeople[] = R"({"people":[
  {"id":"p1","given_name":"Ada Mary","family_name":"Testwright","birthdate":"1987-04-12",
   "email":"ada.testwright@example.com","phone_number":"+447700900101"},
  {"id":"p2","given_name":"Mei Ling","family_name":"Sampleton","identity_number":"S9400228A"}]})";

LogScanner MakeScanner() {
  LogScanner s;
  EXPECT_TRUE(s.AddPeople(kPeople, "people.json").ok());
  return s;
}

TEST(LogScannerTest, CleanLogHasNoFindings) {
  auto f = MakeScanner().ScanText(
      R"({"event":"login","client_id":"sg-mom-employment-pass","adapter":"testwrightly"})", "log");
  EXPECT_TRUE(f.empty());
}

TEST(LogScannerTest, FindsPlainNameCaseInsensitively) {
  auto f = MakeScanner().ScanText("{\"x\":\"TESTWRIGHT\"}\nok\n", "a.log");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].person_id, "p1");
  EXPECT_EQ(f[0].field, "family_name");
  EXPECT_EQ(f[0].line, 1);
  EXPECT_EQ(f[0].form, "text");
}

TEST(LogScannerTest, FindsBirthdateAndIdentityNumber) {
  auto s = MakeScanner();
  EXPECT_FALSE(s.ScanText("dob=1987-04-12", "l").empty());
  EXPECT_FALSE(s.ScanText("dob=19870412", "l").empty());
  EXPECT_FALSE(s.ScanText("nric S9400228A", "l").empty());
  EXPECT_FALSE(s.ScanText("tel 447700900101", "l").empty());
}

TEST(LogScannerTest, FindsUrlEncodedForms) {
  auto s = MakeScanner();
  EXPECT_FALSE(s.ScanText("q=Mei%20Ling", "l").empty());
  EXPECT_FALSE(s.ScanText("q=Mei+Ling", "l").empty());
  EXPECT_FALSE(s.ScanText("login_hint=ada.testwright%40example.com", "l").empty());
}

TEST(LogScannerTest, FindsBase64UrlAtEveryAlignment) {
  auto s = MakeScanner();
  for (std::string prefix : {"", "x", "xy", "xyz"}) {
    std::string payload = prefix + R"({"family_name":"Sampleton"})";
    std::string enc = Base64UrlEncode(AsBytes(payload));
    auto f = s.ScanText("token=" + enc, "l");
    ASSERT_FALSE(f.empty()) << prefix;
    EXPECT_EQ(f[0].form, "base64url");
  }
  std::string std_enc = Base64Encode(AsBytes(std::string("~~>Testwright")));
  EXPECT_FALSE(s.ScanText(std_enc, "l").empty());
}

TEST(LogScannerTest, LoadsShippedPeople) {
  auto s = LogScanner::LoadPeople(ACCORD_SOURCE_DIR "/data/people");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_GT(s->needle_count(), 50u);
  EXPECT_FALSE(s->ScanText("Fictionley", "l").empty());
}

TEST(LogScannerTest, BadPeopleFileNamesSource) {
  LogScanner s;
  Status st = s.AddPeople("{\"people\":3}", "bad.json");
  EXPECT_NE(st.message().find("bad.json"), std::string::npos);
}

}  // namespace
}  // namespace accord::datasec
