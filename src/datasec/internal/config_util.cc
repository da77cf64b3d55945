#include "datasec/internal/config_util.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace accord::datasec::internal {

Result<std::string> ReadBoundedFile(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return NotFound(path + ": cannot read", "bad_config");
  if (size > max_bytes) return InvalidArgument(path + ": file too large", "bad_config");
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": cannot read", "bad_config");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status ConfigError(std::string_view file, std::string_view key, std::string_view what) {
  std::string msg(file);
  msg += ": ";
  msg += key;
  msg += ": ";
  msg += what;
  return InvalidArgument(std::move(msg), "bad_config");
}

Result<toml::table> ParseTomlText(std::string_view text, std::string_view file) {
  if (text.size() > kMaxConfigBytes) return ConfigError(file, "(file)", "larger than 1 MiB");
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& e) {
    return ConfigError(file, "line " + std::to_string(e.source().begin.line),
                       std::string(e.description()));
  }
}

Result<std::string> RequireString(const toml::table& t, std::string_view name,
                                  std::string_view file, std::string_view key) {
  std::string full = key.empty() ? std::string(name) : std::string(key) + "." + std::string(name);
  const toml::node* node = t.get(name);
  if (node == nullptr) return ConfigError(file, full, "missing");
  const auto* s = node->as_string();
  if (s == nullptr) return ConfigError(file, full, "must be a string");
  return s->get();
}

}  // namespace accord::datasec::internal
