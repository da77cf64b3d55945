#include "audit/tlog_tiles.h"

#include <cstdio>

namespace accord::audit {
namespace {

Status BadPath(std::string_view why) {
  return InvalidArgument("bad tile path: " + std::string(why), "bad_tile_path");
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Decimal without leading zeroes, in [min, max].
bool ParseSmallDecimal(std::string_view s, uint32_t min, uint32_t max, uint32_t* out) {
  if (!AllDigits(s) || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return false;
  uint32_t v = 0;
  for (char c : s) v = v * 10 + static_cast<uint32_t>(c - '0');
  if (v < min || v > max) return false;
  *out = v;
  return true;
}

// Parses "x001/x234/067" (the whole remaining string).
bool ParseIndex(std::string_view s, uint64_t* out) {
  uint64_t v = 0;
  bool first = true;
  while (true) {
    const size_t slash = s.find('/');
    const std::string_view seg = s.substr(0, slash);
    const bool last = slash == std::string_view::npos;
    std::string_view digits = seg;
    if (!last) {
      if (seg.size() != 4 || seg[0] != 'x') return false;
      digits = seg.substr(1);
      if (first && digits == "000") return false;  // never emitted: not canonical
    } else if (seg.size() != 3) {
      return false;
    }
    if (!AllDigits(digits)) return false;
    const uint64_t group = static_cast<uint64_t>((digits[0] - '0') * 100 + (digits[1] - '0') * 10 +
                                                 (digits[2] - '0'));
    if (v > (UINT64_MAX - group) / 1000) return false;
    v = v * 1000 + group;
    first = false;
    if (last) break;
    s = s.substr(slash + 1);
  }
  *out = v;
  return true;
}

}  // namespace

std::string EncodeTileIndex(uint64_t n) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%03u", static_cast<unsigned>(n % 1000));
  std::string out = buf;
  while (n >= 1000) {
    n /= 1000;
    std::snprintf(buf, sizeof(buf), "x%03u/", static_cast<unsigned>(n % 1000));
    out.insert(0, buf);
  }
  return out;
}

std::string TilePath(uint32_t level, uint64_t index, uint32_t width) {
  std::string out = "tile/" + std::to_string(level) + "/" + EncodeTileIndex(index);
  if (width < kTileWidth) out += ".p/" + std::to_string(width);
  return out;
}

std::string EntriesPath(uint64_t index, uint32_t width) {
  std::string out = "tile/entries/" + EncodeTileIndex(index);
  if (width < kTileWidth) out += ".p/" + std::to_string(width);
  return out;
}

std::string TileIdPath(const TileId& id) {
  return id.entries ? EntriesPath(id.index, id.width) : TilePath(id.level, id.index, id.width);
}

Result<TileId> ParseTilePath(std::string_view path) {
  if (path.size() > 128) return BadPath("too long");
  constexpr std::string_view kPrefix = "tile/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return BadPath("missing tile/ prefix");
  path.remove_prefix(kPrefix.size());
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos) return BadPath("missing level");
  const std::string_view level_str = path.substr(0, slash);
  path.remove_prefix(slash + 1);
  TileId id;
  if (level_str == "entries") {
    id.entries = true;
  } else if (!ParseSmallDecimal(level_str, 0, kMaxTileLevel, &id.level)) {
    return BadPath("bad level");
  }
  std::string_view index_str = path;
  const size_t dot = path.find(".p/");
  if (dot != std::string_view::npos) {
    index_str = path.substr(0, dot);
    if (!ParseSmallDecimal(path.substr(dot + 3), 1, kTileWidth - 1, &id.width)) {
      return BadPath("bad width");
    }
  }
  if (!ParseIndex(index_str, &id.index)) return BadPath("bad index");
  return id;
}

uint64_t HashesAtLevel(uint32_t level, uint64_t tree_size) {
  const uint32_t shift = kTileHeight * level;
  return shift >= 64 ? 0 : tree_size >> shift;
}

uint32_t PartialTileWidth(uint32_t level, uint64_t tree_size) {
  return static_cast<uint32_t>(HashesAtLevel(level, tree_size) % kTileWidth);
}

uint32_t TileWidthAtSize(uint32_t level, uint64_t index, uint64_t tree_size) {
  const uint64_t count = HashesAtLevel(level, tree_size);
  const uint64_t full = count / kTileWidth;
  if (index < full) return kTileWidth;
  if (index == full) return static_cast<uint32_t>(count % kTileWidth);
  return 0;
}

Bytes EncodeEntryBundle(std::span<const Bytes> entries) {
  size_t total = 0;
  for (const Bytes& e : entries) total += 2 + e.size();
  Bytes out;
  out.reserve(total);
  for (const Bytes& e : entries) {
    out.push_back(static_cast<uint8_t>(e.size() >> 8));
    out.push_back(static_cast<uint8_t>(e.size() & 0xff));
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

Result<std::vector<Bytes>> ParseEntryBundle(BytesView bundle, size_t expected_count) {
  std::vector<Bytes> out;
  size_t pos = 0;
  while (pos < bundle.size()) {
    if (out.size() >= expected_count || bundle.size() - pos < 2) {
      return DataLoss("entry bundle has trailing data", "bad_entry_bundle");
    }
    const size_t len = (size_t{bundle[pos]} << 8) | bundle[pos + 1];
    pos += 2;
    if (bundle.size() - pos < len) return DataLoss("entry bundle truncated", "bad_entry_bundle");
    out.emplace_back(bundle.begin() + pos, bundle.begin() + pos + len);
    pos += len;
  }
  if (out.size() != expected_count) {
    return DataLoss("entry bundle has " + std::to_string(out.size()) + " entries, want " +
                        std::to_string(expected_count),
                    "bad_entry_bundle");
  }
  return out;
}

}  // namespace accord::audit
