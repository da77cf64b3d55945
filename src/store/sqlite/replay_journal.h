// ReplayJournal: the replay cache of the per-request scopes (client assertion and DPoP proof
// jti) for a SQLite store served by one process: an in-memory index of what is recorded, made
// durable by an append-only file of fixed-size records, like LevelDB's memtable and log
// (docs/store.md, "Replay journal").
//
// Why: in the replay_cache table every jti is a random key, so every record dirties its own
// B-tree leaf, and a client_credentials request costs a write transaction (about a fifth of its
// server CPU, docs/benchmarks.md). Here a record costs a hash-table insert and 32 bytes of file.
//
// Files: directory `<database>-replay/` (mode 0700): `LOCK` (held with flock by the process
// that has the journal open: a second process gets FailedPrecondition "journal_in_use"), and
// segments `<10-digit number>.log` (mode 0600) of 32-byte records (journal_record.h).
// Each open starts a new segment; a segment is closed after kSegmentSeconds or kSegmentBytes and
// deleted once every record in it has expired. Opening reads every segment in order and stops
// in a segment at its first short or corrupt record (the unsynced tail of a crash: nothing
// acknowledged is there, since an answer waits for the sync that covers its records).
//
// Durability: Record() decides at once (a later Record or Contains sees it) and buffers the
// record; Sync() appends everything buffered and fdatasyncs the segment. The SQLite store runs
// Sync() at the start of every group sync (before the -wal's), so a commit's or a record's
// durability wait covers every record recorded before it. After a failed write or sync the
// journal is broken: every later Record and Sync fails (Unavailable) until the process restarts
// and reads back what reached the disk.
//
// Memory: the index keeps a 64-bit fingerprint (the key hash's first 8 bytes) and the expiry
// of each unexpired record, 16-24 bytes each (expiring_set.h); at most `max_entries` jtis (then
// Record is Unavailable "replay_journal_full", and the store records them in its table instead),
// and consumed codes up to twice that (then the exchange is refused for now). Two keys
// with one fingerprint would make the second look like a replay: at a million records, a chance
// of about 1 in 10^13 per request, and only ever a refusal.
//
// Thread safety: all methods may be called from any thread. Open() returns the process's one
// journal per directory (shared by every store of the database file).
#ifndef ACCORD_STORE_SQLITE_REPLAY_JOURNAL_H_
#define ACCORD_STORE_SQLITE_REPLAY_JOURNAL_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/sqlite/expiring_set.h"
#include "store/sqlite/journal_record.h"

namespace accord::store::sqlite {

class ReplayJournal {
 public:
  static constexpr size_t kRecordBytes = kJournalRecordBytes;
  static constexpr size_t kDefaultMaxEntries = 1'000'000;
  static constexpr int64_t kSegmentSeconds = 300;
  static constexpr size_t kSegmentBytes = 16u << 20;

  // The scopes kept here: recorded on every token request, with lifetimes of minutes.
  static bool Holds(ReplayScope scope) { return JournalHolds(scope); }
  // The journal beside database file `db_path` (directory db_path + "-replay"), created if
  // missing and read back; `now` drops what has expired. Shared within the process (the first
  // opener's `max_entries` holds).
  static Result<std::shared_ptr<ReplayJournal>> Open(const std::string& db_path, int64_t now,
                                                     size_t max_entries = kDefaultMaxEntries);
  ~ReplayJournal();
  ReplayJournal(const ReplayJournal&) = delete;
  ReplayJournal& operator=(const ReplayJournal&) = delete;

  // All or nothing (internal/replay_index.h): AlreadyExists "replay" with *replayed set when
  // one record is present and unexpired; records must be of scopes Holds().
  Status Record(std::span<const ReplayRecord> records, int64_t now, int* replayed);
  bool Contains(ReplayScope scope, std::string_view key, int64_t now) const;
  // Appends what is buffered and syncs it; OK at once when nothing was recorded since.
  Status Sync();

  size_t size() const;            // unexpired records held (as of the latest Record)
  size_t Live(int64_t now);       // unexpired records held at `now` (or the latest Record's)
  uint64_t records_read() const;  // records read back when opened
  uint64_t syncs() const;         // fdatasyncs run

 private:
  using Key = std::array<uint8_t, 16>;  // JournalRecord::key
  struct Segment {
    std::string path;
    int64_t max_expires = 0;
  };
  ReplayJournal() = default;
  static Key KeyOf(ReplayScope scope, std::string_view key);
  static uint64_t Fingerprint(const Key& key);
  Status ReadSegment(const std::string& path, int64_t now, int64_t* max_expires);
  // With sync_mu_ held: closes the current segment and opens the next one.
  Status StartSegment(uint64_t number);

  std::string dir_;
  int lock_fd_ = -1;
  size_t max_entries_ = kDefaultMaxEntries;

  mutable std::mutex mu_;
  ExpiringSet index_;                                // guarded by mu_
  size_t live_ = 0;                                  // guarded by mu_: index_.Live(last_now_)
  std::string buffer_;                               // guarded by mu_: records not yet written
  int64_t buffer_max_expires_ = 0;                   // guarded by mu_
  int64_t last_now_ = 0;                             // guarded by mu_
  bool broken_ = false;                              // guarded by mu_
  uint64_t records_read_ = 0;

  mutable std::mutex sync_mu_;  // one Sync at a time; held across its write and fdatasync
  int fd_ = -1;                 // guarded by sync_mu_: the segment appended to
  uint64_t segment_number_ = 0;       // guarded by sync_mu_
  size_t segment_bytes_ = 0;          // guarded by sync_mu_
  int64_t segment_started_ = 0;       // guarded by sync_mu_ (the now of its first record)
  Segment current_;                   // guarded by sync_mu_
  std::vector<Segment> closed_;       // guarded by sync_mu_
  uint64_t syncs_ = 0;                // guarded by sync_mu_
};

}  // namespace accord::store::sqlite

#endif  // ACCORD_STORE_SQLITE_REPLAY_JOURNAL_H_
