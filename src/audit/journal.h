// The sequencing journal: a write-ahead log that makes appends durable with one sync per batch,
// before they are integrated into tiles. Format: docs/audit-format.md ("Journal").
//
// A record holds a batch of consecutive entries [first, first + count) in one frame:
//   "AJR1" | u32 payload length | payload | SHA-256("AJR1" || length || payload)
//   payload = u64 first | u32 count | count x (u16 length || entry bytes)      (big-endian)
// The checksum lets recovery tell a complete record from one torn by a crash; a torn record was
// never acknowledged (the ack waits for the sync), so it is dropped.
//
// Durability contract (every Journal MUST):
//   - Append(): when it returns OK, the record survives a process kill or power loss.
//   - ReadFrom(n) returns, in order, every complete record with first >= n that was appended and
//     not trimmed; records must be contiguous from n (DataLoss "journal_gap" otherwise).
//   - Trim(n) may drop records whose entries are all < n (they are integrated and committed).
//
// Thread safety: Append() from one thread at a time (the log's sequencer), concurrently with one
// Trim() caller (the integrator); ReadFrom() only before appending starts (recovery).
#ifndef ACCORD_AUDIT_JOURNAL_H_
#define ACCORD_AUDIT_JOURNAL_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"

namespace accord::audit {

inline constexpr size_t kJournalFrameOverhead = 4 + 4 + 32;
inline constexpr size_t kMaxJournalPayload = 64u << 20;  // 64 MiB per record

struct JournalRecord {
  uint64_t first = 0;
  std::vector<Bytes> entries;
  uint64_t end() const { return first + entries.size(); }
};

// Precondition: 1 <= entries.size(), every entry 1..65535 bytes, total <= kMaxJournalPayload.
Bytes EncodeJournalRecord(uint64_t first, std::span<const Bytes> entries);
Bytes EncodeJournalRecord(uint64_t first, std::span<const Bytes* const> entries);

enum class FrameResult { kRecord, kTorn, kEnd };
// Decodes one frame at the start of `data`. kEnd when `data` is empty or starts with zero bytes
// only; kTorn when the frame is incomplete or its checksum fails (a crash mid-write) or the payload
// is malformed; kRecord with *consumed set otherwise.
FrameResult DecodeJournalFrame(BytesView data, JournalRecord* record, size_t* consumed);

class Journal {
 public:
  virtual ~Journal() = default;
  // `frame` from EncodeJournalRecord covering [first, end).
  virtual Status Append(uint64_t first, uint64_t end, BytesView frame) = 0;
  virtual Result<std::vector<JournalRecord>> ReadFrom(uint64_t first) = 0;
  virtual Status Trim(uint64_t integrated_size) = 0;
};

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_JOURNAL_H_
