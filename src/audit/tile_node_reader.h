// NodeReader over tlog tiles: the hash of a perfect subtree at height H is found in the tile at
// level H / 8 (or hashed from 2^(H % 8) of its consecutive hashes). Tiles come from a TileFetcher
// (LogStorage, or an HTTP client later) and, hashed, are kept in a bounded TileCache so repeated
// proofs cost lookups only.
//
// Thread safety: TileCache is internally synchronised; a TileNodeReader is safe for concurrent
// Node() calls when its fetcher is. Lifetime: borrows the fetcher and cache.
#ifndef ACCORD_AUDIT_TILE_NODE_READER_H_
#define ACCORD_AUDIT_TILE_NODE_READER_H_

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
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
  using Key = std::tuple<uint32_t, uint64_t, uint32_t>;
  std::mutex mu_;
  size_t max_tiles_;
  std::list<Key> lru_;  // front = most recent
  std::map<Key, std::pair<std::shared_ptr<const HashedTile>, std::list<Key>::iterator>> map_;
};

class TileNodeReader final : public NodeReader {
 public:
  // cache may be null (no caching).
  TileNodeReader(const TileFetcher& fetcher, uint64_t tree_size, TileCache* cache)
      : fetcher_(fetcher), tree_size_(tree_size), cache_(cache) {}
  Result<Hash> Node(uint32_t height, uint64_t index) const override;

 private:
  const TileFetcher& fetcher_;
  uint64_t tree_size_;
  TileCache* cache_;
};

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_TILE_NODE_READER_H_
