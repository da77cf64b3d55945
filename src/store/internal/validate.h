// Input checks shared by the SqlStore operations: every value written is bounded.
#ifndef ACCORD_STORE_INTERNAL_VALIDATE_H_
#define ACCORD_STORE_INTERNAL_VALIDATE_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/records.h"

namespace accord::store::internal {

// InvalidArgument "bad_hash" unless exactly kTokenHashSize bytes.
Status CheckHash(const TokenHash& hash, std::string_view what);
// InvalidArgument "bad_value" if empty; "too_large" above max_bytes.
Status CheckRequired(std::string_view value, size_t max_bytes, std::string_view what);
// InvalidArgument "too_large" above max_bytes (may be empty); "bad_value" if it holds a NUL byte.
Status CheckOptional(std::string_view value, size_t max_bytes, std::string_view what);
// InvalidArgument "bad_lifetime" unless start < end <= start + max_seconds (max 0: no upper bound).
Status CheckLifetime(int64_t start, int64_t end, int64_t max_seconds, std::string_view what);

// Space-joined word lists (amr, scopes): each word non-empty and space-free ("bad_value").
Result<std::string> JoinWords(const std::vector<std::string>& words, std::string_view what);
std::vector<std::string> SplitWords(std::string_view joined);

}  // namespace accord::store::internal

#endif  // ACCORD_STORE_INTERNAL_VALIDATE_H_
