#include "trust/level.h"

#include <array>

namespace accord::trust {
namespace {

struct LevelInfo {
  Level level;
  std::string_view name;
  std::string_view eidas_uri;
};

constexpr std::array<LevelInfo, 4> kLevels = {{
    {Level::kNone, "none", ""},
    {Level::kLow, "low", "http://eidas.europa.eu/LoA/low"},
    {Level::kSubstantial, "substantial", "http://eidas.europa.eu/LoA/substantial"},
    {Level::kHigh, "high", "http://eidas.europa.eu/LoA/high"},
}};

}  // namespace

std::string_view LevelName(Level level) {
  for (const auto& info : kLevels) {
    if (info.level == level) return info.name;
  }
  return "none";
}

std::optional<Level> ParseLevelName(std::string_view name) {
  for (const auto& info : kLevels) {
    if (info.name == name) return info.level;
  }
  return std::nullopt;
}

std::string_view EidasUri(Level level) {
  for (const auto& info : kLevels) {
    if (info.level == level) return info.eidas_uri;
  }
  return "";
}

std::optional<Level> LevelFromEidasUri(std::string_view uri) {
  if (uri.empty()) return std::nullopt;
  for (const auto& info : kLevels) {
    if (info.eidas_uri == uri) return info.level;
  }
  return std::nullopt;
}

}  // namespace accord::trust
