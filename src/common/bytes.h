// Byte buffers and views shared by every module.
#ifndef ACCORD_COMMON_BYTES_H_
#define ACCORD_COMMON_BYTES_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace accord {

using Bytes = std::vector<uint8_t>;
using BytesView = std::span<const uint8_t>;

inline BytesView AsBytes(std::string_view s) {
  return BytesView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline std::string_view AsStringView(BytesView b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}
inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string ToString(BytesView b) { return std::string(AsStringView(b)); }

// Lower-case hex, for tests, fingerprints and non-secret identifiers only.
std::string HexEncode(BytesView data);
// Returns false on odd length or a non-hex character.
bool HexDecode(std::string_view hex, Bytes* out);

}  // namespace accord

#endif  // ACCORD_COMMON_BYTES_H_
