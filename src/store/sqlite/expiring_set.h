// ExpiringSet: the replay journal's in-memory index (replay_journal.h). A set of 64-bit
// fingerprints, each present until its expiry, in one open-addressing table of 12-byte slots
// (a fingerprint and a 32-bit expiry; linear probing from the fingerprint's high bits scaled to
// the capacity, which is any multiple of 16, half to 3/4 full): 16-24 bytes per entry, against
// about 80 in a node-based hash map with an expiry queue.
//
// An expired slot counts as absent: a lookup probes past it, an insert reuses it. Expired slots
// are dropped when the table is rebuilt, which happens when occupied slots (unexpired or not)
// pass 3/4 of the capacity. The rebuild is incremental, so no call pauses for it: a new table,
// sized for the unexpired entries to fill at most half of it, takes every insert, and each
// insert also moves some slots of the old table into it, enough to have moved them all before
// the new table can pass 3/4 (at least kMovesPerInsert); until the last one has moved, lookups
// ask both tables. The new table is allocated zeroed by the kernel (calloc), so its pages are
// touched by the inserts and moves that use them, not all at once.
//
// Fingerprint 0 is reserved for empty slots: callers map it to another value (1).
//
// Thread safety: none (the journal holds its mutex around every call).
#ifndef ACCORD_STORE_SQLITE_EXPIRING_SET_H_
#define ACCORD_STORE_SQLITE_EXPIRING_SET_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>

namespace accord::store::sqlite {

class ExpiringSet {
 public:
  // Old slots moved per insert while rebuilding, at least (more when the old table is large for
  // the new one: most of its entries have expired).
  static constexpr size_t kMovesPerInsert = 8;

  ExpiringSet();

  // Whether `fp` is present with an expiry after `now`.
  bool Contains(uint64_t fp, int64_t now) const;
  // Adds `fp` until `expires_at` and returns true, unless it is present and unexpired at `now`
  // (then returns false and changes nothing). `expires_at` must be after `now`.
  bool Insert(uint64_t fp, int64_t expires_at, int64_t now);
  // Unexpired entries at `now` (forgets the counts of what expired by then).
  size_t Live(int64_t now);
  // The table inserts go to; while rebuilding, the old table's slots are held besides.
  size_t capacity() const { return table_.size; }
  bool rebuilding() const { return old_.size != 0; }

 private:
  struct __attribute__((packed)) Slot {
    uint64_t fp;          // 0: empty
    uint32_t expires_at;  // seconds since the epoch
  };
  static_assert(sizeof(Slot) == 12);
  struct Free {
    void operator()(Slot* p) const { std::free(p); }
  };
  struct Table {
    std::unique_ptr<Slot[], Free> slots;
    size_t size = 0;

    static Table Zeroed(size_t size);  // every slot empty; aborts when out of memory
    size_t Home(uint64_t fp) const;
    size_t Next(size_t i) const { return i + 1 == size ? 0 : i + 1; }
    bool Holds(uint64_t fp, int64_t now) const;  // present and unexpired
  };

  // A new empty table for the entries unexpired at `now` to fill at most half of it.
  Table SizedFor(int64_t now);
  // Begins a rebuild: the current table becomes the old one, a new one takes inserts.
  void BeginRebuild(int64_t now);
  // Moves up to `count` old slots (the unexpired ones) into the new table.
  void MoveOld(size_t count, int64_t now);
  // Puts an unexpired entry, known absent from table_, in the first empty slot of its path.
  void Place(const Slot& s);

  Table table_;
  size_t occupied_ = 0;  // table_'s non-empty slots, expired or not
  Table old_;            // being moved into table_ (size 0 when not rebuilding)
  size_t moved_ = 0;     // old_'s slots before this one have been moved
  size_t moves_per_insert_ = kMovesPerInsert;
  // Entries inserted per expiry second, until that second has passed: the live count without a
  // scan of the table.
  std::map<int64_t, size_t> expiring_;
  size_t live_ = 0;
};

}  // namespace accord::store::sqlite

#endif  // ACCORD_STORE_SQLITE_EXPIRING_SET_H_
