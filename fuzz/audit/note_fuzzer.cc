// libFuzzer target for the audit log's parsers: signed notes (and verification against a fixed
// key), checkpoints, tile paths, entry bundles, audit events and journal records (read back after
// a crash). Inputs are attacker-controlled when fetched from
// another country's log or submitted to the witness.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "audit/checkpoint.h"
#include "audit/journal.h"
#include "audit/log_entry.h"
#include "audit/note_keys.h"
#include "audit/signed_note.h"
#include "audit/tlog_tiles.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace accord::audit;
  static const std::unique_ptr<NoteVerifier> kKey =
      std::move(*NewNoteVerifier("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  auto note = ParseNote(in);
  if (note.ok()) {
    // Whatever parses must format back to exactly the input.
    if (FormatNote(*note) != in) __builtin_trap();
    auto c = ParseCheckpoint(note->text);
    if (c.ok() && FormatCheckpoint(*c) != note->text) __builtin_trap();
  }
  const NoteVerifier* key = kKey.get();
  (void)OpenCheckpoint(in, "PeterNeumann", *key);
  auto c = ParseCheckpoint(in);
  if (c.ok() && FormatCheckpoint(*c) != in) __builtin_trap();
  auto path = ParseTilePath(in);
  if (path.ok() && TileIdPath(*path) != in) __builtin_trap();
  (void)ParseEntryBundle(accord::AsBytes(in), 3);
  auto event = ParseAuditEvent(in);
  if (event.ok() && SerializeAuditEvent(*event) != in) __builtin_trap();
  JournalRecord record;
  size_t used = 0;
  if (DecodeJournalFrame(accord::AsBytes(in), &record, &used) == FrameResult::kRecord) {
    if (used > size || EncodeJournalRecord(record.first, record.entries) !=
                           accord::Bytes(data, data + used)) {
      __builtin_trap();
    }
  }
  (void)NewNoteVerifier(in);
  return 0;
}
