#include "store/sqlite/expiring_set.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace accord::store::sqlite {
namespace {

constexpr int64_t kNow = 1'800'000'000;

TEST(ExpiringSetTest, PresentUntilItExpiresThenInsertableAgain) {
  ExpiringSet set;
  EXPECT_TRUE(set.Insert(5, kNow + 10, kNow));
  EXPECT_TRUE(set.Contains(5, kNow + 9));
  EXPECT_FALSE(set.Insert(5, kNow + 30, kNow + 9));
  EXPECT_FALSE(set.Contains(5, kNow + 10));
  EXPECT_TRUE(set.Insert(5, kNow + 20, kNow + 10));
  EXPECT_TRUE(set.Contains(5, kNow + 19));
  EXPECT_EQ(set.Live(kNow + 10), 1u);
  EXPECT_EQ(set.Live(kNow + 20), 0u);
}

TEST(ExpiringSetTest, ProbesPastExpiredSlotsAndReusesThem) {
  ExpiringSet set;
  // Small fingerprints all start at slot 0 (the home slot scales the high bits): one probe path.
  const uint64_t a = 7, b = 8, c = 9;
  ASSERT_TRUE(set.Insert(a, kNow + 100, kNow));
  ASSERT_TRUE(set.Insert(b, kNow + 10, kNow));
  ASSERT_TRUE(set.Insert(c, kNow + 100, kNow));
  const int64_t later = kNow + 50;  // b expired
  EXPECT_TRUE(set.Contains(a, later));
  EXPECT_FALSE(set.Contains(b, later));
  EXPECT_TRUE(set.Contains(c, later));  // found past the expired slot
  EXPECT_FALSE(set.Insert(c, kNow + 200, later));  // not duplicated into b's slot
  const uint64_t d = 10;
  EXPECT_TRUE(set.Insert(d, kNow + 100, later));  // takes b's slot
  EXPECT_TRUE(set.Contains(d, later));
  EXPECT_TRUE(set.Contains(c, later));
  EXPECT_EQ(set.Live(later), 3u);
}

TEST(ExpiringSetTest, AProbePathWrapsPastTheLastSlot) {
  ExpiringSet set;
  const uint64_t top = ~uint64_t{0};  // the largest fingerprints start at the last slot
  for (uint64_t k = 0; k < 5; ++k) ASSERT_TRUE(set.Insert(top - k, kNow + 10, kNow));
  for (uint64_t k = 0; k < 5; ++k) EXPECT_TRUE(set.Contains(top - k, kNow)) << k;
  EXPECT_FALSE(set.Contains(top - 5, kNow));
  EXPECT_FALSE(set.Insert(top - 4, kNow + 10, kNow));
}

// Expiries are kept in 32 bits: one past 2106 is kept until then (a refusal, never a miss).
TEST(ExpiringSetTest, AnExpiryPastTheStoredRangeIsKeptToItsEnd) {
  ExpiringSet set;
  ASSERT_TRUE(set.Insert(9, int64_t{1} << 40, kNow));
  EXPECT_TRUE(set.Contains(9, int64_t{4'000'000'000}));
  EXPECT_FALSE(set.Contains(9, int64_t{1} << 33));
}

TEST(ExpiringSetTest, ExpiredEntriesAreDroppedInsteadOfGrowingTheTable) {
  ExpiringSet set;
  constexpr uint64_t kEntries = 100'000;
  std::mt19937_64 rng(1);
  for (uint64_t i = 0; i < kEntries; ++i) ASSERT_TRUE(set.Insert(rng() | 1, kNow + 10, kNow));
  const size_t grown = set.capacity();
  EXPECT_EQ(set.Live(kNow), kEntries);
  EXPECT_LE(grown * 12 / kEntries, 24u) << "bytes per entry";  // a table half to 3/4 full
  // As many again once the first have expired: the table is rebuilt without them, sized for the
  // live entries only (counting the expired ones too would take 48 bytes per entry).
  std::vector<uint64_t> second;
  for (uint64_t i = 0; i < kEntries; ++i) {
    second.push_back(rng() | 1);
    ASSERT_TRUE(set.Insert(second.back(), kNow + 1000, kNow + 100));
  }
  EXPECT_LE(set.capacity() * 12 / kEntries, 24u) << "bytes per entry";
  EXPECT_EQ(set.Live(kNow + 100), kEntries);
  for (uint64_t fp : second) ASSERT_TRUE(set.Contains(fp, kNow + 100));
}

// A rebuild moves the old table a few slots per insert: meanwhile every entry is found in one
// table or the other, none is duplicated, and the move ends before the new table fills.
TEST(ExpiringSetTest, EntriesStayVisibleWhileTheTableIsRebuilt) {
  ExpiringSet set;
  std::mt19937_64 rng(7);
  std::vector<uint64_t> inserted;
  size_t rebuild_inserts = 0;  // inserts made while a rebuild was under way
  bool saw_rebuild_end = false;
  for (int i = 0; i < 50'000; ++i) {
    const bool was = set.rebuilding();
    inserted.push_back(rng() | 1);
    ASSERT_TRUE(set.Insert(inserted.back(), kNow + 100, kNow));
    if (was) ++rebuild_inserts;
    saw_rebuild_end |= was && !set.rebuilding();
    if (set.rebuilding() && i % 97 == 0) {
      for (uint64_t fp : inserted) ASSERT_TRUE(set.Contains(fp, kNow)) << i;
      ASSERT_FALSE(set.Insert(inserted[static_cast<size_t>(i) / 2], kNow + 100, kNow));
    }
  }
  EXPECT_GT(rebuild_inserts, 0u);
  EXPECT_TRUE(saw_rebuild_end);
  for (uint64_t fp : inserted) ASSERT_TRUE(set.Contains(fp, kNow));
  EXPECT_EQ(set.Live(kNow), inserted.size());
}

// Against a model, with time moving forward: few distinct fingerprints sharing their high bits
// (long probe paths, many renewals), then many (many rebuilds, begun with tables of all ages).
TEST(ExpiringSetTest, AgreesWithAMapUnderRandomOperations) {
  const struct {
    uint64_t distinct;
    int shift;
  } cases[] = {{3'000, 50}, {200'000, 44}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.distinct);
    ExpiringSet set;
    std::map<uint64_t, int64_t> model;
    std::mt19937_64 rng(42);
    int64_t now = kNow;
    for (int op = 0; op < 300'000; ++op) {
      if (rng() % 16 == 0) now += static_cast<int64_t>(rng() % 5);
      const uint64_t fp = ((rng() % c.distinct) << c.shift) | 3;
      const bool present = model.count(fp) != 0 && model[fp] > now;
      if (rng() % 2 == 0) {
        ASSERT_EQ(set.Contains(fp, now), present) << op;
      } else {
        const int64_t expires = now + 1 + static_cast<int64_t>(rng() % 60);
        ASSERT_EQ(set.Insert(fp, expires, now), !present) << op;
        if (!present) model[fp] = expires;
      }
    }
    size_t live = 0;
    for (const auto& [fp, expires] : model) live += expires > now ? 1 : 0;
    EXPECT_EQ(set.Live(now), live);
  }
}

}  // namespace
}  // namespace accord::store::sqlite
