#include "datasec/log_scanner.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/base64url.h"
#include "common/json.h"
#include "datasec/internal/config_util.h"

namespace accord::datasec {
namespace {

constexpr size_t kMinEncodedValue = 6;
constexpr size_t kMaxPeopleFile = 4 << 20;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

std::string UrlEncode(std::string_view s, bool plus_for_space) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else if (c == ' ' && plus_for_space) {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

// The base64 characters determined only by `value`'s bytes when it starts `shift` bytes into an
// encoded buffer (shift 0..2).
std::string EncodedCore(std::string_view value, size_t shift, bool url) {
  std::string buf(shift, '\0');
  buf += value;
  std::string enc = url ? Base64UrlEncode(AsBytes(buf)) : Base64Encode(AsBytes(buf));
  while (!enc.empty() && enc.back() == '=') enc.pop_back();
  size_t first = (8 * shift + 5) / 6;
  size_t last = (8 * (shift + value.size())) / 6;  // exclusive
  if (last <= first || last > enc.size()) return {};
  return enc.substr(first, last - first);
}

}  // namespace

void LogScanner::AddValue(const std::string& person_id, const std::string& field,
                          const std::string& value) {
  if (value.size() < 3) return;
  auto add = [&](std::string form, std::string text, bool word, bool ci) {
    if (text.empty()) return;
    for (const auto& n : needles_) {
      if (n.text == text && n.person_id == person_id && n.field == field) return;
    }
    needles_.push_back(Needle{person_id, field, std::move(form), std::move(text), word, ci});
  };
  add("text", Lower(value), true, true);
  add("url", Lower(UrlEncode(value, false)), true, true);
  add("url", Lower(UrlEncode(value, true)), true, true);
  if (value.size() >= kMinEncodedValue) {
    for (size_t shift = 0; shift < 3; ++shift) {
      add("base64url", EncodedCore(value, shift, true), false, false);
      add("base64", EncodedCore(value, shift, false), false, false);
    }
  }
}

Status LogScanner::AddPeople(std::string_view people_json, std::string_view source) {
  auto doc = ParseJsonObject(people_json, JsonLimits{kMaxPeopleFile, 16, false});
  if (!doc.ok()) return InvalidArgument(std::string(source) + ": " + doc.status().message(), "bad_config");
  const auto* people = doc->if_contains("people");
  if (people == nullptr || !people->is_array()) {
    return InvalidArgument(std::string(source) + ": people: must be an array", "bad_config");
  }
  for (const auto& p : people->as_array()) {
    if (!p.is_object()) continue;
    const auto& o = p.as_object();
    std::string id;
    if (const auto* v = o.if_contains("id"); v != nullptr && v->is_string()) id = v->as_string().c_str();
    for (const char* field : {"given_name", "family_name", "full_name", "birthdate",
                              "identity_number", "email", "phone_number", "mobileno"}) {
      const auto* v = o.if_contains(field);
      if (v == nullptr || !v->is_string()) continue;
      std::string value(v->as_string().c_str());
      AddValue(id, field, value);
      if (std::string_view(field) == "birthdate" && value.size() == 10 && value[4] == '-' &&
          value[7] == '-') {
        AddValue(id, field, value.substr(0, 4) + value.substr(5, 2) + value.substr(8, 2));
        AddValue(id, field, value.substr(8, 2) + "/" + value.substr(5, 2) + "/" + value.substr(0, 4));
      }
      if ((std::string_view(field) == "phone_number" || std::string_view(field) == "mobileno") &&
          !value.empty() && value[0] == '+') {
        AddValue(id, field, value.substr(1));
      }
    }
  }
  return Status::Ok();
}

Result<LogScanner> LogScanner::LoadPeople(const std::string& people_dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(people_dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (ec) return NotFound(people_dir + ": cannot list", "bad_config");
  std::sort(files.begin(), files.end());
  LogScanner scanner;
  for (const auto& f : files) {
    ACCORD_ASSIGN_OR_RETURN(std::string text, internal::ReadBoundedFile(f.string(), kMaxPeopleFile));
    ACCORD_RETURN_IF_ERROR(scanner.AddPeople(text, f.string()));
  }
  if (scanner.needles_.empty()) return NotFound(people_dir + ": no people found", "bad_config");
  return scanner;
}

std::vector<LogFinding> LogScanner::ScanText(std::string_view text,
                                             std::string_view file_name) const {
  std::vector<LogFinding> out;
  int64_t line_no = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    ++line_no;
    std::string lower = Lower(line);
    for (const Needle& n : needles_) {
      std::string_view hay = n.case_insensitive ? std::string_view(lower) : line;
      for (size_t pos = hay.find(n.text); pos != std::string_view::npos;
           pos = hay.find(n.text, pos + 1)) {
        size_t after = pos + n.text.size();
        if (n.word_boundary && ((pos > 0 && IsWordChar(hay[pos - 1])) ||
                                (after < hay.size() && IsWordChar(hay[after])))) {
          continue;
        }
        out.push_back(LogFinding{std::string(file_name), line_no, n.person_id, n.field, n.form});
        break;
      }
    }
    start = end + 1;
  }
  return out;
}

Result<std::vector<LogFinding>> LogScanner::ScanFile(const std::string& path) const {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": cannot read", "unreadable");
  std::vector<LogFinding> out;
  std::string line;
  int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    for (auto& f : ScanText(line, path)) {
      f.line = line_no;
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace accord::datasec
