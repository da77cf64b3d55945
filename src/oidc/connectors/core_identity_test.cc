#include "oidc/connectors/core_identity.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace accord::oidc::connectors {
namespace {

namespace json = boost::json;

json::object Subject(std::string_view text) { return json::parse(text).as_object(); }

TEST(ExtractNamesTest, PicksCurrentNameAndFirstBirthDate) {
  CoreIdentity out;
  ExtractNames(Subject(R"({"name":[
      {"validUntil":"2020-01-01","nameParts":[{"type":"GivenName","value":"Old"}]},
      {"nameParts":[{"type":"FamilyName","value":"Smith"},{"type":"GivenName","value":"Ann"},
                    {"type":"GivenName","value":"Marie"}]}],
      "birthDate":[{"value":"1990-01-02"},{"value":"1990-01-03"}]})"),
               &out);
  EXPECT_EQ(out.given_name, "Ann Marie");
  EXPECT_EQ(out.family_name, "Smith");
  EXPECT_EQ(out.birthdate, "1990-01-02");
}

TEST(ExtractNamesTest, FallsBackToFirstNameWhenAllHaveValidUntil) {
  CoreIdentity out;
  ExtractNames(Subject(R"({"name":[{"validUntil":"2020","nameParts":[{"type":"GivenName","value":"A"}]},
      {"validUntil":"2021","nameParts":[{"type":"GivenName","value":"B"}]}]})"),
               &out);
  EXPECT_EQ(out.given_name, "A");
}

TEST(ExtractNamesTest, IgnoresMalformedParts) {
  CoreIdentity out;
  ExtractNames(Subject(R"({"name":[{"nameParts":[1,{"type":"GivenName"},{"value":"x"}]}],
      "birthDate":["1990"]})"),
               &out);
  EXPECT_EQ(out.given_name, "");
  EXPECT_EQ(out.birthdate, "");
}

TEST(DidDocumentTest, ResolvesRelativeIdsAndChecksController) {
  auto key = jose::Jwk::FromPrivateKey(*crypto::PrivateKey::GenerateEc(crypto::Curve::kP256));
  std::string jwk = key.ToPublicJson();
  auto doc = ParseDidDocument(R"({"id":"did:web:x","assertionMethod":[
      {"id":"#k1","controller":"did:web:x","publicKeyJwk":)" + jwk + R"(},
      {"id":"did:web:x#k2","controller":"did:web:other","publicKeyJwk":)" + jwk + R"(},
      "did:web:x#k3"]})");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ASSERT_EQ(doc->assertion_keys.size(), 1u);
  EXPECT_EQ(doc->assertion_keys[0].first, "did:web:x#k1");
}

TEST(DidDocumentTest, RejectsMissingId) {
  EXPECT_EQ(ParseDidDocument(R"({"assertionMethod":[]})").status().reason(), "bad_core_identity");
}

TEST(DidDocumentTest, RejectsPrivateKeys) {
  auto key = jose::Jwk::FromPrivateKey(*crypto::PrivateKey::GenerateEc(crypto::Curve::kP256));
  auto secret = key.ToPrivateJson();
  std::string jwk(AsStringView(secret->view()));
  auto doc = ParseDidDocument(R"({"id":"did:web:x","assertionMethod":[
      {"id":"#k1","publicKeyJwk":)" + jwk + R"(}]})");
  ASSERT_TRUE(doc.ok());
  EXPECT_TRUE(doc->assertion_keys.empty());
}

}  // namespace
}  // namespace accord::oidc::connectors
