// Arena: a bump allocator for one evaluation's temporaries (strings, arrays), reset between
// evaluations so a warmed-up Evaluator allocates nothing from the heap.
//
// Allocation is bounded: once `max_bytes` would be exceeded Allocate returns nullptr and the
// caller fails the evaluation cleanly. Memory is returned only when the Arena is destroyed.
// Objects placed in the arena must be trivially destructible.
//
// Thread safety: none; one Arena per Evaluator, one Evaluator per thread.
#ifndef ACCORD_RULES_ARENA_H_
#define ACCORD_RULES_ARENA_H_

#include <cstddef>
#include <memory>
#include <vector>

namespace accord::rules {

class Arena {
 public:
  explicit Arena(size_t max_bytes) : max_bytes_(max_bytes) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Returns `bytes` of storage aligned to `align` (a power of two <= 16), or nullptr over the cap.
  void* Allocate(size_t bytes, size_t align = alignof(std::max_align_t));
  template <typename T>
  T* AllocateArray(size_t n) {
    if (n > max_bytes_ / sizeof(T)) return nullptr;
    return static_cast<T*>(Allocate(n * sizeof(T), alignof(T)));
  }

  // Forgets every allocation; keeps the blocks for reuse.
  void Reset();
  size_t used() const { return used_; }

 private:
  struct Block {
    std::unique_ptr<std::byte[]> data;
    size_t size;
  };
  size_t max_bytes_;
  std::vector<Block> blocks_;
  size_t current_ = 0;  // index of the block being filled
  size_t offset_ = 0;   // bytes used in blocks_[current_]
  size_t used_ = 0;     // bytes handed out since Reset (the capped figure)
};

}  // namespace accord::rules

#endif  // ACCORD_RULES_ARENA_H_
