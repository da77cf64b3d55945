// LogStorage: where a tiled log keeps its resources, named by their tlog-tiles paths relative to the
// log prefix ("checkpoint", "tile/0/x001/234.p/17", "tile/entries/000") plus private state under
// "log-state/" (including the sequencing journal, OpenJournal()). Backends: PosixLogStorage (posix_log_storage.h); SQL backends later.
//
// Durability contract (every backend MUST):
//   - Write(): when it returns OK, every resource in the batch is durable: it survives a process
//     kill or power loss, with its full new contents.
//   - Each resource is replaced atomically: a reader (or a recovery after a crash) sees either the
//     complete old contents or the complete new contents, never a mix or a torn write.
//   - Resources of an earlier OK Write() are durable before any resource of a later Write() becomes
//     visible (so a commit record written after the data it covers never outlives that data).
//   - When Write() fails, the batch may be partially applied; the caller treats it as not written.
// Reads see the latest completed replacement of each resource.
//
// Thread safety: implementations must allow Read()/Exists() concurrently with each other and with
// one Write()/Remove() at a time; the caller (the log's single integrator) serialises writers.
#ifndef ACCORD_AUDIT_LOG_STORAGE_H_
#define ACCORD_AUDIT_LOG_STORAGE_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/journal.h"
#include "common/bytes.h"
#include "common/status.h"

namespace accord::audit {

struct StorageWrite {
  std::string path;
  Bytes data;
};

class LogStorage {
 public:
  virtual ~LogStorage() = default;
  // NotFound when absent; the contents bounded by max_bytes (OutOfRange when larger).
  virtual Result<Bytes> Read(std::string_view path, size_t max_bytes = 1 << 20) const = 0;
  virtual Status Write(std::span<const StorageWrite> batch) = 0;
  // Writes `batch`, then `commit`, such that `commit` never becomes visible (not even after a
  // crash) unless the whole batch is durable. OK means both are durable. The default is two
  // Write() rounds; backends may pipeline (PosixLogStorage syncs the commit's contents together
  // with the batch and only orders the final rename).
  virtual Status WriteThenCommit(std::span<const StorageWrite> batch, const StorageWrite& commit) {
    ACCORD_RETURN_IF_ERROR(Write(batch));
    return Write(std::span<const StorageWrite>(&commit, 1));
  }
  // Removes a resource (OK if absent). Used by recovery to drop never-acknowledged data.
  virtual Status Remove(std::string_view path) = 0;
  // The log's sequencing journal (journal.h), kept beside the resources (PosixLogStorage:
  // "log-state/journal/"). One per log; the caller owns it.
  virtual Result<std::unique_ptr<Journal>> OpenJournal() = 0;
  // Widths W for which "<base>.p/<W>" exists (base is a full tile or bundle path).
  virtual Result<std::vector<uint32_t>> ListPartials(std::string_view base) const = 0;
};

// Paths are relative, '/'-separated, with segments of [A-Za-z0-9._-] and no "." or ".." segment.
bool IsSafeResourcePath(std::string_view path);

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_LOG_STORAGE_H_
