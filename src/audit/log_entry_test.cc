#include "audit/log_entry.h"

#include <gtest/gtest.h>

namespace accord::audit {
namespace {

const std::string kCommitment(64, 'a');

AuditEvent Sample() {
  AuditEvent e;
  e.time_ms = 1700000000123;
  e.type = EventType::kAttributeRelease;
  e.service = "sg-benefits";
  e.upstream = "sandbox-uk";
  e.attributes = {{"birthdate", "official-sensitive"}, {"nationality", "official"}};
  e.assurance = "substantial";
  e.consent_id = "c-7f3a";
  e.subject_commitment = kCommitment;
  return e;
}

TEST(AuditEventTest, CanonicalSerialisationHasFixedMemberOrder) {
  EXPECT_EQ(SerializeAuditEvent(Sample()),
            "{\"v\":1,\"time_ms\":1700000000123,\"type\":\"attribute_release\","
            "\"service\":\"sg-benefits\",\"upstream\":\"sandbox-uk\",\"attributes\":["
            "{\"name\":\"birthdate\",\"classification\":\"official-sensitive\"},"
            "{\"name\":\"nationality\",\"classification\":\"official\"}],\"assurance\":\"substantial\","
            "\"consent_id\":\"c-7f3a\",\"subject_commitment\":\"" +
                kCommitment + "\"}");
}

TEST(AuditEventTest, ParseRoundTrips) {
  const std::string s = SerializeAuditEvent(Sample());
  auto e = ParseAuditEvent(s);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(*e, Sample());
}

TEST(AuditEventTest, NonCanonicalSpellingIsRejected) {
  std::string s = SerializeAuditEvent(Sample());
  EXPECT_FALSE(ParseAuditEvent(" " + s).ok());
  std::string reordered = s;
  reordered.replace(reordered.find("\"v\":1,"), 6, "");
  reordered.insert(reordered.size() - 1, ",\"v\":1");
  EXPECT_FALSE(ParseAuditEvent(reordered).ok());
  // ... but a person may write it in any order for the CLI.
  EXPECT_TRUE(AuditEventFromJson(reordered).ok());
}

TEST(AuditEventTest, PersonalDataMembersCannotBeAdded) {
  std::string s = SerializeAuditEvent(Sample());
  s.insert(s.size() - 1, ",\"given_name\":\"Ada\"");
  EXPECT_EQ(AuditEventFromJson(s).status().reason(), "bad_entry");
}

TEST(AuditEventTest, FreeTextValuesAreRejected) {
  for (const std::string& bad : {std::string("Ada Lovelace"), std::string("ada@example.com"),
                                 std::string("1990/12/10"), std::string("caf\xc3\xa9"),
                                 std::string("a\"b"), std::string(129, 'a')}) {
    AuditEvent e = Sample();
    e.consent_id = bad;
    EXPECT_EQ(ValidateAuditEvent(e).reason(), "bad_entry") << bad;
    e = Sample();
    e.attributes[0].name = bad;
    EXPECT_EQ(ValidateAuditEvent(e).reason(), "bad_entry") << bad;
  }
  AuditEvent ok = Sample();
  ok.service = "urn:accord:client:sg.gov-benefits_1";
  EXPECT_TRUE(ValidateAuditEvent(ok).ok());
}

TEST(AuditEventTest, ReleaseRequiresSubjectCommitmentServiceAndAttributes) {
  AuditEvent e = Sample();
  e.subject_commitment.clear();
  EXPECT_FALSE(ValidateAuditEvent(e).ok());
  e = Sample();
  e.attributes.clear();
  EXPECT_FALSE(ValidateAuditEvent(e).ok());
  e = Sample();
  e.upstream.clear();
  EXPECT_FALSE(ValidateAuditEvent(e).ok());
}

TEST(AuditEventTest, KeyAndPolicyEventsConcernNoPerson) {
  AuditEvent e;
  e.time_ms = 1;
  e.type = EventType::kKeyRotated;
  e.service = "accord";
  EXPECT_TRUE(ValidateAuditEvent(e).ok());
  e.subject_commitment = kCommitment;
  EXPECT_FALSE(ValidateAuditEvent(e).ok());
}

TEST(AuditEventTest, KekRotatedNamesTheKekAndConcernsNoPerson) {
  AuditEvent e;
  e.time_ms = 1;
  e.type = EventType::kKekRotated;
  EXPECT_FALSE(ValidateAuditEvent(e).ok());  // which KEK?
  e.consent_id = "kek-2026-11";
  ASSERT_TRUE(ValidateAuditEvent(e).ok());
  auto parsed = ParseAuditEvent(SerializeAuditEvent(e));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->type, EventType::kKekRotated);
  EXPECT_EQ(parsed->consent_id, "kek-2026-11");
  EXPECT_NE(SerializeAuditEvent(e).find("\"type\":\"kek_rotated\""), std::string::npos);
  e.subject_commitment = kCommitment;
  EXPECT_FALSE(ValidateAuditEvent(e).ok());
}

TEST(AuditEventTest, ConsentEventsNeedConsentId) {
  AuditEvent e = Sample();
  e.type = EventType::kConsentRevoked;
  EXPECT_TRUE(ValidateAuditEvent(e).ok());
  e.consent_id.clear();
  EXPECT_FALSE(ValidateAuditEvent(e).ok());
}

TEST(AuditEventTest, CommitmentMustBeLowerCaseHex) {
  AuditEvent e = Sample();
  e.subject_commitment = std::string(64, 'A');
  EXPECT_FALSE(ValidateAuditEvent(e).ok());
  e.subject_commitment = std::string(63, 'a');
  EXPECT_FALSE(ValidateAuditEvent(e).ok());
}

TEST(AuditEventTest, TooManyAttributesRejected) {
  AuditEvent e = Sample();
  e.attributes.assign(kMaxEventAttributes + 1, {"a", "b"});
  EXPECT_FALSE(ValidateAuditEvent(e).ok());
}

TEST(AuditEventTest, EventNamesRoundTrip) {
  for (EventType t : {EventType::kAttributeRelease, EventType::kConsentGranted,
                      EventType::kConsentRevoked, EventType::kKeyRotated, EventType::kPolicyChanged,
                      EventType::kReleaseRefused, EventType::kKekRotated}) {
    EXPECT_EQ(*EventTypeFromName(EventTypeName(t)), t);
  }
  EXPECT_EQ(EventTypeName(EventType::kPolicyChanged), "policy_changed");
  EXPECT_FALSE(EventTypeFromName("trust_policy_changed").ok());
}

TEST(AuditEventTest, SubjectCommitmentIsKeyedHmacHex) {
  crypto::SecretBytes key(Bytes(32, 0x0b));
  crypto::SecretBytes other(Bytes(32, 0x0c));
  auto a = SubjectCommitment(key, "pairwise-sub-1");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->size(), 64u);
  EXPECT_EQ(*a, *SubjectCommitment(key, "pairwise-sub-1"));
  EXPECT_NE(*a, *SubjectCommitment(key, "pairwise-sub-2"));
  EXPECT_NE(*a, *SubjectCommitment(other, "pairwise-sub-1"));
  EXPECT_EQ(SubjectCommitment(crypto::SecretBytes(Bytes(16, 1)), "x").status().reason(), "bad_key");
}

// Known answer: HMAC-SHA256(32 zero bytes, "abc"), computed independently (Python hmac).
TEST(AuditEventTest, SubjectCommitmentKnownAnswer) {
  crypto::SecretBytes key(Bytes(32, 0x00));
  EXPECT_EQ(*SubjectCommitment(key, "abc"),
            "fd7adb152c05ef80dccf50a1fa4c05d5a3ec6da95575fc312ae7c5d091836351");
}

}  // namespace
}  // namespace accord::audit
