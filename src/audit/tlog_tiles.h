// c2sp.org/tlog-tiles resource layout, as a pure module (no I/O): tile and entry-bundle paths, the
// x001/x234/067 index encoding, partial-tile widths, and the entry bundle encoding.
//
//   tile/<L>/<N>[.p/<W>]       Merkle tiles: up to 256 hashes at tree height 8*L
//   tile/entries/<N>[.p/<W>]   entry bundles: big-endian uint16 length-prefixed entries
//
// <L> is 0..63 without leading zeroes; <N> is zero-padded 3-digit groups, every group but the last
// prefixed with 'x'; <W> is 1..255 without leading zeroes and present only for partial tiles.
// Parsing is the strict inverse of formatting (exactly one accepted spelling per resource).
//
// Thread safety: pure functions.
#ifndef ACCORD_AUDIT_TLOG_TILES_H_
#define ACCORD_AUDIT_TLOG_TILES_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"

namespace accord::audit {

inline constexpr uint32_t kTileWidth = 256;  // hashes per full tile
inline constexpr uint32_t kTileHeight = 8;   // tree levels per tile
inline constexpr uint32_t kMaxTileLevel = 63;
inline constexpr size_t kMaxEntrySize = 0xffff;  // uint16 length prefix

// One tile-tlog resource. width == kTileWidth means a full tile.
struct TileId {
  bool entries = false;  // true: tile/entries/...; false: tile/<level>/...
  uint32_t level = 0;    // 0 for entry bundles
  uint64_t index = 0;
  uint32_t width = kTileWidth;
  bool partial() const { return width < kTileWidth; }
  friend bool operator==(const TileId&, const TileId&) = default;
};

// "067", "x001/x234/067".
std::string EncodeTileIndex(uint64_t index);
// Preconditions: level <= 63, 1 <= width <= 256.
std::string TilePath(uint32_t level, uint64_t index, uint32_t width = kTileWidth);
std::string EntriesPath(uint64_t index, uint32_t width = kTileWidth);
std::string TileIdPath(const TileId& id);
// Strict parse of a path relative to the log prefix ("tile/1/x001/234.p/5").
// Anything else -> InvalidArgument "bad_tile_path".
Result<TileId> ParseTilePath(std::string_view path);

// Number of hashes at tree height 8*level for a tree of `size` leaves (size >> 8*level).
uint64_t HashesAtLevel(uint32_t level, uint64_t tree_size);
// Width of the rightmost partial tile at `level` for a tree of `size` leaves: floor(s/256^l) mod 256
// (0: no partial tile at that level).
uint32_t PartialTileWidth(uint32_t level, uint64_t tree_size);
// The width a tile (level, index) has in a tree of `tree_size` leaves: 256 if full, 1..255 if it is
// the partial tile, 0 if it does not exist at that size.
uint32_t TileWidthAtSize(uint32_t level, uint64_t index, uint64_t tree_size);

// Entry bundle: each entry as a big-endian uint16 length followed by its bytes.
// Precondition: every entry is at most kMaxEntrySize bytes.
Bytes EncodeEntryBundle(std::span<const Bytes> entries);
// Strict: truncated lengths or data, or a count other than `expected_count` -> DataLoss
// "bad_entry_bundle".
Result<std::vector<Bytes>> ParseEntryBundle(BytesView bundle, size_t expected_count);

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_TLOG_TILES_H_
