#include "store/sqlite/expiring_set.h"

#include <bit>

namespace accord::store::sqlite {
namespace {

constexpr size_t kMinCapacity = 1024;

}  // namespace

ExpiringSet::ExpiringSet() : slots_(kMinCapacity), mask_(kMinCapacity - 1) {}

bool ExpiringSet::Contains(uint64_t fp, int64_t now) const {
  for (size_t i = fp & mask_;; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.fp == 0) return false;
    if (s.fp == fp && s.expires_at > now) return true;
  }
}

bool ExpiringSet::Insert(uint64_t fp, int64_t expires_at, int64_t now) {
  if ((occupied_ + 1) * 4 > slots_.size() * 3) Rebuild(now);
  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t reuse = kNone;  // the first expired slot on the probe path
  size_t i = fp & mask_;
  for (;; i = (i + 1) & mask_) {
    Slot& s = slots_[i];
    if (s.fp == 0) break;
    if (s.expires_at <= now) {
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
  slots_[at] = {fp, expires_at};
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
  for (const Slot& s : slots_) live += (s.fp != 0 && s.expires_at > now) ? 1 : 0;
  const size_t capacity = std::max(kMinCapacity, std::bit_ceil(2 * (live + 1)));
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  occupied_ = 0;
  for (const Slot& s : old) {
    if (s.fp == 0 || s.expires_at <= now) continue;
    size_t i = s.fp & mask_;
    while (slots_[i].fp != 0) i = (i + 1) & mask_;
    slots_[i] = s;
    ++occupied_;
  }
  Live(now);
}

}  // namespace accord::store::sqlite
