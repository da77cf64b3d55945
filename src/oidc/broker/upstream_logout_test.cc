// UpstreamSessionIndex: which gateway sessions a logout token from an upstream ends.
#include "oidc/broker/upstream_logout.h"

#include <gtest/gtest.h>

namespace accord::oidc::broker {
namespace {

constexpr int64_t kNow = 1'700'000'000;
using Sids = std::vector<std::string>;

TEST(UpstreamSessionIndexTest, SidEndsOnlyThatUpstreamSession) {
  UpstreamSessionIndex index;
  index.Add("uk", "alice", "up-1", "gw-1", kNow + 60);
  index.Add("uk", "alice", "up-2", "gw-2", kNow + 60);
  EXPECT_EQ(index.Take("uk", "alice", "up-1", kNow), Sids{"gw-1"});
  EXPECT_EQ(index.Take("uk", "alice", "up-1", kNow), Sids{});  // taken once
  EXPECT_EQ(index.size(), 1u);
}

TEST(UpstreamSessionIndexTest, SubAloneEndsEverySessionOfTheSubject) {
  UpstreamSessionIndex index;
  index.Add("uk", "alice", "up-1", "gw-1", kNow + 60);
  index.Add("uk", "alice", "", "gw-2", kNow + 60);
  index.Add("uk", "bob", "up-3", "gw-3", kNow + 60);
  Sids sids = index.Take("uk", "alice", "", kNow);
  std::sort(sids.begin(), sids.end());
  EXPECT_EQ(sids, (Sids{"gw-1", "gw-2"}));
  EXPECT_EQ(index.size(), 1u);
  EXPECT_EQ(index.Take("uk", "", "up-1", kNow), Sids{});  // its sid entry went with it
}

TEST(UpstreamSessionIndexTest, UpstreamsAreSeparate) {
  UpstreamSessionIndex index;
  index.Add("uk", "same", "s", "gw-uk", kNow + 60);
  index.Add("sg", "same", "s", "gw-sg", kNow + 60);
  EXPECT_EQ(index.Take("sg", "same", "", kNow), Sids{"gw-sg"});
  EXPECT_EQ(index.Take("uk", "", "s", kNow), Sids{"gw-uk"});
}

TEST(UpstreamSessionIndexTest, SidOfAnotherSubjectIsNotEnded) {
  UpstreamSessionIndex index;
  index.Add("uk", "alice", "up-1", "gw-1", kNow + 60);
  EXPECT_EQ(index.Take("uk", "mallory", "up-1", kNow), Sids{});
  EXPECT_EQ(index.Take("uk", "alice", "up-1", kNow), Sids{"gw-1"});
}

TEST(UpstreamSessionIndexTest, ExpiredSessionsAreNotReturned) {
  UpstreamSessionIndex index;
  index.Add("uk", "alice", "up-1", "gw-1", kNow);
  EXPECT_EQ(index.Take("uk", "alice", "", kNow), Sids{});
  EXPECT_EQ(index.size(), 0u);
}

TEST(UpstreamSessionIndexTest, NothingToIndexIsIgnored) {
  UpstreamSessionIndex index;
  index.Add("uk", "", "", "gw-1", kNow + 60);
  index.Add("uk", "alice", "up-1", "", kNow + 60);
  EXPECT_EQ(index.size(), 0u);
}

}  // namespace
}  // namespace accord::oidc::broker
