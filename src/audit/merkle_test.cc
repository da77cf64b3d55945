#include "audit/merkle.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "audit/merkle_nodes.h"
#include "common/base64url.h"
#include "common/json.h"

namespace accord::audit {
namespace {

boost::json::value LoadVector(const std::string& name) {
  std::ifstream in(std::string(ACCORD_SOURCE_DIR) + "/tests/vectors/audit/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  auto v = ParseJson(ss.str());
  EXPECT_TRUE(v.ok()) << name;
  return v.ok() ? *v : boost::json::value();
}

Hash HexHash(std::string_view hex) {
  Bytes b;
  EXPECT_TRUE(HexDecode(hex, &b));
  return *HashFromBytes(b);
}

// Base64 to Hash; an undecodable or wrong-size value yields nullopt (a vector's malformed input).
std::optional<Hash> B64Hash(const boost::json::value& v) {
  auto b = Base64Decode(std::string(v.as_string()));
  if (!b.ok()) return std::nullopt;
  auto h = HashFromBytes(*b);
  if (!h.ok()) return std::nullopt;
  return *h;
}

std::optional<std::vector<Hash>> B64Proof(const boost::json::value& v) {
  std::vector<Hash> out;
  if (v.is_null()) return out;
  for (const auto& e : v.as_array()) {
    auto h = B64Hash(e);
    if (!h) return std::nullopt;
    out.push_back(*h);
  }
  return out;
}

std::vector<Hash> TestLeafHashes() {
  std::vector<Hash> out;
  const boost::json::value tree = LoadVector("rfc6962_tree.json");
  for (const auto& hex : tree.at("leaf_inputs_hex").as_array()) {
    Bytes in;
    const std::string s(hex.as_string());
    EXPECT_TRUE(s.empty() || HexDecode(s, &in));
    out.push_back(HashLeaf(in));
  }
  return out;
}

TEST(MerkleTest, LeafHashesMatchRfc6962Vectors) {
  auto tree = LoadVector("rfc6962_tree.json");
  auto leaves = TestLeafHashes();
  const auto& want = tree.at("leaf_hashes_hex").as_array();
  ASSERT_EQ(leaves.size(), want.size());
  for (size_t i = 0; i < leaves.size(); ++i) {
    EXPECT_EQ(leaves[i], HexHash(std::string(want[i].as_string()))) << i;
  }
}

TEST(MerkleTest, TreeHeadsForEverySizeMatchRfc6962Vectors) {
  auto tree = LoadVector("rfc6962_tree.json");
  auto leaves = TestLeafHashes();
  const auto& roots = tree.at("root_hashes_hex").as_array();
  for (size_t n = 0; n < roots.size(); ++n) {
    const Hash want = HexHash(std::string(roots[n].as_string()));
    EXPECT_EQ(RootFromLeafHashes(std::span<const Hash>(leaves).first(n)), want) << n;
    std::vector<Hash> prefix(leaves.begin(), leaves.begin() + n);
    LeafHashNodeReader reader(prefix);
    EXPECT_EQ(*TreeRoot(reader, n), want) << n;
  }
}

TEST(MerkleTest, EmptyRootIsSha256OfNothing) {
  EXPECT_EQ(HexEncode(HashView(EmptyRoot())),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MerkleTest, InclusionVectorsFromTransparencyDev) {
  const boost::json::value doc = LoadVector("inclusion.json");
  const auto& cases = doc.as_array();
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    const std::string src(c.at("source").as_string());
    const bool want_err = c.at("wantErr").as_bool();
    auto leaf = B64Hash(c.at("leafHash"));
    auto root = B64Hash(c.at("root"));
    auto proof = B64Proof(c.at("proof"));
    bool ok = leaf && root && proof;
    if (ok) {
      ok = VerifyInclusion(c.at("leafIdx").to_number<uint64_t>(), c.at("treeSize").to_number<uint64_t>(),
                           *leaf, *proof, *root)
               .ok();
    }
    EXPECT_EQ(ok, !want_err) << src;
  }
}

TEST(MerkleTest, ConsistencyVectorsFromTransparencyDev) {
  const boost::json::value doc = LoadVector("consistency.json");
  const auto& cases = doc.as_array();
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    const std::string src(c.at("source").as_string());
    const bool want_err = c.at("wantErr").as_bool();
    auto r1 = B64Hash(c.at("root1"));
    auto r2 = B64Hash(c.at("root2"));
    auto proof = B64Proof(c.at("proof"));
    bool ok = r1 && r2 && proof;
    if (ok) {
      ok = VerifyConsistency(c.at("size1").to_number<uint64_t>(), c.at("size2").to_number<uint64_t>(),
                             *proof, *r1, *r2)
               .ok();
    }
    EXPECT_EQ(ok, !want_err) << src;
  }
}

TEST(MerkleTest, GeneratedInclusionProofsMatchVectorsAndVerify) {
  auto leaves = TestLeafHashes();
  LeafHashNodeReader reader(leaves);
  // inclusion/2/happy-path.json: leaf 5 of 8.
  auto proof = BuildInclusionProof(reader, 5, 8);
  ASSERT_TRUE(proof.ok());
  ASSERT_EQ(proof->size(), 3u);
  EXPECT_EQ(Base64Encode(HashView((*proof)[0])), "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=");
  for (uint64_t size = 1; size <= 8; ++size) {
    const Hash root = RootFromLeafHashes(std::span<const Hash>(leaves).first(size));
    for (uint64_t i = 0; i < size; ++i) {
      auto p = BuildInclusionProof(reader, i, size);
      ASSERT_TRUE(p.ok());
      EXPECT_TRUE(VerifyInclusion(i, size, leaves[i], *p, root).ok()) << i << "/" << size;
    }
  }
}

TEST(MerkleTest, GeneratedConsistencyProofsVerifyForAllSizePairs) {
  auto leaves = TestLeafHashes();
  LeafHashNodeReader reader(leaves);
  for (uint64_t s2 = 1; s2 <= 8; ++s2) {
    const Hash r2 = RootFromLeafHashes(std::span<const Hash>(leaves).first(s2));
    for (uint64_t s1 = 0; s1 <= s2; ++s1) {
      const Hash r1 = RootFromLeafHashes(std::span<const Hash>(leaves).first(s1));
      auto p = BuildConsistencyProof(reader, s1, s2);
      ASSERT_TRUE(p.ok());
      EXPECT_TRUE(VerifyConsistency(s1, s2, *p, r1, r2).ok()) << s1 << "->" << s2;
    }
  }
  // consistency/3/happy-path.json: 2 -> 5.
  auto p = BuildConsistencyProof(reader, 2, 5);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ(Base64Encode(HashView((*p)[1])), "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=");
}

TEST(MerkleTest, IndexBeyondSizeIsTypedError) {
  Hash h{};
  auto st = VerifyInclusion(8, 8, h, {}, h);
  EXPECT_EQ(st.reason(), "index_out_of_range");
  EXPECT_EQ(VerifyConsistency(5, 4, {}, h, h).reason(), "index_out_of_range");
}

TEST(MerkleTest, WrongProofLengthIsTypedError) {
  auto leaves = TestLeafHashes();
  std::vector<Hash> proof(2);
  EXPECT_EQ(VerifyInclusion(0, 8, leaves[0], proof, leaves[0]).reason(), "wrong_proof_size");
}

TEST(MerkleTest, TamperedRootIsRootMismatch) {
  auto leaves = TestLeafHashes();
  LeafHashNodeReader reader(leaves);
  auto p = BuildInclusionProof(reader, 3, 8);
  Hash root = RootFromLeafHashes(leaves);
  root[0] ^= 1;
  EXPECT_EQ(VerifyInclusion(3, 8, leaves[3], *p, root).reason(), "root_mismatch");
}

TEST(MerkleTest, HashFromBytesRejectsWrongLength) {
  Bytes b(31);
  EXPECT_EQ(HashFromBytes(b).status().reason(), "bad_hash_size");
}

}  // namespace
}  // namespace accord::audit
