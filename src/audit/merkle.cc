#include "audit/merkle.h"

#include <bit>
#include <string>

#include "crypto/hash.h"

namespace accord::audit {
namespace {

// Largest power of two strictly smaller than n (n >= 2).
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

int InnerProofSize(uint64_t index, uint64_t size) {
  return std::bit_width(index ^ (size - 1));
}

Hash ChainInner(Hash seed, std::span<const Hash> proof, uint64_t index) {
  for (size_t i = 0; i < proof.size(); ++i) {
    seed = ((index >> i) & 1) == 0 ? HashChildren(seed, proof[i]) : HashChildren(proof[i], seed);
  }
  return seed;
}

Hash ChainInnerRight(Hash seed, std::span<const Hash> proof, uint64_t index) {
  for (size_t i = 0; i < proof.size(); ++i) {
    if (((index >> i) & 1) == 1) seed = HashChildren(proof[i], seed);
  }
  return seed;
}

Hash ChainBorderRight(Hash seed, std::span<const Hash> proof) {
  for (const Hash& h : proof) seed = HashChildren(h, seed);
  return seed;
}

Status WrongSize(size_t got, size_t want) {
  return InvalidArgument("proof has " + std::to_string(got) + " hashes, want " +
                             std::to_string(want),
                         "wrong_proof_size");
}

Status Match(const Hash& got, const Hash& want) {
  if (got != want) return Unauthenticated("calculated root does not match", "root_mismatch");
  return Status::Ok();
}

void PathRanges(uint64_t index, uint64_t offset, uint64_t n, std::vector<LeafRange>* out) {
  if (n <= 1) return;
  const uint64_t k = SplitPoint(n);
  if (index < k) {
    PathRanges(index, offset, k, out);
    out->push_back({offset + k, offset + n});
  } else {
    PathRanges(index - k, offset + k, n - k, out);
    out->push_back({offset, offset + k});
  }
}

void SubproofRanges(uint64_t m, uint64_t offset, uint64_t n, bool complete,
                    std::vector<LeafRange>* out) {
  if (m == n) {
    if (!complete) out->push_back({offset, offset + n});
    return;
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    SubproofRanges(m, offset, k, complete, out);
    out->push_back({offset + k, offset + n});
  } else {
    SubproofRanges(m - k, offset + k, n - k, false, out);
    out->push_back({offset, offset + k});
  }
}

}  // namespace

namespace {
// One reusable context per thread (Finish() resets it): no allocation per hash.
crypto::Sha256Hasher& ThreadHasher() {
  thread_local crypto::Sha256Hasher hasher;
  return hasher;
}
}  // namespace

Hash HashLeaf(BytesView entry) {
  crypto::Sha256Hasher& h = ThreadHasher();
  const uint8_t prefix = 0x00;
  h.Update(BytesView(&prefix, 1));
  h.Update(entry);
  return h.Finish();
}

Hash HashChildren(const Hash& left, const Hash& right) {
  uint8_t buf[1 + 2 * kHashSize];
  buf[0] = 0x01;
  std::copy(left.begin(), left.end(), buf + 1);
  std::copy(right.begin(), right.end(), buf + 1 + kHashSize);
  crypto::Sha256Hasher& h = ThreadHasher();
  h.Update(BytesView(buf, sizeof(buf)));
  return h.Finish();
}

Hash EmptyRoot() { return crypto::Sha256(BytesView()); }

Result<Hash> HashFromBytes(BytesView bytes) {
  if (bytes.size() != kHashSize) return InvalidArgument("hash is not 32 bytes", "bad_hash_size");
  Hash h;
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

Hash RootFromLeafHashes(std::span<const Hash> leaves) {
  if (leaves.empty()) return EmptyRoot();
  if (leaves.size() == 1) return leaves[0];
  const uint64_t k = SplitPoint(leaves.size());
  return HashChildren(RootFromLeafHashes(leaves.first(k)), RootFromLeafHashes(leaves.subspan(k)));
}

Result<std::vector<LeafRange>> InclusionProofRanges(uint64_t index, uint64_t size) {
  if (index >= size) return OutOfRange("leaf index is beyond the tree size", "index_out_of_range");
  std::vector<LeafRange> out;
  PathRanges(index, 0, size, &out);
  return out;
}

Result<std::vector<LeafRange>> ConsistencyProofRanges(uint64_t size1, uint64_t size2) {
  if (size1 > size2) return OutOfRange("size1 is beyond size2", "index_out_of_range");
  std::vector<LeafRange> out;
  if (size1 == 0 || size1 == size2) return out;
  SubproofRanges(size1, 0, size2, true, &out);
  return out;
}

Result<Hash> RootFromInclusionProof(uint64_t index, uint64_t size, const Hash& leaf_hash,
                                    std::span<const Hash> proof) {
  if (index >= size) return OutOfRange("leaf index is beyond the tree size", "index_out_of_range");
  const int inner = InnerProofSize(index, size);
  const int border = std::popcount(index >> inner);
  if (proof.size() != static_cast<size_t>(inner + border)) {
    return WrongSize(proof.size(), inner + border);
  }
  Hash res = ChainInner(leaf_hash, proof.first(inner), index);
  return ChainBorderRight(res, proof.subspan(inner));
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root) {
  ACCORD_ASSIGN_OR_RETURN(Hash calc, RootFromInclusionProof(index, size, leaf_hash, proof));
  return Match(calc, root);
}

Status VerifyConsistency(uint64_t size1, uint64_t size2, std::span<const Hash> proof,
                         const Hash& root1, const Hash& root2) {
  if (size2 < size1) return OutOfRange("size2 is smaller than size1", "index_out_of_range");
  if (size1 == size2) {
    if (!proof.empty()) return WrongSize(proof.size(), 0);
    return Match(root1, root2);
  }
  if (size1 == 0) {
    if (!proof.empty()) return WrongSize(proof.size(), 0);
    return Status::Ok();
  }
  if (proof.empty()) return WrongSize(0, 1);

  int inner = InnerProofSize(size1 - 1, size2);
  const int border = std::popcount((size1 - 1) >> inner);
  const int shift = std::countr_zero(size1);
  inner -= shift;

  Hash seed = proof[0];
  size_t start = 1;
  if (size1 == (uint64_t{1} << shift)) {
    seed = root1;
    start = 0;
  }
  if (proof.size() != start + inner + border) return WrongSize(proof.size(), start + inner + border);
  proof = proof.subspan(start);

  const uint64_t mask = (size1 - 1) >> shift;
  Hash hash1 = ChainInnerRight(seed, proof.first(inner), mask);
  hash1 = ChainBorderRight(hash1, proof.subspan(inner));
  ACCORD_RETURN_IF_ERROR(Match(hash1, root1));
  Hash hash2 = ChainInner(seed, proof.first(inner), mask);
  hash2 = ChainBorderRight(hash2, proof.subspan(inner));
  return Match(hash2, root2);
}

}  // namespace accord::audit
