// Building RFC 6962 roots and proofs from a source of perfect-subtree hashes.
//
// A NodeReader returns the hash of the perfect subtree of 2^height leaves starting at leaf
// index << height. Every range a proof needs (see merkle.h, InclusionProofRanges) decomposes into
// such subtrees (its binary decomposition), whose hashes fold right-to-left into MTH(range). So a log
// backed by tiles (tile_node_reader.h) or an in-memory list of leaf hashes (below) can produce the
// same proofs through the same code.
//
// Thread safety: the free functions are as safe as the NodeReader they are given.
#ifndef ACCORD_AUDIT_MERKLE_NODES_H_
#define ACCORD_AUDIT_MERKLE_NODES_H_

#include <cstdint>
#include <vector>

#include "audit/merkle.h"
#include "common/status.h"

namespace accord::audit {

class NodeReader {
 public:
  virtual ~NodeReader() = default;
  // Hash of leaves [index << height, (index + 1) << height). A node beyond the tree -> OutOfRange.
  virtual Result<Hash> Node(uint32_t height, uint64_t index) const = 0;
};

// MTH(D[range.begin : range.end]) where range.begin is a multiple of the largest power of two not
// above the range's size (true for every range RFC 6962 proofs use, and for [0, n)).
Result<Hash> RangeHash(const NodeReader& nodes, LeafRange range);
// MTH(D[0:size]); EmptyRoot() for size 0.
Result<Hash> TreeRoot(const NodeReader& nodes, uint64_t size);
Result<std::vector<Hash>> BuildInclusionProof(const NodeReader& nodes, uint64_t index,
                                              uint64_t size);
Result<std::vector<Hash>> BuildConsistencyProof(const NodeReader& nodes, uint64_t size1,
                                                uint64_t size2);

// A NodeReader over leaf hashes held in memory (tests, small trees). Node() costs O(2^height).
// Lifetime: borrows `leaves`, which must outlive the reader.
class LeafHashNodeReader final : public NodeReader {
 public:
  explicit LeafHashNodeReader(const std::vector<Hash>& leaves) : leaves_(leaves) {}
  Result<Hash> Node(uint32_t height, uint64_t index) const override;

 private:
  const std::vector<Hash>& leaves_;
};

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_MERKLE_NODES_H_
