#include "store/sqlite/expiring_set.h"

#include <algorithm>
#include <cstdio>
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

bool Unexpired(uint32_t expires_at, int64_t now) { return static_cast<int64_t>(expires_at) > now; }

}  // namespace

ExpiringSet::Table ExpiringSet::Table::Zeroed(size_t size) {
  Table t;
  // calloc: large blocks come zeroed from mmap, their pages touched only when used.
  t.slots.reset(static_cast<Slot*>(std::calloc(size, sizeof(Slot))));
  if (t.slots == nullptr) {
    std::fprintf(stderr, "ExpiringSet: out of memory for %zu slots\n", size);
    std::abort();
  }
  t.size = size;
  return t;
}

size_t ExpiringSet::Table::Home(uint64_t fp) const {
  // The fingerprint's high bits scaled to the capacity (any size, not only powers of two).
  return static_cast<size_t>((static_cast<Uint128>(fp) * size) >> 64);
}

bool ExpiringSet::Table::Holds(uint64_t fp, int64_t now) const {
  for (size_t i = Home(fp);; i = Next(i)) {
    const Slot& s = slots[i];
    if (s.fp == 0) return false;
    if (s.fp == fp && Unexpired(s.expires_at, now)) return true;
  }
}

ExpiringSet::ExpiringSet() : table_(Table::Zeroed(kMinCapacity)) {}

bool ExpiringSet::Contains(uint64_t fp, int64_t now) const {
  return table_.Holds(fp, now) || (rebuilding() && old_.Holds(fp, now));
}

bool ExpiringSet::Insert(uint64_t fp, int64_t expires_at, int64_t now) {
  if (rebuilding()) MoveOld(moves_per_insert_, now);
  if ((occupied_ + 1) * 4 > table_.size * 3) {
    if (rebuilding()) {
      // Not reached: the moves finish first (BeginRebuild). Were it reached, everything
      // unexpired in both tables goes to a new table at once.
      Table fresh = SizedFor(now);
      std::swap(fresh, table_);
      occupied_ = 0;
      for (size_t i = 0; i < fresh.size; ++i) {
        if (fresh.slots[i].fp != 0 && Unexpired(fresh.slots[i].expires_at, now)) {
          Place(fresh.slots[i]);
        }
      }
      MoveOld(old_.size, now);
    } else {
      BeginRebuild(now);
    }
  }
  // An unexpired copy not yet moved out of the old table. (Once moved, the new table has it.)
  if (rebuilding() && old_.Holds(fp, now)) return false;
  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t reuse = kNone;  // the first expired slot on the probe path
  size_t i = table_.Home(fp);
  for (;; i = table_.Next(i)) {
    Slot& s = table_.slots[i];
    if (s.fp == 0) break;
    if (!Unexpired(s.expires_at, now)) {
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
  if (table_.slots[at].fp == 0) ++occupied_;
  table_.slots[at].fp = fp;
  table_.slots[at].expires_at = StoredExpiry(expires_at);
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

ExpiringSet::Table ExpiringSet::SizedFor(int64_t now) {
  // Half full at most (rounded up to 16 slots).
  return Table::Zeroed(std::max(kMinCapacity, (2 * (Live(now) + 1) + 15) / 16 * 16));
}

void ExpiringSet::BeginRebuild(int64_t now) {
  const size_t live = Live(now);
  old_ = std::move(table_);
  moved_ = 0;
  table_ = SizedFor(now);
  occupied_ = 0;
  // The new table passes 3/4 only after (3/4 of it - live) inserts: every old slot must have
  // moved by then, the unexpired ones (at most `live`) having filled their share.
  const size_t room = std::max<size_t>(1, table_.size * 3 / 4 - std::min(table_.size * 3 / 4, live + 1));
  moves_per_insert_ = std::max(kMovesPerInsert, (old_.size + room - 1) / room + 1);
}

void ExpiringSet::Place(const Slot& s) {
  size_t i = table_.Home(s.fp);
  while (table_.slots[i].fp != 0) i = table_.Next(i);
  table_.slots[i] = s;
  ++occupied_;
}

void ExpiringSet::MoveOld(size_t count, int64_t now) {
  const size_t end = std::min(old_.size, moved_ + count);
  for (; moved_ < end; ++moved_) {
    const Slot& s = old_.slots[moved_];
    // No unexpired copy is in the new table (an insert of it would have been refused).
    if (s.fp != 0 && Unexpired(s.expires_at, now)) Place(s);
  }
  if (moved_ == old_.size) {
    old_ = Table();
    moved_ = 0;
  }
}

}  // namespace accord::store::sqlite
