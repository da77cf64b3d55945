#include "store/internal/validate.h"

namespace accord::store::internal {

Status CheckHash(const TokenHash& hash, std::string_view what) {
  if (hash.size() != kTokenHashSize) {
    return InvalidArgument(std::string(what) + " must be a SHA-256 hash", "bad_hash");
  }
  return Status::Ok();
}

Status CheckRequired(std::string_view value, size_t max_bytes, std::string_view what) {
  if (value.empty()) return InvalidArgument(std::string(what) + " is empty", "bad_value");
  return CheckOptional(value, max_bytes, what);
}

Status CheckOptional(std::string_view value, size_t max_bytes, std::string_view what) {
  // PostgreSQL text cannot hold NUL; refuse it on every backend alike.
  if (value.find('\0') != std::string_view::npos) {
    return InvalidArgument(std::string(what) + " contains a NUL byte", "bad_value");
  }
  if (value.size() > max_bytes) {
    return InvalidArgument(std::string(what) + " exceeds " + std::to_string(max_bytes) + " bytes",
                           "too_large");
  }
  return Status::Ok();
}

Status CheckLifetime(int64_t start, int64_t end, int64_t max_seconds, std::string_view what) {
  if (end <= start || (max_seconds > 0 && end - start > max_seconds)) {
    return InvalidArgument(std::string(what) + " has an invalid lifetime", "bad_lifetime");
  }
  return Status::Ok();
}

Result<std::string> JoinWords(const std::vector<std::string>& words, std::string_view what) {
  std::string out;
  for (const std::string& w : words) {
    if (w.empty() || w.find(' ') != std::string::npos) {
      return InvalidArgument(std::string(what) + " holds an empty or spaced value", "bad_value");
    }
    if (!out.empty()) out += ' ';
    out += w;
  }
  ACCORD_RETURN_IF_ERROR(CheckOptional(out, kMaxTextBytes, what));
  return out;
}

std::vector<std::string> SplitWords(std::string_view joined) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < joined.size()) {
    size_t end = joined.find(' ', pos);
    if (end == std::string_view::npos) end = joined.size();
    if (end > pos) out.emplace_back(joined.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

}  // namespace accord::store::internal
