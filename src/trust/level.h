// Levels of assurance: eIDAS low < substantial < high is Accord's common vocabulary
// (docs/trust.md, ../shared/reference/trust-frameworks.md). Every framework's own levels (One Login
// vectors of trust, Singpass acr) are mapped onto it by configuration (data/trust/frameworks.toml).
//
// Thread safety: pure functions over constants.
#ifndef ACCORD_TRUST_LEVEL_H_
#define ACCORD_TRUST_LEVEL_H_

#include <optional>
#include <string_view>

namespace accord::trust {

// kNone: authenticated, identity not proven (e.g. One Login Cl.Cm without a P-level, Singpass loa:1).
enum class Level { kNone = 0, kLow = 1, kSubstantial = 2, kHigh = 3 };

// "none", "low", "substantial", "high".
std::string_view LevelName(Level level);
std::optional<Level> ParseLevelName(std::string_view name);

// http://eidas.europa.eu/LoA/low|substantial|high; "" for kNone.
std::string_view EidasUri(Level level);
// The inverse of EidasUri (exact match); nullopt for anything else.
std::optional<Level> LevelFromEidasUri(std::string_view uri);

// True when `have` satisfies a requirement of `need` (eIDAS: the response level must be at least
// the requested minimum).
constexpr bool Satisfies(Level have, Level need) {
  return static_cast<int>(have) >= static_cast<int>(need);
}

}  // namespace accord::trust

#endif  // ACCORD_TRUST_LEVEL_H_
