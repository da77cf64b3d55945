// libFuzzer target for the replay journal's segment records (store/sqlite/journal_record.h):
// whatever decodes must encode back to exactly the bytes it came from, decoding must stop on a
// 32-byte boundary within the input, the record it stopped at must not decode on its own, and a
// foreign scope is reported only for that record, with its scope byte.
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
  int foreign_scope = -2;
  const size_t valid = DecodeJournalRecords(
      in,
      [&](const JournalRecord& r) {
        if (!JournalHolds(r.scope)) __builtin_trap();
        AppendJournalRecord(r, &again);
        ++count;
      },
      &foreign_scope);
  if (valid > size || valid % kJournalRecordBytes != 0 || count * kJournalRecordBytes != valid) {
    __builtin_trap();
  }
  // A foreign scope is reported only for a whole record after the valid ones, and is one this
  // build does not keep.
  if (foreign_scope != -1 &&
      (foreign_scope < 0 || foreign_scope > 255 || valid + kJournalRecordBytes > size ||
       static_cast<uint8_t>(in[valid + 1]) != foreign_scope ||
       JournalHolds(static_cast<accord::store::ReplayScope>(foreign_scope)))) {
    __builtin_trap();
  }
  if (again != in.substr(0, valid)) __builtin_trap();
  if (valid + kJournalRecordBytes <= size) {
    const size_t rest = DecodeJournalRecords(in.substr(valid), [](const JournalRecord&) {});
    if (rest != 0) __builtin_trap();
  }
  return 0;
}
