#include "audit/journal.h"

#include <openssl/sha.h>

#include <algorithm>

namespace accord::audit {
namespace {

constexpr uint8_t kMagic[4] = {'A', 'J', 'R', '1'};

void PutU16(Bytes* out, uint32_t v) {
  out->push_back(static_cast<uint8_t>(v >> 8));
  out->push_back(static_cast<uint8_t>(v));
}
void PutU32(Bytes* out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out->push_back(static_cast<uint8_t>(v >> s));
}
void PutU64(Bytes* out, uint64_t v) {
  for (int s = 56; s >= 0; s -= 8) out->push_back(static_cast<uint8_t>(v >> s));
}
uint64_t GetBE(const uint8_t* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

template <typename Get>
Bytes Encode(uint64_t first, size_t count, size_t total, Get get) {
  Bytes out;
  out.reserve(kJournalFrameOverhead + 12 + total + 2 * count);
  out.insert(out.end(), kMagic, kMagic + 4);
  PutU32(&out, 0);  // payload length, patched below
  PutU64(&out, first);
  PutU32(&out, static_cast<uint32_t>(count));
  for (size_t i = 0; i < count; ++i) {
    const Bytes& e = get(i);
    PutU16(&out, static_cast<uint32_t>(e.size()));
    out.insert(out.end(), e.begin(), e.end());
  }
  const uint32_t len = static_cast<uint32_t>(out.size() - 8);
  for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<uint8_t>(len >> (24 - 8 * i));
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(out.data(), out.size(), digest);
  out.insert(out.end(), digest, digest + sizeof(digest));
  return out;
}

}  // namespace

Bytes EncodeJournalRecord(uint64_t first, std::span<const Bytes> entries) {
  size_t total = 0;
  for (const Bytes& e : entries) total += e.size();
  return Encode(first, entries.size(), total, [&](size_t i) -> const Bytes& { return entries[i]; });
}

Bytes EncodeJournalRecord(uint64_t first, std::span<const Bytes* const> entries) {
  size_t total = 0;
  for (const Bytes* e : entries) total += e->size();
  return Encode(first, entries.size(), total, [&](size_t i) -> const Bytes& { return *entries[i]; });
}

FrameResult DecodeJournalFrame(BytesView data, JournalRecord* record, size_t* consumed) {
  if (data.empty()) return FrameResult::kEnd;
  if (data.size() < 8 || !std::equal(kMagic, kMagic + 4, data.begin())) {
    const bool zeros = std::all_of(data.begin(), data.begin() + std::min<size_t>(data.size(), 8),
                                   [](uint8_t b) { return b == 0; });
    return zeros ? FrameResult::kEnd : FrameResult::kTorn;
  }
  const uint64_t len = GetBE(data.data() + 4, 4);
  if (len < 12 || len > kMaxJournalPayload || data.size() < 8 + len + 32) return FrameResult::kTorn;
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(data.data(), 8 + len, digest);
  if (!std::equal(digest, digest + sizeof(digest), data.begin() + 8 + len)) return FrameResult::kTorn;
  const uint8_t* p = data.data() + 8;
  const uint8_t* end = p + len;
  record->first = GetBE(p, 8);
  const uint64_t count = GetBE(p + 8, 4);
  p += 12;
  if (count == 0 || count > len || record->first + count < record->first) return FrameResult::kTorn;
  record->entries.clear();
  record->entries.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    if (end - p < 2) return FrameResult::kTorn;
    const size_t n = static_cast<size_t>(GetBE(p, 2));
    p += 2;
    if (n == 0 || static_cast<size_t>(end - p) < n) return FrameResult::kTorn;
    record->entries.emplace_back(p, p + n);
    p += n;
  }
  if (p != end) return FrameResult::kTorn;
  *consumed = 8 + len + 32;
  return FrameResult::kRecord;
}

}  // namespace accord::audit
