#include "store/sqlite/expiring_set.h"

#include <algorithm>
#include <limits>

namespace accord::store::sqlite {
namespace {

constexpr size_t kMinCapacity = 1024;
__extension__ using Uint128 = unsigned __int128;  // a GCC and Clang extension

// Seconds since the epoch in 32 bits (until 2106); a later expiry is kept until then, which only
// ever refuses more.
uint32_t StoredExpiry(int64_t expires_at) {
  return static_cast<uint32_t>(
      std::clamp<int64_t>(expires_at, 0, std::numeric_limits<uint32_t>::max()));
}

}  // namespace

ExpiringSet::ExpiringSet() : slots_(kMinCapacity) {}

size_t ExpiringSet::Home(uint64_t fp) const {
  // The fingerprint's high bits scaled to the capacity (any size, not only powers of two).
  return static_cast<size_t>((static_cast<Uint128>(fp) * slots_.size()) >> 64);
}

bool ExpiringSet::Contains(uint64_t fp, int64_t now) const {
  for (size_t i = Home(fp);; i = Next(i)) {
    const Slot& s = slots_[i];
    if (s.fp == 0) return false;
    if (s.fp == fp && static_cast<int64_t>(s.expires_at) > now) return true;
  }
}

bool ExpiringSet::Insert(uint64_t fp, int64_t expires_at, int64_t now) {
  if ((occupied_ + 1) * 4 > slots_.size() * 3) Rebuild(now);
  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t reuse = kNone;  // the first expired slot on the probe path
  size_t i = Home(fp);
  for (;; i = Next(i)) {
    Slot& s = slots_[i];
    if (s.fp == 0) break;
    if (static_cast<int64_t>(s.expires_at) <= now) {
      if (s.fp == fp) {  // this entry, expired: renewed in place
        reuse = i;
        break;
      }
      if (reuse == kNone) reuse = i;
    } else if (s.fp == fp) {
      return false;
    }
  }
  // An expired slot before the end of the probe path is reused. (One further along cannot hold
  // an unexpired copy of fp: the walk above stopped at the first empty slot or at fp itself.)
  const size_t at = reuse != kNone ? reuse : i;
  if (slots_[at].fp == 0) ++occupied_;
  slots_[at].fp = fp;
  slots_[at].expires_at = StoredExpiry(expires_at);
  ++expiring_[expires_at];
  ++live_;
  return true;
}

size_t ExpiringSet::Live(int64_t now) {
  while (!expiring_.empty() && expiring_.begin()->first <= now) {
    live_ -= expiring_.begin()->second;
    expiring_.erase(expiring_.begin());
  }
  return live_;
}

void ExpiringSet::Rebuild(int64_t now) {
  size_t live = 0;
  auto unexpired = [now](const Slot& s) {
    return s.fp != 0 && static_cast<int64_t>(s.expires_at) > now;
  };
  for (const Slot& s : slots_) live += unexpired(s) ? 1 : 0;
  // Half full at most (rounded up to a cache line's worth of slots).
  const size_t capacity = std::max(kMinCapacity, (2 * (live + 1) + 15) / 16 * 16);
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  occupied_ = 0;
  for (const Slot& s : old) {
    if (!unexpired(s)) continue;
    size_t i = Home(s.fp);
    while (slots_[i].fp != 0) i = Next(i);
    slots_[i] = s;
    ++occupied_;
  }
  Live(now);
}

}  // namespace accord::store::sqlite
