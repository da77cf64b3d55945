// Small helpers for datasec's TOML configuration: bounded file reads and errors naming the file
// and key (InvalidArgument "bad_config": "environments.toml: services.x.environment: unknown").
//
// Thread safety: pure functions.
#ifndef ACCORD_DATASEC_INTERNAL_CONFIG_UTIL_H_
#define ACCORD_DATASEC_INTERNAL_CONFIG_UTIL_H_

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "common/status.h"

namespace accord::datasec::internal {

inline constexpr size_t kMaxConfigBytes = 1 << 20;  // 1 MiB

// Reads a whole file of at most `max_bytes`. NotFound / InvalidArgument "bad_config".
Result<std::string> ReadBoundedFile(const std::string& path, size_t max_bytes = kMaxConfigBytes);

Status ConfigError(std::string_view file, std::string_view key, std::string_view what);

// Parses TOML text; a syntax error names the file and line.
Result<toml::table> ParseTomlText(std::string_view text, std::string_view file);

// The string at t[name]; errors name `file` and `key`.`name`.
Result<std::string> RequireString(const toml::table& t, std::string_view name,
                                  std::string_view file, std::string_view key);

}  // namespace accord::datasec::internal

#endif  // ACCORD_DATASEC_INTERNAL_CONFIG_UTIL_H_
