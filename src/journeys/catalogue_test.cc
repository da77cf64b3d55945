#include "journeys/catalogue.h"

#include <gtest/gtest.h>

#include "journeys/test_util.h"

namespace accord::journeys {
namespace {

using testing::ServiceFile;
using testing::Vocabulary;

TEST(CatalogueTest, RepositoryCatalogueLoads) {
  auto c = Catalogue::Load(testing::DataDir());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  int gb = 0, sg = 0;
  for (const auto& s : c->services()) (s.country == "GB" ? gb : sg)++;
  EXPECT_GE(gb, 12);
  EXPECT_GE(sg, 12);
  for (const char* id : {"uk-to-sg-work", "sg-to-uk-study", "baby-sg", "baby-uk", "business-uk",
                         "business-sg", "leaving-uk", "after-death-uk"}) {
    EXPECT_NE(c->FindEvent(id), nullptr) << id;
  }
  const Service* ep = c->FindService("sg-employment-pass");
  ASSERT_NE(ep, nullptr);
  EXPECT_EQ(ep->checked, "2026-11");
  EXPECT_EQ(ep->url, "https://www.mom.gov.sg/passes-and-permits/employment-pass");
  EXPECT_TRUE(c->FindService("sg-one-pass")->verify);
}

TEST(CatalogueTest, UnknownOperatorNamesFileAndPath) {
  auto c = Catalogue::Build(Vocabulary(),
                            {ServiceFile("sg-employment-pass",
                                         R"({"and": [true, {"<<": [1, 2]}]})")}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "data/services/sg-employment-pass.json: $.eligibility.and[1]: unknown operator \"<<\"");
}

TEST(CatalogueTest, WrongArityNamesPath) {
  auto c = Catalogue::Build(Vocabulary(), {ServiceFile("x", R"({"and": [{"!": [1, 2]}]})")}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("data/services/x.json: $.eligibility.and[0]['!']: operator \"!\" takes 1"),
            std::string::npos)
      << c.status().message();
}

TEST(CatalogueTest, MalformedJsonNamesFile) {
  auto c = Catalogue::Build(Vocabulary(), {CatalogueFile{"data/services/bad.json", "{\"id\": "}}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().rfind("data/services/bad.json: $: ", 0), 0u) << c.status().message();
}

TEST(CatalogueTest, MissingFieldNamesPath) {
  CatalogueFile f = ServiceFile("x", "true");
  f.text.replace(f.text.find("\"agency\": \"A\","), 14, "");
  auto c = Catalogue::Build(Vocabulary(), {f}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "data/services/x.json: $.agency: required");
}

TEST(CatalogueTest, RuleVariableMustBeListedAttribute) {
  auto c = Catalogue::Build(Vocabulary(), {ServiceFile("x", R"({"var": "married"})")}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("$.eligibility: reads \"married\""), std::string::npos);
}

TEST(CatalogueTest, UnknownPrerequisiteRejected) {
  auto c = Catalogue::Build(Vocabulary(), {ServiceFile("x", "true", R"(["nope"])")}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("data/services/x.json: $.prerequisites[0]: unknown service"),
            std::string::npos);
}

TEST(CatalogueTest, PrerequisiteCycleRejected) {
  auto c = Catalogue::Build(Vocabulary(),
                            {ServiceFile("a", "true", R"(["b"])"), ServiceFile("b", "true", R"(["a"])")}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("cycle"), std::string::npos);
}

TEST(CatalogueTest, EventWithPrerequisiteAfterDependentRejected) {
  CatalogueFile e{"data/events/e.json", R"({"id": "e", "name": "E", "description": "d",
      "event_date_label": "l", "steps": [{"title": "one", "logic": "and", "services": ["b"]},
                                         {"title": "two", "logic": "and", "services": ["a"]}]})"};
  auto c = Catalogue::Build(Vocabulary(), {ServiceFile("a", "true"), ServiceFile("b", "true", R"(["a"])")}, {e});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "data/events/e.json: $.steps[0].services[0]: \"b\" needs \"a\", which comes later in this journey");
}

TEST(CatalogueTest, EventUnknownServiceAndBadLogicRejected) {
  CatalogueFile e{"data/events/e.json", R"({"id": "e", "name": "E", "description": "d",
      "event_date_label": "l", "steps": [{"title": "one", "logic": "xor", "services": ["a"]}]})"};
  auto c = Catalogue::Build(Vocabulary(), {ServiceFile("a", "true")}, {e});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "data/events/e.json: $.steps[0].logic: expected \"and\" or \"or\"");
  e.text.replace(e.text.find("xor"), 3, "and");
  e.text.replace(e.text.find("[\"a\"]"), 5, "[\"zz\"]");
  c = Catalogue::Build(Vocabulary(), {ServiceFile("a", "true")}, {e});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "data/events/e.json: $.steps[0].services[0]: unknown service \"zz\"");
}

TEST(CatalogueTest, UnknownMemberRejected) {
  CatalogueFile f = ServiceFile("x", "true");
  f.text.replace(f.text.find("\"prerequisites\""), 15, "\"prerequisite\"");
  auto c = Catalogue::Build(Vocabulary(), {f}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "data/services/x.json: $.prerequisite: unknown member");
}

TEST(CatalogueTest, LoadMissingDirectoryFails) {
  EXPECT_FALSE(Catalogue::Load("/nonexistent/accord-catalogue").ok());
}

}  // namespace
}  // namespace accord::journeys
