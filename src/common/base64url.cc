#include "common/base64url.h"

#include <array>

namespace accord {
namespace {

constexpr char kUrlAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kStdAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> MakeTable(const char* alphabet) {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr auto kUrlTable = MakeTable(kUrlAlphabet);
constexpr auto kStdTable = MakeTable(kStdAlphabet);

std::string Encode(BytesView data, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t n = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    out.push_back(alphabet[(n >> 6) & 63]);
    out.push_back(alphabet[n & 63]);
  }
  size_t rest = data.size() - i;
  if (rest == 1) {
    uint32_t n = uint32_t{data[i]} << 16;
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    if (pad) out += "==";
  } else if (rest == 2) {
    uint32_t n = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    out.push_back(alphabet[(n >> 6) & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

// Decodes unpadded input strictly (canonical trailing bits).
bool DecodeUnpadded(std::string_view in, const std::array<int8_t, 256>& table, Bytes* out) {
  if (in.size() % 4 == 1) return false;
  out->reserve(out->size() + in.size() / 4 * 3 + 2);
  size_t i = 0;
  for (; i + 4 <= in.size(); i += 4) {
    int a = table[static_cast<uint8_t>(in[i])], b = table[static_cast<uint8_t>(in[i + 1])];
    int c = table[static_cast<uint8_t>(in[i + 2])], d = table[static_cast<uint8_t>(in[i + 3])];
    if ((a | b | c | d) < 0) return false;
    uint32_t n = (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6) | uint32_t(d);
    out->push_back(static_cast<uint8_t>(n >> 16));
    out->push_back(static_cast<uint8_t>(n >> 8));
    out->push_back(static_cast<uint8_t>(n));
  }
  size_t rest = in.size() - i;
  if (rest == 2) {
    int a = table[static_cast<uint8_t>(in[i])], b = table[static_cast<uint8_t>(in[i + 1])];
    if ((a | b) < 0 || (b & 0x0f) != 0) return false;
    out->push_back(static_cast<uint8_t>((a << 2) | (b >> 4)));
  } else if (rest == 3) {
    int a = table[static_cast<uint8_t>(in[i])], b = table[static_cast<uint8_t>(in[i + 1])];
    int c = table[static_cast<uint8_t>(in[i + 2])];
    if ((a | b | c) < 0 || (c & 0x03) != 0) return false;
    uint32_t n = (uint32_t(a) << 12) | (uint32_t(b) << 6) | uint32_t(c);
    out->push_back(static_cast<uint8_t>(n >> 10));
    out->push_back(static_cast<uint8_t>(n >> 2));
  }
  return true;
}

}  // namespace

std::string Base64UrlEncode(BytesView data) { return Encode(data, kUrlAlphabet, false); }

bool Base64UrlDecodeTo(std::string_view encoded, Bytes* out) {
  return DecodeUnpadded(encoded, kUrlTable, out);
}

Result<Bytes> Base64UrlDecode(std::string_view encoded) {
  Bytes out;
  if (!Base64UrlDecodeTo(encoded, &out)) {
    return InvalidArgument("invalid base64url encoding", "bad_base64url");
  }
  return out;
}

std::string Base64Encode(BytesView data) { return Encode(data, kStdAlphabet, true); }

Result<Bytes> Base64Decode(std::string_view encoded) {
  if (encoded.size() % 4 != 0) return InvalidArgument("invalid base64 length", "bad_base64");
  size_t pad = 0;
  while (pad < 2 && !encoded.empty() && encoded[encoded.size() - 1 - pad] == '=') ++pad;
  Bytes out;
  if (!DecodeUnpadded(encoded.substr(0, encoded.size() - pad), kStdTable, &out)) {
    return InvalidArgument("invalid base64 encoding", "bad_base64");
  }
  return out;
}

}  // namespace accord
