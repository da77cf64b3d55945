#include "audit/tile_node_reader.h"

#include "audit/tlog_tiles.h"

namespace accord::audit {

Result<Bytes> StorageTileFetcher::FetchTile(uint32_t level, uint64_t index, uint32_t width) const {
  return storage_.Read(TilePath(level, index, width), kTileWidth * kHashSize);
}

Result<std::shared_ptr<const HashedTile>> HashTile(BytesView data, uint32_t width) {
  if (width == 0 || width > kTileWidth || data.size() != size_t{width} * kHashSize) {
    return DataLoss("tile has the wrong size", "bad_tile");
  }
  auto t = std::make_shared<HashedTile>();
  std::vector<Hash> level(width);
  for (uint32_t i = 0; i < width; ++i) {
    std::copy(data.begin() + i * kHashSize, data.begin() + (i + 1) * kHashSize, level[i].begin());
  }
  t->levels.push_back(std::move(level));
  while (t->levels.back().size() >= 2) {
    const std::vector<Hash>& below = t->levels.back();
    std::vector<Hash> up(below.size() / 2);
    for (size_t j = 0; j < up.size(); ++j) up[j] = HashChildren(below[2 * j], below[2 * j + 1]);
    t->levels.push_back(std::move(up));
  }
  return std::shared_ptr<const HashedTile>(std::move(t));
}

std::shared_ptr<const HashedTile> TileCache::Get(uint32_t level, uint64_t index, uint32_t width) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = map_.find(Key{index, level, width});
  if (it == map_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.second);
  return it->second.first;
}

void TileCache::Put(uint32_t level, uint64_t index, uint32_t width,
                    std::shared_ptr<const HashedTile> t) {
  std::lock_guard<std::mutex> lock(mu_);
  const Key key{index, level, width};
  if (map_.count(key) != 0 || max_tiles_ == 0) return;
  lru_.push_front(key);
  map_.emplace(key, std::make_pair(std::move(t), lru_.begin()));
  while (map_.size() > max_tiles_) {
    map_.erase(lru_.back());
    lru_.pop_back();
  }
}

Result<Hash> TileNodeReader::Node(uint32_t height, uint64_t index) const {
  const uint32_t tile_level = height / kTileHeight;
  const uint32_t r = height % kTileHeight;
  if (tile_level > kMaxTileLevel) return OutOfRange("node height too large", "node_beyond_tree");
  const uint64_t first = index << r;  // position among the hashes at height 8 * tile_level
  if ((first >> r) != index) return OutOfRange("node index too large", "node_beyond_tree");
  const uint64_t tile_index = first / kTileWidth;
  const uint32_t offset = static_cast<uint32_t>(first % kTileWidth);
  const uint32_t width = TileWidthAtSize(tile_level, tile_index, tree_size_);
  if (width == 0 || offset + (uint32_t{1} << r) > width) {
    return OutOfRange("node is beyond the tree", "node_beyond_tree");
  }
  Memo* memo = tile_level < kMemoLevels ? &memo_[tile_level] : nullptr;
  if (memo != nullptr && memo->width == width && memo->index == tile_index) {
    return memo->tile->levels[r][offset >> r];
  }
  std::shared_ptr<const HashedTile> tile;
  if (cache_ != nullptr) tile = cache_->Get(tile_level, tile_index, width);
  if (tile == nullptr) {
    ACCORD_ASSIGN_OR_RETURN(Bytes data, fetcher_.FetchTile(tile_level, tile_index, width));
    ACCORD_ASSIGN_OR_RETURN(tile, HashTile(data, width));
    if (cache_ != nullptr) cache_->Put(tile_level, tile_index, width, tile);
  }
  const Hash h = tile->levels[r][offset >> r];
  if (memo != nullptr) *memo = Memo{tile_index, width, std::move(tile)};
  return h;
}

}  // namespace accord::audit
