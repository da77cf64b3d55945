#include "store/sqlite/journal_record.h"

#include <cstring>

namespace accord::store::sqlite {
namespace {

constexpr uint8_t kKindRecorded = 1;

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

uint32_t Crc32(uint32_t crc, const uint8_t* data, size_t n) {
  crc = ~crc;
  for (size_t i = 0; i < n; ++i) crc = kCrcTable[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

// Bytes 0..3 and 8..31 (4..7 hold the CRC).
uint32_t RecordCrc(const uint8_t* rec) {
  return Crc32(Crc32(0, rec, 4), rec + 8, kJournalRecordBytes - 8);
}

void PutLe(uint8_t* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint64_t GetLe(const uint8_t* in, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(in[i]) << (8 * i);
  return v;
}

}  // namespace

void AppendJournalRecord(const JournalRecord& record, std::string* out) {
  uint8_t rec[kJournalRecordBytes] = {};
  rec[0] = kKindRecorded;
  rec[1] = static_cast<uint8_t>(record.scope);
  PutLe(rec + 8, static_cast<uint64_t>(record.expires_at), 8);
  std::memcpy(rec + 16, record.key.data(), record.key.size());
  PutLe(rec + 4, RecordCrc(rec), 4);
  out->append(reinterpret_cast<const char*>(rec), kJournalRecordBytes);
}

size_t DecodeJournalRecords(std::string_view data,
                            const std::function<void(const JournalRecord&)>& each,
                            int* foreign_scope) {
  if (foreign_scope != nullptr) *foreign_scope = -1;
  size_t at = 0;
  for (; at + kJournalRecordBytes <= data.size(); at += kJournalRecordBytes) {
    const auto* rec = reinterpret_cast<const uint8_t*>(data.data() + at);
    if (rec[0] != kKindRecorded || rec[2] != 0 || rec[3] != 0) break;
    if (static_cast<uint32_t>(GetLe(rec + 4, 4)) != RecordCrc(rec)) break;
    JournalRecord r;
    r.scope = static_cast<ReplayScope>(rec[1]);
    if (!JournalHolds(r.scope)) {
      if (foreign_scope != nullptr) *foreign_scope = rec[1];
      break;
    }
    r.expires_at = static_cast<int64_t>(GetLe(rec + 8, 8));
    std::memcpy(r.key.data(), rec + 16, r.key.size());
    each(r);
  }
  return at;
}

}  // namespace accord::store::sqlite
