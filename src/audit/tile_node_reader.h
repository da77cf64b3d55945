// NodeReader over tlog tiles: the hash of a perfect subtree at height H is found in the tile at
// level H / 8 (or hashed from 2^(H % 8) of its consecutive hashes). Tiles come from a TileFetcher
// (LogStorage, or an HTTP client later) and, hashed, are kept in a bounded TileCache so repeated
// proofs cost lookups only: with the tiles cached a proof is pure CPU (no system call, no hashing).
// A reader also remembers the last tile it used at each tile level, so the 8 nodes a proof takes
// from one tile cost one cache lookup.
//
// Thread safety: TileCache is internally synchronised. A TileNodeReader is NOT safe for
// concurrent Node() calls (its per-level memo is unguarded): make one per proof (they are cheap).
// Lifetime: borrows the fetcher and cache.
#ifndef ACCORD_AUDIT_TILE_NODE_READER_H_
#define ACCORD_AUDIT_TILE_NODE_READER_H_

#include <cstdint>
#include <array>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "audit/log_storage.h"
#include "audit/merkle_nodes.h"

namespace accord::audit {

// Raw tile bytes by (level, index, width); width 256 = full.
class TileFetcher {
 public:
  virtual ~TileFetcher() = default;
  virtual Result<Bytes> FetchTile(uint32_t level, uint64_t index, uint32_t width) const = 0;
};

class StorageTileFetcher final : public TileFetcher {
 public:
  explicit StorageTileFetcher(const LogStorage& storage) : storage_(storage) {}
  Result<Bytes> FetchTile(uint32_t level, uint64_t index, uint32_t width) const override;

 private:
  const LogStorage& storage_;
};

// A tile with every perfect subtree inside it hashed: levels[r][j] is the hash of tile hashes
// [j * 2^r, (j + 1) * 2^r).
struct HashedTile {
  std::vector<std::vector<Hash>> levels;
};
// Parses width*32 bytes of tile data (DataLoss "bad_tile" otherwise) and hashes it.
Result<std::shared_ptr<const HashedTile>> HashTile(BytesView data, uint32_t width);

class TileCache {
 public:
  explicit TileCache(size_t max_tiles = 4096) : max_tiles_(max_tiles) {}
  std::shared_ptr<const HashedTile> Get(uint32_t level, uint64_t index, uint32_t width);
  void Put(uint32_t level, uint64_t index, uint32_t width, std::shared_ptr<const HashedTile> t);

 private:
  struct Key {
    uint64_t index;
    uint32_t level;
    uint32_t width;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<uint64_t>()(k.index * 0x9E3779B97F4A7C15ULL ^ (uint64_t{k.level} << 48) ^ k.width);
    }
  };
  std::mutex mu_;
  size_t max_tiles_;
  std::list<Key> lru_;  // front = most recent
  std::unordered_map<Key, std::pair<std::shared_ptr<const HashedTile>, std::list<Key>::iterator>,
                     KeyHash>
      map_;
};

class TileNodeReader final : public NodeReader {
 public:
  // cache may be null (no caching).
  TileNodeReader(const TileFetcher& fetcher, uint64_t tree_size, TileCache* cache)
      : fetcher_(fetcher), tree_size_(tree_size), cache_(cache) {}
  Result<Hash> Node(uint32_t height, uint64_t index) const override;

 private:
  // The last tile used at a tile level (levels above kMemoLevels are not memoised).
  struct Memo {
    uint64_t index = 0;
    uint32_t width = 0;  // 0: empty
    std::shared_ptr<const HashedTile> tile;
  };
  static constexpr uint32_t kMemoLevels = 8;

  const TileFetcher& fetcher_;
  uint64_t tree_size_;
  TileCache* cache_;
  mutable std::array<Memo, kMemoLevels> memo_;
};

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_TILE_NODE_READER_H_
