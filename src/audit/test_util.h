// Test helpers for the audit module: temporary directories and generated keys.
#ifndef ACCORD_AUDIT_TEST_UTIL_H_
#define ACCORD_AUDIT_TEST_UTIL_H_

#include <string>

#include "audit/note_keys.h"
#include "audit/tile_log.h"
#include "common/testing/temp_dir.h"

namespace accord::audit::testing {

// A fresh temporary directory (accord-audit-XXXXXX) removed on destruction; see
// common/testing/temp_dir.h.
class TempDir : public ::accord::testing::TempDir {
 public:
  TempDir() : ::accord::testing::TempDir("accord-audit-") {}
};

struct LogKeys {
  std::string skey;
  std::string vkey;
};

inline LogKeys MakeKeys(const std::string& name, NoteKeyType type = NoteKeyType::kEd25519) {
  auto pair = GenerateNoteKey(name, type);
  return {std::string(AsStringView(pair->skey.view())), pair->vkey};
}

inline TileLogOptions MakeOptions(const LogKeys& keys, const std::string& origin) {
  TileLogOptions o;
  o.origin = origin;
  o.signer = std::move(*NewNoteSigner(keys.skey));
  o.verifier = std::move(*NewNoteVerifier(keys.vkey));
  return o;
}

}  // namespace accord::audit::testing

#endif  // ACCORD_AUDIT_TEST_UTIL_H_
