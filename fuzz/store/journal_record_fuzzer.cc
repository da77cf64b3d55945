// libFuzzer target for the replay journal's segment records (store/sqlite/journal_record.h):
// whatever decodes must encode back to exactly the bytes it came from, decoding must stop on a
// 32-byte boundary within the input, and the record it stopped at must not decode on its own.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/sqlite/journal_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace accord::store::sqlite;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string again;
  size_t count = 0;
  const size_t valid = DecodeJournalRecords(in, [&](const JournalRecord& r) {
    if (!JournalHolds(r.scope)) __builtin_trap();
    AppendJournalRecord(r, &again);
    ++count;
  });
  if (valid > size || valid % kJournalRecordBytes != 0 || count * kJournalRecordBytes != valid) {
    __builtin_trap();
  }
  if (again != in.substr(0, valid)) __builtin_trap();
  if (valid + kJournalRecordBytes <= size) {
    const size_t rest = DecodeJournalRecords(in.substr(valid), [](const JournalRecord&) {});
    if (rest != 0) __builtin_trap();
  }
  return 0;
}
