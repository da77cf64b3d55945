// Constant-time comparison (CRYPTO_memcmp): the time taken depends only on the lengths, which are
// treated as public.
#ifndef ACCORD_CRYPTO_CONSTANT_TIME_H_
#define ACCORD_CRYPTO_CONSTANT_TIME_H_

#include <string_view>

#include "common/bytes.h"

namespace accord::crypto {

bool ConstantTimeEquals(BytesView a, BytesView b);
inline bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return ConstantTimeEquals(AsBytes(a), AsBytes(b));
}

}  // namespace accord::crypto

#endif  // ACCORD_CRYPTO_CONSTANT_TIME_H_
