// LogScanner: finds the sandbox people's personal data in produced logs (docs/security.md, "Logs").
// The integrator runs it over every log the end-to-end suite wrote; `accord policy scan-logs`
// wraps it.
//
// Needles come from data/people/*.json ({"people":[{...}]}): given_name, family_name, full_name,
// birthdate (also YYYYMMDD and DD/MM/YYYY), identity_number, email, phone_number / mobileno (also
// without a leading '+'). Each is searched
//   - as text, case-insensitively, at word boundaries (so "Ada" does not match "adapter");
//   - URL-encoded (%20 and '+' for spaces, '@' as %40, '+' as %2B), case-insensitively;
//   - base64url and base64 encoded at all three byte alignments (so it is found inside a JWT or
//     any encoded blob), for values of at least 6 bytes.
// Findings name the file, line, person id, field and form, never the value.
//
// Thread safety: a built LogScanner is immutable; Scan* are const and safe concurrently.
#ifndef ACCORD_DATASEC_LOG_SCANNER_H_
#define ACCORD_DATASEC_LOG_SCANNER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace accord::datasec {

struct LogFinding {
  std::string file;
  int64_t line = 0;
  std::string person_id;
  std::string field;  // "given_name", ...
  std::string form;   // "text", "url", "base64url", "base64"
};

class LogScanner {
 public:
  struct Needle {
    std::string person_id, field, form;
    std::string text;     // lower-cased for text/url forms
    bool word_boundary;   // text/url forms
    bool case_insensitive;
  };

  // Reads every *.json in `people_dir` (each at most 4 MiB). Errors name the file.
  static Result<LogScanner> LoadPeople(const std::string& people_dir);
  // people_json: one {"people":[...]} document; `source` names it in errors.
  Status AddPeople(std::string_view people_json, std::string_view source);

  std::vector<LogFinding> ScanText(std::string_view text, std::string_view file_name) const;
  // NotFound if a file cannot be read.
  Result<std::vector<LogFinding>> ScanFile(const std::string& path) const;

  size_t needle_count() const { return needles_.size(); }

 private:
  void AddValue(const std::string& person_id, const std::string& field, const std::string& value);
  std::vector<Needle> needles_;
};

}  // namespace accord::datasec

#endif  // ACCORD_DATASEC_LOG_SCANNER_H_
