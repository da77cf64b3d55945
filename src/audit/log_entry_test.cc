#include "audit/log_entry.h"

#include <gtest/gtest.h>

namespace accord::audit {
namespace {

LogEntry Sample() {
  LogEntry e;
  e.time_ms = 1700000000123;
  e.event = EventType::kAttributeRelease;
  e.service = "sg.gov.example-benefits";
  e.upstream = "uk.gov.one-login";
  e.attributes = {{"birthdate", "official-sensitive"}, {"nationality", "official"}};
  e.assurance = "P2";
  e.consent_id = "c-7f3a";
  e.subject_commitment = Bytes(32, 0xab);
  return e;
}

TEST(LogEntryTest, CanonicalSerialisationHasFixedMemberOrder) {
  EXPECT_EQ(SerializeLogEntry(Sample()),
            "{\"v\":1,\"time_ms\":1700000000123,\"event\":\"attribute_release\","
            "\"service\":\"sg.gov.example-benefits\",\"upstream\":\"uk.gov.one-login\","
            "\"attributes\":[{\"name\":\"birthdate\",\"classification\":\"official-sensitive\"},"
            "{\"name\":\"nationality\",\"classification\":\"official\"}],\"assurance\":\"P2\","
            "\"consent_id\":\"c-7f3a\",\"subject_commitment\":"
            "\"q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s\"}");
}

TEST(LogEntryTest, ParseRoundTrips) {
  auto e = ParseLogEntry(SerializeLogEntry(Sample()));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(*e, Sample());
}

TEST(LogEntryTest, NonCanonicalSpellingIsRejected) {
  std::string s = SerializeLogEntry(Sample());
  std::string spaced = s;
  spaced.insert(1, " ");
  EXPECT_FALSE(ParseLogEntry(spaced).ok());
  // Same members, different order.
  std::string reordered = s;
  reordered.replace(reordered.find("\"v\":1,"), 6, "");
  reordered.insert(reordered.size() - 1, ",\"v\":1");
  EXPECT_EQ(ParseLogEntry(reordered).status().reason(), "bad_entry");
  // But the lenient form (for the CLI) accepts it.
  EXPECT_TRUE(LogEntryFromJson(reordered).ok());
}

TEST(LogEntryTest, PersonalDataMembersCannotBeAdded) {
  std::string s = SerializeLogEntry(Sample());
  s.insert(s.size() - 1, ",\"name\":\"Alice Example\"");
  EXPECT_EQ(ParseLogEntry(s).status().reason(), "bad_entry");
  EXPECT_EQ(LogEntryFromJson(s).status().reason(), "bad_entry");
}

TEST(LogEntryTest, ReleaseRequiresSubjectCommitment) {
  LogEntry e = Sample();
  e.subject_commitment.clear();
  EXPECT_EQ(ValidateLogEntry(e).reason(), "bad_entry");
  e.event = EventType::kKeyRotated;
  EXPECT_TRUE(ValidateLogEntry(e).ok());
}

TEST(LogEntryTest, BoundsAreEnforced) {
  LogEntry e = Sample();
  e.service = std::string(kMaxEntryTokenLength + 1, 'a');
  EXPECT_FALSE(ValidateLogEntry(e).ok());
  e = Sample();
  e.attributes.assign(kMaxEntryAttributes + 1, {"a", "official"});
  EXPECT_FALSE(ValidateLogEntry(e).ok());
  e = Sample();
  e.upstream = "has space";
  EXPECT_FALSE(ValidateLogEntry(e).ok());
  e = Sample();
  e.subject_commitment = Bytes(31);
  EXPECT_FALSE(ValidateLogEntry(e).ok());
}

TEST(LogEntryTest, EventNamesRoundTrip) {
  for (EventType t : {EventType::kAttributeRelease, EventType::kConsentGranted,
                      EventType::kConsentRevoked, EventType::kKeyRotated,
                      EventType::kTrustPolicyChanged}) {
    EXPECT_EQ(*EventTypeFromName(EventTypeName(t)), t);
  }
  EXPECT_FALSE(EventTypeFromName("login").ok());
}

TEST(LogEntryTest, SubjectCommitmentIsKeyedAndDeterministic) {
  crypto::SecretBytes k1(Bytes(32, 1)), k2(Bytes(32, 2));
  auto a = SubjectCommitment(k1, "pairwise-sub-123");
  auto b = SubjectCommitment(k1, "pairwise-sub-123");
  auto c = SubjectCommitment(k2, "pairwise-sub-123");
  auto d = SubjectCommitment(k1, "pairwise-sub-124");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_NE(*a, *d);
  EXPECT_FALSE(SubjectCommitment(crypto::SecretBytes(Bytes(16, 1)), "x").ok());
}

}  // namespace
}  // namespace accord::audit
