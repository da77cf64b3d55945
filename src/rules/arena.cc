#include "rules/arena.h"

#include <algorithm>
#include <cstdint>

namespace accord::rules {

void* Arena::Allocate(size_t bytes, size_t align) {
  if (bytes > max_bytes_ || used_ > max_bytes_ - bytes) return nullptr;
  if (bytes == 0) bytes = 1;
  while (current_ < blocks_.size()) {
    Block& b = blocks_[current_];
    auto base = reinterpret_cast<uintptr_t>(b.data.get());
    size_t start = ((base + offset_ + align - 1) & ~(uintptr_t{align} - 1)) - base;
    if (start + bytes <= b.size) {
      offset_ = start + bytes;
      used_ += bytes;
      return b.data.get() + start;
    }
    ++current_;
    offset_ = 0;
  }
  size_t last = blocks_.empty() ? 2048 : blocks_.back().size;
  size_t size = std::max(bytes + align, std::min(last * 2, size_t{1} << 20));
  blocks_.push_back(Block{std::make_unique<std::byte[]>(size), size});
  current_ = blocks_.size() - 1;
  offset_ = 0;
  return Allocate(bytes, align);
}

void Arena::Reset() {
  current_ = 0;
  offset_ = 0;
  used_ = 0;
}

}  // namespace accord::rules
