// Fetch-free log verification: everything is read through a ResourceReader (a directory now, an
// HTTP client later), so the same core checks a local copy and a remote log.
//
// VerifyLog checks, in order, and records each check in the report:
//   1. the checkpoint note: the log's signature (Ed25519 note key), each required witness
//      cosignature (cosignature/v1), the origin;
//   2. the tiles hash to the checkpoint's root (TileNodeReader over the reader);
//   3. with a previous checkpoint (e.g. --state): it is signed by the log, not larger, and a
//      consistency proof built from the tiles verifies from it to the new checkpoint;
//   4. with `full`: every entry bundle is read, every entry checked by `entry_check` (if given),
//      each level-0 tile must hold exactly its entries' leaf hashes ("tile_mismatch"), and the
//      whole tree recomputed from the entries must give the checkpoint root.
// Any failure returns its Status (reasons as in merkle.h / checkpoint.h, plus "rollback").
//
// Thread safety: pure function of its inputs; the reader must be safe for sequential use.
#ifndef ACCORD_AUDIT_LOG_VERIFIER_H_
#define ACCORD_AUDIT_LOG_VERIFIER_H_

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/checkpoint.h"
#include "audit/log_storage.h"
#include "audit/signed_note.h"
#include "audit/tile_node_reader.h"

namespace accord::audit {

class ResourceReader {
 public:
  virtual ~ResourceReader() = default;
  // "checkpoint", tile and entry bundle paths. NotFound when absent.
  virtual Result<Bytes> Read(std::string_view path) const = 0;
};

// A ResourceReader over a LogStorage (a log directory). Borrows the storage.
class StorageResourceReader final : public ResourceReader {
 public:
  explicit StorageResourceReader(const LogStorage& storage) : storage_(storage) {}
  Result<Bytes> Read(std::string_view path) const override;

 private:
  const LogStorage& storage_;
};

// Tiles through a ResourceReader (for TileNodeReader). Borrows the reader.
class ReaderTileFetcher final : public TileFetcher {
 public:
  explicit ReaderTileFetcher(const ResourceReader& reader) : reader_(reader) {}
  Result<Bytes> FetchTile(uint32_t level, uint64_t index, uint32_t width) const override;

 private:
  const ResourceReader& reader_;
};

// Entry `index` of a tree of `tree_size` entries, from its entry bundle.
Result<Bytes> ReadLogEntry(const ResourceReader& reader, uint64_t index, uint64_t tree_size);

struct VerifyLogRequest {
  std::string_view checkpoint_note;
  std::string_view origin;  // expected origin (usually the log key name)
  const NoteVerifier* log_key = nullptr;
  std::vector<const NoteVerifier*> witnesses;
  std::optional<std::string_view> previous_checkpoint_note;
  bool full = false;
  std::function<Status(uint64_t index, BytesView entry)> entry_check;  // optional, with full
};

struct VerifyLogReport {
  Checkpoint checkpoint;
  std::vector<std::string> checks;  // one line per check that passed
  uint64_t entries_checked = 0;
};

Result<VerifyLogReport> VerifyLog(const VerifyLogRequest& request, const ResourceReader& reader);

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_LOG_VERIFIER_H_
