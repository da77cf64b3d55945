// The replay journal's on-disk record (replay_journal.h), 32 bytes:
//   byte 0 kind (1 = recorded), 1 scope, 2..3 zero, 4..7 CRC-32 (IEEE, little-endian) of bytes
//   0..3 and 8..31, 8..15 expires_at (int64, little-endian), 16..31 the first 16 bytes of
//   SHA-256(scope byte || key).
// Decoding stops at the first short or invalid record: after a crash only the unsynced tail of
// a segment can be torn, and nothing after it was acknowledged. A well-formed record of a scope
// this build does not know is told apart, so that the journal refuses to open after a downgrade
// instead of forgetting what follows it.
//
// Thread safety: free functions, no state.
#ifndef ACCORD_STORE_SQLITE_JOURNAL_RECORD_H_
#define ACCORD_STORE_SQLITE_JOURNAL_RECORD_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "store/records.h"

namespace accord::store::sqlite {

inline constexpr size_t kJournalRecordBytes = 32;

struct JournalRecord {
  ReplayScope scope = ReplayScope::kClientAssertion;
  int64_t expires_at = 0;
  std::array<uint8_t, 16> key{};
};

// Whether the journal keeps this scope (the per-request ones, with lifetimes of minutes).
inline bool JournalHolds(ReplayScope scope) {
  return scope == ReplayScope::kClientAssertion || scope == ReplayScope::kDpopProof ||
         scope == ReplayScope::kConsumedCode;
}

// Appends the record's 32 bytes to `out`. `record.scope` must be one JournalHolds().
void AppendJournalRecord(const JournalRecord& record, std::string* out);

// Calls `each` for every valid record from the start of `data`, in order, up to the first short
// or invalid one (wrong kind, non-zero padding, bad CRC, a scope the journal does not keep);
// returns the bytes those records span (a multiple of 32). When `foreign_scope` is given, it is
// set to the scope byte of the record decoding stopped at if that record is well formed (kind,
// padding and CRC valid) but of a scope this build does not keep: a newer Accord wrote it (a torn
// write passes the CRC once in 2^32). Otherwise it is set to -1.
size_t DecodeJournalRecords(std::string_view data,
                            const std::function<void(const JournalRecord&)>& each,
                            int* foreign_scope = nullptr);

}  // namespace accord::store::sqlite

#endif  // ACCORD_STORE_SQLITE_JOURNAL_RECORD_H_
