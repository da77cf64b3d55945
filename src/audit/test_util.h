// Test helpers for the audit module: temporary directories and generated keys.
#ifndef ACCORD_AUDIT_TEST_UTIL_H_
#define ACCORD_AUDIT_TEST_UTIL_H_

#include <cstdlib>
#include <filesystem>
#include <string>

#include "audit/note_keys.h"
#include "audit/tile_log.h"

namespace accord::audit::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "accord-audit-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
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
