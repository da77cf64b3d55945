#include "audit/merkle_nodes.h"

#include <bit>
#include <span>

namespace accord::audit {

Result<Hash> RangeHash(const NodeReader& nodes, LeafRange range) {
  if (range.end <= range.begin) return InvalidArgument("empty leaf range", "bad_range");
  if (std::has_single_bit(range.end - range.begin)) {  // one perfect subtree: most proof nodes
    const uint32_t height = static_cast<uint32_t>(std::countr_zero(range.end - range.begin));
    if (range.begin % (range.end - range.begin) != 0) {
      return InvalidArgument("leaf range is not aligned", "bad_range");
    }
    return nodes.Node(height, range.begin >> height);
  }
  // Perfect subtrees of descending size, left to right.
  std::vector<Hash> parts;
  uint64_t pos = range.begin;
  uint64_t remaining = range.end - range.begin;
  while (remaining > 0) {
    const uint64_t size = std::bit_floor(remaining);
    const uint32_t height = static_cast<uint32_t>(std::countr_zero(size));
    if (pos % size != 0) return InvalidArgument("leaf range is not aligned", "bad_range");
    ACCORD_ASSIGN_OR_RETURN(Hash h, nodes.Node(height, pos >> height));
    parts.push_back(h);
    pos += size;
    remaining -= size;
  }
  Hash acc = parts.back();
  for (size_t i = parts.size() - 1; i-- > 0;) acc = HashChildren(parts[i], acc);
  return acc;
}

Result<Hash> TreeRoot(const NodeReader& nodes, uint64_t size) {
  if (size == 0) return EmptyRoot();
  return RangeHash(nodes, {0, size});
}

namespace {
Result<std::vector<Hash>> HashRanges(const NodeReader& nodes, const std::vector<LeafRange>& ranges) {
  std::vector<Hash> out;
  out.reserve(ranges.size());
  for (const LeafRange& r : ranges) {
    ACCORD_ASSIGN_OR_RETURN(Hash h, RangeHash(nodes, r));
    out.push_back(h);
  }
  return out;
}
}  // namespace

Result<std::vector<Hash>> BuildInclusionProof(const NodeReader& nodes, uint64_t index,
                                              uint64_t size) {
  ACCORD_ASSIGN_OR_RETURN(auto ranges, InclusionProofRanges(index, size));
  return HashRanges(nodes, ranges);
}

Result<std::vector<Hash>> BuildConsistencyProof(const NodeReader& nodes, uint64_t size1,
                                                uint64_t size2) {
  ACCORD_ASSIGN_OR_RETURN(auto ranges, ConsistencyProofRanges(size1, size2));
  return HashRanges(nodes, ranges);
}

Result<Hash> LeafHashNodeReader::Node(uint32_t height, uint64_t index) const {
  if (height >= 64) return OutOfRange("node height too large", "node_beyond_tree");
  const uint64_t begin = index << height;
  const uint64_t count = uint64_t{1} << height;
  if ((begin >> height) != index || begin > leaves_.size() || leaves_.size() - begin < count) {
    return OutOfRange("node is beyond the tree", "node_beyond_tree");
  }
  return RootFromLeafHashes(std::span<const Hash>(leaves_).subspan(begin, count));
}

}  // namespace accord::audit
