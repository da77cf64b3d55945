// PosixJournal: the sequencing journal (journal.h) as append-only segment files in a directory
// (a log's "log-state/journal/"). A segment is named by the first entry index it holds, as 20
// decimal digits; records are appended with write(2) and made durable with one fdatasync each
// (group commit: one sync per batch, whatever its size). A new segment is started on the first
// append after Open() and whenever the current one exceeds `segment_bytes`; its directory entry is
// synced before its first record is acknowledged. Trim() unlinks whole segments, never the one
// being written. Recovery (ReadFrom) drops a torn record at the end of the last segment and
// truncates it away; a torn record anywhere else is DataLoss "journal_corrupt".
//
// Thread safety: see Journal. Lifetime: owns its file descriptor; the directory must not be
// changed by anyone else.
#ifndef ACCORD_AUDIT_POSIX_JOURNAL_H_
#define ACCORD_AUDIT_POSIX_JOURNAL_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "audit/journal.h"

namespace accord::audit {

class PosixJournal final : public Journal {
 public:
  static constexpr size_t kDefaultSegmentBytes = 64u << 20;
  // Creates `dir` (and syncs its parent) if needed.
  static Result<std::unique_ptr<PosixJournal>> Open(const std::string& dir,
                                                    size_t segment_bytes = kDefaultSegmentBytes);
  ~PosixJournal() override;

  Status Append(uint64_t first, uint64_t end, BytesView frame) override;
  Result<std::vector<JournalRecord>> ReadFrom(uint64_t first) override;
  Status Trim(uint64_t integrated_size) override;

  size_t segment_count() const;

 private:
  struct Segment {
    uint64_t first = 0;
    uint64_t end = 0;  // one past the last entry index it holds
    std::string path;
  };
  PosixJournal(std::string dir, size_t segment_bytes) : dir_(std::move(dir)), segment_bytes_(segment_bytes) {}
  Status Scan();
  Status StartSegment(uint64_t first);

  const std::string dir_;
  const size_t segment_bytes_;
  mutable std::mutex mu_;
  std::vector<Segment> segments_;  // guarded by mu_; sorted by first
  bool writing_ = false;           // guarded by mu_: the last segment is open for appends
  int fd_ = -1;                    // the segment being written (sequencer only)
  size_t fd_bytes_ = 0;            // sequencer only
};

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_POSIX_JOURNAL_H_
