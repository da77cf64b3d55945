// PosixLogStorage: LogStorage over a directory (like Tessera's posix driver).
//
// Each resource is a file at <root>/<path>. Write() gives every file of the batch a temporary
// sibling, writes it, fdatasyncs all of them in parallel, renames each over its target, then
// fsyncs (in parallel) every directory that gained or changed an entry, including newly created
// ones and their parents. rename(2) makes replacement atomic. WriteThenCommit() syncs the commit
// record's temporary file together with the batch's files and renames it only after the batch's
// directories are synced: three sync rounds per batch however many entries it holds (group
// commit), with concurrent syncs sharing one journal commit on journalling file systems.
//
// Thread safety: see LogStorage. Lifetime: the directory must not be changed by anyone else.
#ifndef ACCORD_AUDIT_POSIX_LOG_STORAGE_H_
#define ACCORD_AUDIT_POSIX_LOG_STORAGE_H_

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "audit/log_storage.h"

namespace accord::audit {

class PosixLogStorage final : public LogStorage {
 public:
  // Creates `root` if needed (and fsyncs its parent).
  static Result<std::unique_ptr<PosixLogStorage>> Open(const std::string& root);

  Result<Bytes> Read(std::string_view path, size_t max_bytes = 1 << 20) const override;
  Status Write(std::span<const StorageWrite> batch) override;
  Status WriteThenCommit(std::span<const StorageWrite> batch, const StorageWrite& commit) override;
  Status Remove(std::string_view path) override;
  Result<std::vector<uint32_t>> ListPartials(std::string_view base) const override;
  // A PosixJournal in <root>/log-state/journal.
  Result<std::unique_ptr<Journal>> OpenJournal() override;

  const std::string& root() const { return root_; }

 private:
  explicit PosixLogStorage(std::string root) : root_(std::move(root)) {}
  // mkdir -p for the parent of `rel`; adds every directory whose entries changed to *dirty.
  Status EnsureParent(const std::string& rel, std::set<std::string>* dirty);
  // Writes temp files for `batch` (plus `commit` if non-null), syncs them all in parallel, renames
  // the batch's files, syncs their directories; then renames the commit and syncs its directory.
  Status WriteLocked(std::span<const StorageWrite> batch, const StorageWrite* commit);

  std::string root_;
  std::mutex write_mu_;
  std::set<std::string> known_dirs_;  // guarded by write_mu_
  uint64_t tmp_counter_ = 0;          // guarded by write_mu_
};

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_POSIX_LOG_STORAGE_H_
