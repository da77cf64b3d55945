#include "audit/log_verifier.h"

#include <algorithm>

#include "audit/merkle_nodes.h"
#include "audit/note_keys.h"
#include "audit/tile_node_reader.h"
#include "audit/tlog_tiles.h"
#include "common/base64url.h"

namespace accord::audit {
namespace {

std::string RootString(const Hash& h) { return Base64Encode(HashView(h)); }

}  // namespace

Result<Bytes> ReaderTileFetcher::FetchTile(uint32_t level, uint64_t index, uint32_t width) const {
  return reader_.Read(TilePath(level, index, width));
}

Result<Bytes> ReadLogEntry(const ResourceReader& reader, uint64_t index, uint64_t tree_size) {
  if (index >= tree_size) return OutOfRange("index is beyond the tree size", "index_out_of_range");
  const uint32_t width = TileWidthAtSize(0, index / kTileWidth, tree_size);
  ACCORD_ASSIGN_OR_RETURN(Bytes data, reader.Read(EntriesPath(index / kTileWidth, width)));
  ACCORD_ASSIGN_OR_RETURN(auto entries, ParseEntryBundle(data, width));
  return std::move(entries[index % kTileWidth]);
}

Result<Bytes> StorageResourceReader::Read(std::string_view path) const {
  return storage_.Read(path, 1 << 25);
}

Result<VerifyLogReport> VerifyLog(const VerifyLogRequest& req, const ResourceReader& reader) {
  if (req.log_key == nullptr) return InvalidArgument("no log key", "bad_config");
  VerifyLogReport report;
  ACCORD_ASSIGN_OR_RETURN(VerifiedCheckpoint v, OpenCheckpoint(req.checkpoint_note, req.origin,
                                                               *req.log_key, req.witnesses));
  const Checkpoint& c = v.checkpoint;
  report.checkpoint = c;
  report.checks.push_back("checkpoint signature by log key " + req.log_key->name() + " verified");
  for (const NoteVerifier* w : req.witnesses) {
    report.checks.push_back("cosignature by witness " + w->name() + " verified");
  }
  report.checks.push_back("origin " + c.origin + ", tree size " + std::to_string(c.size) +
                          ", root " + RootString(c.root));

  ReaderTileFetcher fetcher(reader);
  TileCache cache(1024);
  TileNodeReader nodes(fetcher, c.size, &cache);
  ACCORD_ASSIGN_OR_RETURN(Hash tile_root, TreeRoot(nodes, c.size));
  if (tile_root != c.root) {
    return Unauthenticated("tiles do not hash to the checkpoint root", "root_mismatch");
  }
  report.checks.push_back("tiles hash to the checkpoint root");

  if (req.previous_checkpoint_note.has_value()) {
    ACCORD_ASSIGN_OR_RETURN(VerifiedCheckpoint prev,
                            OpenCheckpoint(*req.previous_checkpoint_note, req.origin, *req.log_key));
    const Checkpoint& p = prev.checkpoint;
    if (p.size > c.size) {
      return FailedPrecondition("checkpoint is smaller than a previously verified one", "rollback");
    }
    ACCORD_ASSIGN_OR_RETURN(auto proof, BuildConsistencyProof(nodes, p.size, c.size));
    ACCORD_RETURN_IF_ERROR(VerifyConsistency(p.size, c.size, proof, p.root, c.root));
    report.checks.push_back("consistent with previous checkpoint of size " + std::to_string(p.size) +
                            " (" + std::to_string(proof.size()) + "-hash consistency proof)");
  }

  if (req.full) {
    std::vector<Hash> compact;
    for (uint64_t index = 0; index * kTileWidth < c.size; ++index) {
      const uint32_t width = TileWidthAtSize(0, index, c.size);
      ACCORD_ASSIGN_OR_RETURN(Bytes data, reader.Read(EntriesPath(index, width)));
      ACCORD_ASSIGN_OR_RETURN(auto entries, ParseEntryBundle(data, width));
      // The level-0 tile must hold exactly these entries' leaf hashes.
      ACCORD_ASSIGN_OR_RETURN(Bytes tile, reader.Read(TilePath(0, index, width)));
      if (tile.size() != size_t{width} * kHashSize) {
        return Unauthenticated("level-0 tile has the wrong size", "tile_mismatch");
      }
      for (uint32_t i = 0; i < width; ++i) {
        const Hash leaf = HashLeaf(entries[i]);
        if (!std::equal(leaf.begin(), leaf.end(), tile.begin() + i * kHashSize)) {
          return Unauthenticated("level-0 tile does not match entry " +
                                     std::to_string(index * kTileWidth + i),
                                 "tile_mismatch");
        }
      }
      for (uint32_t i = 0; i < width; ++i) {
        const uint64_t leaf_index = index * kTileWidth + i;
        if (req.entry_check) ACCORD_RETURN_IF_ERROR(req.entry_check(leaf_index, entries[i]));
        Hash h = HashLeaf(entries[i]);
        for (uint64_t s = leaf_index; (s & 1) == 1; s >>= 1) {
          h = HashChildren(compact.back(), h);
          compact.pop_back();
        }
        compact.push_back(h);
        ++report.entries_checked;
      }
    }
    Hash root = EmptyRoot();
    if (!compact.empty()) {
      root = compact.back();
      for (size_t i = compact.size() - 1; i-- > 0;) root = HashChildren(compact[i], root);
    }
    if (root != c.root) {
      return Unauthenticated("entries do not hash to the checkpoint root", "root_mismatch");
    }
    report.checks.push_back("recomputed the tree from all " + std::to_string(report.entries_checked) +
                            " entries: root matches");
  }
  return report;
}

}  // namespace accord::audit
