// ExpiringSet: the replay journal's in-memory index (replay_journal.h). A set of 64-bit
// fingerprints, each present until its expiry, in one open-addressing table of 12-byte slots
// (a fingerprint and a 32-bit expiry; linear probing from the fingerprint's high bits scaled to
// the capacity, which is any multiple of 16, half to 3/4 full): 16-24 bytes per entry, against
// about 80 in a node-based hash map with an expiry queue.
//
// An expired slot counts as absent: a lookup probes past it, an insert reuses it. Expired slots
// are dropped when the table is rebuilt, which happens when occupied slots (unexpired or not)
// pass 3/4 of the capacity; the rebuilt table is at most half full, so a rebuild's O(capacity)
// work is spread over at least a quarter of a capacity of inserts.
//
// Fingerprint 0 is reserved for empty slots: callers map it to another value (1).
//
// Thread safety: none (the journal holds its mutex around every call).
#ifndef ACCORD_STORE_SQLITE_EXPIRING_SET_H_
#define ACCORD_STORE_SQLITE_EXPIRING_SET_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace accord::store::sqlite {

class ExpiringSet {
 public:
  ExpiringSet();

  // Whether `fp` is present with an expiry after `now`.
  bool Contains(uint64_t fp, int64_t now) const;
  // Adds `fp` until `expires_at` and returns true, unless it is present and unexpired at `now`
  // (then returns false and changes nothing). `expires_at` must be after `now`.
  bool Insert(uint64_t fp, int64_t expires_at, int64_t now);
  // Unexpired entries at `now` (forgets the counts of what expired by then).
  size_t Live(int64_t now);
  size_t capacity() const { return slots_.size(); }

 private:
  struct __attribute__((packed)) Slot {
    uint64_t fp = 0;          // 0: empty
    uint32_t expires_at = 0;  // seconds since the epoch
  };
  static_assert(sizeof(Slot) == 12);
  size_t Home(uint64_t fp) const;
  size_t Next(size_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }
  // Rebuilds the table with only the entries unexpired at `now`, at most half full.
  void Rebuild(int64_t now);

  std::vector<Slot> slots_;
  size_t occupied_ = 0;  // non-empty slots, expired or not
  // Entries inserted per expiry second, until that second has passed: the live count without a
  // scan of the table.
  std::map<int64_t, size_t> expiring_;
  size_t live_ = 0;
};

}  // namespace accord::store::sqlite

#endif  // ACCORD_STORE_SQLITE_EXPIRING_SET_H_
