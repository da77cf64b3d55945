// Size limits shared by JWS, JWE and JWT processing (docs/jose.md, "Limits").
//
// Every compact token is bounded before anything is decoded: kDefaultMaxTokenBytes unless the
// caller configures a different bound, which may never exceed kHardMaxTokenBytes.
#ifndef ACCORD_JOSE_LIMITS_H_
#define ACCORD_JOSE_LIMITS_H_

#include <cstddef>

namespace accord::jose {

inline constexpr size_t kDefaultMaxTokenBytes = 64 * 1024;
inline constexpr size_t kHardMaxTokenBytes = 1024 * 1024;
// Decoded protected headers are much smaller than tokens in practice.
inline constexpr size_t kMaxHeaderBytes = 8 * 1024;
inline constexpr size_t kMaxJsonDepth = 16;
// Keys accepted in one JWK Set.
inline constexpr size_t kMaxJwksKeys = 100;
inline constexpr size_t kMaxJwkBytes = 16 * 1024;
inline constexpr size_t kMaxJwksBytes = 256 * 1024;

}  // namespace accord::jose

#endif  // ACCORD_JOSE_LIMITS_H_
