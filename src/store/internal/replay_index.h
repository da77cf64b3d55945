// ReplayIndex: where a SqlStore keeps the replay records of some scopes instead of the
// replay_cache table (the SQLite backend's replay journal, sqlite/replay_journal.h). SqlStore
// routes every record of a scope the index Holds() to it, from every operation (RecordOnce,
// RecordAll, RecordAllLater, the token grants' transactions, IsRecorded), so a (scope, key) is
// only ever looked up where it is recorded.
//
// Thread safety: every method may be called from any thread.
#ifndef ACCORD_STORE_INTERNAL_REPLAY_INDEX_H_
#define ACCORD_STORE_INTERNAL_REPLAY_INDEX_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "common/status.h"
#include "store/internal/sql.h"
#include "store/records.h"

namespace accord::store::internal {

class ReplayIndex {
 public:
  virtual ~ReplayIndex() = default;

  virtual bool Holds(ReplayScope scope) const = 0;
  // All or nothing: when one record's (scope, key) is present and unexpired at `now`, records
  // none and returns AlreadyExists "replay" with *replayed (if given) set to its index. Every
  // record must be of a scope Holds(). Recorded means decided: a later call sees it at once; it
  // is durable once a wait taken afterwards (TakeDurabilityWait) has ended OK.
  virtual Status Record(std::span<const ReplayRecord> records, int64_t now, int* replayed) = 0;
  virtual bool Contains(ReplayScope scope, std::string_view key, int64_t now) const = 0;
  // A wait covering every record recorded before this call (a commit's wait, transaction.h).
  virtual DurabilityWait TakeDurabilityWait() = 0;
};

}  // namespace accord::store::internal

#endif  // ACCORD_STORE_INTERNAL_REPLAY_INDEX_H_
