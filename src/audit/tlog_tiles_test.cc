#include "audit/tlog_tiles.h"

#include <gtest/gtest.h>

namespace accord::audit {
namespace {

TEST(TlogTilesTest, IndexEncodingMatchesSpecExample) {
  EXPECT_EQ(EncodeTileIndex(1234067), "x001/x234/067");  // the spec's example
  EXPECT_EQ(EncodeTileIndex(0), "000");
  EXPECT_EQ(EncodeTileIndex(999), "999");
  EXPECT_EQ(EncodeTileIndex(1000), "x001/000");
}

TEST(TlogTilesTest, TileAndEntryPaths) {
  EXPECT_EQ(TilePath(0, 1234067), "tile/0/x001/x234/067");
  EXPECT_EQ(TilePath(1, 0, 17), "tile/1/000.p/17");
  EXPECT_EQ(EntriesPath(273, 112), "tile/entries/273.p/112");
  EXPECT_EQ(EntriesPath(5), "tile/entries/005");
}

TEST(TlogTilesTest, ParseIsInverseOfFormat) {
  for (uint64_t index : {0ull, 7ull, 999ull, 1000ull, 1234067ull, 18446744073709551615ull}) {
    for (uint32_t width : {1u, 17u, 255u, 256u}) {
      auto id = ParseTilePath(TilePath(3, index, width));
      ASSERT_TRUE(id.ok()) << TilePath(3, index, width);
      EXPECT_EQ(*id, (TileId{false, 3, index, width}));
      auto e = ParseTilePath(EntriesPath(index, width));
      ASSERT_TRUE(e.ok());
      EXPECT_EQ(*e, (TileId{true, 0, index, width}));
    }
  }
}

TEST(TlogTilesTest, ParseRejectsNonCanonicalPaths) {
  for (const char* bad :
       {"tile/00/000", "tile/64/000", "tile/0/00", "tile/0/0000", "tile/0/x000/001", "tile/0/001/002",
        "tile/0/x1/002", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/017", "tile/0/000.p/",
        "tile/0/", "tile/entries/", "tiles/0/000", "tile/0/000/", "tile/-1/000", "tile/0/00a",
        "tile/0/x018/x446/x744/x073/x709/x551/616", "checkpoint", ""}) {
    EXPECT_EQ(ParseTilePath(bad).status().reason(), "bad_tile_path") << bad;
  }
}

TEST(TlogTilesTest, PartialWidthsMatchSpecExampleOfSize70000) {
  // "273 full level 0 tiles, one partial level 0 tile of width 112, one full level 1 tile, one
  // partial level 1 tile of width 17, and one partial level 2 tile of width 1."
  const uint64_t size = 70000;
  EXPECT_EQ(HashesAtLevel(0, size) / kTileWidth, 273u);
  EXPECT_EQ(PartialTileWidth(0, size), 112u);
  EXPECT_EQ(HashesAtLevel(1, size) / kTileWidth, 1u);
  EXPECT_EQ(PartialTileWidth(1, size), 17u);
  EXPECT_EQ(HashesAtLevel(2, size) / kTileWidth, 0u);
  EXPECT_EQ(PartialTileWidth(2, size), 1u);
  EXPECT_EQ(PartialTileWidth(3, size), 0u);
  EXPECT_EQ(TileWidthAtSize(0, 272, size), 256u);
  EXPECT_EQ(TileWidthAtSize(0, 273, size), 112u);
  EXPECT_EQ(TileWidthAtSize(0, 274, size), 0u);
}

TEST(TlogTilesTest, SizeOf256HasFullTileAndLevelOnePartialOfWidthOne) {
  EXPECT_EQ(TileWidthAtSize(0, 0, 256), 256u);
  EXPECT_EQ(PartialTileWidth(0, 256), 0u);
  EXPECT_EQ(PartialTileWidth(1, 256), 1u);
}

TEST(TlogTilesTest, EntryBundleRoundTripsWithBigEndianLengths) {
  std::vector<Bytes> entries = {ToBytes("a"), Bytes(300, 0x7f), ToBytes("")};
  Bytes bundle = EncodeEntryBundle(entries);
  ASSERT_EQ(bundle.size(), 2 + 1 + 2 + 300 + 2u);
  EXPECT_EQ(bundle[0], 0x00);
  EXPECT_EQ(bundle[1], 0x01);
  EXPECT_EQ(bundle[3], 0x01);  // 300 = 0x012c
  EXPECT_EQ(bundle[4], 0x2c);
  auto parsed = ParseEntryBundle(bundle, 3);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, entries);
}

TEST(TlogTilesTest, EntryBundleRejectsTruncationTrailingDataAndWrongCount) {
  Bytes bundle = EncodeEntryBundle(std::vector<Bytes>{ToBytes("abc"), ToBytes("de")});
  EXPECT_EQ(ParseEntryBundle(bundle, 1).status().reason(), "bad_entry_bundle");
  EXPECT_EQ(ParseEntryBundle(bundle, 3).status().reason(), "bad_entry_bundle");
  Bytes truncated(bundle.begin(), bundle.end() - 1);
  EXPECT_EQ(ParseEntryBundle(truncated, 2).status().reason(), "bad_entry_bundle");
  Bytes odd = bundle;
  odd.push_back(0);
  EXPECT_EQ(ParseEntryBundle(odd, 2).status().reason(), "bad_entry_bundle");
}

}  // namespace
}  // namespace accord::audit
