// RFC 6962 section 2.1 Merkle tree hashing and proof verification, as small pure functions.
//
//   leaf hash  = SHA-256(0x00 || entry)
//   node hash  = SHA-256(0x01 || left || right)
//   empty tree = SHA-256("")
//
// Proof verification follows transparency-dev/merkle proof/verify.go (decomposition of an inclusion
// proof into an "inner" part and a right "border"), so proofs made by any RFC 6962 log verify here.
// Errors are values with stable reasons:
//   "index_out_of_range"  the leaf index is not below the tree size (or size2 < size1)
//   "wrong_proof_size"    the proof has the wrong number of hashes for (index, size)
//   "root_mismatch"       the proof does not lead to the expected root
//   "bad_hash_size"       a hash is not 32 bytes
//
// Thread safety: pure functions.
#ifndef ACCORD_AUDIT_MERKLE_H_
#define ACCORD_AUDIT_MERKLE_H_

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"

namespace accord::audit {

inline constexpr size_t kHashSize = 32;
using Hash = std::array<uint8_t, kHashSize>;

Hash HashLeaf(BytesView entry);
Hash HashChildren(const Hash& left, const Hash& right);
Hash EmptyRoot();
// Copies a 32-byte buffer into a Hash; other sizes -> InvalidArgument "bad_hash_size".
Result<Hash> HashFromBytes(BytesView bytes);
inline BytesView HashView(const Hash& h) { return BytesView(h.data(), h.size()); }

// MTH(D[0:n]) over already-hashed leaves.
Hash RootFromLeafHashes(std::span<const Hash> leaf_hashes);

// A half-open range of leaf indices [begin, end).
struct LeafRange {
  uint64_t begin = 0;
  uint64_t end = 0;
  friend bool operator==(const LeafRange&, const LeafRange&) = default;
};

// The leaf ranges whose MTH values make up the RFC 6962 inclusion proof PATH(index, D[0:size]),
// in proof order (leaf to root). index >= size -> OutOfRange "index_out_of_range".
Result<std::vector<LeafRange>> InclusionProofRanges(uint64_t index, uint64_t size);
// The leaf ranges for PROOF(size1, D[0:size2]) (RFC 6962 section 2.1.2). Empty when size1 == 0 or
// size1 == size2. size1 > size2 -> OutOfRange "index_out_of_range".
Result<std::vector<LeafRange>> ConsistencyProofRanges(uint64_t size1, uint64_t size2);

// The root implied by an inclusion proof.
Result<Hash> RootFromInclusionProof(uint64_t index, uint64_t size, const Hash& leaf_hash,
                                    std::span<const Hash> proof);
Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root);
Status VerifyConsistency(uint64_t size1, uint64_t size2, std::span<const Hash> proof,
                         const Hash& root1, const Hash& root2);

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_MERKLE_H_
