#include "crypto/internal/test_vectors.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "common/json.h"

namespace accord::crypto::testing {

boost::json::object LoadVectors(std::string_view name) {
  const std::string path = std::string(ACCORD_SOURCE_DIR) + "/tests/vectors/crypto/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = ParseJsonObject(text.str());
  if (!parsed.ok()) {
    ADD_FAILURE() << path << ": " << parsed.status().ToString();
    return {};
  }
  return std::move(parsed).value();
}

Bytes HexField(const boost::json::object& obj, std::string_view key) {
  const boost::json::value* v = obj.if_contains(key);
  Bytes out;
  if (v == nullptr || !v->is_string() || !HexDecode(v->as_string(), &out)) {
    ADD_FAILURE() << "vector field '" << key << "' missing or not hex";
    return {};
  }
  return out;
}

const PrivateKey& CachedRsaKey() {
  static const PrivateKey key = PrivateKey::GenerateRsa(2048).value();
  return key;
}

const PrivateKey& CachedOtherRsaKey() {
  static const PrivateKey key = PrivateKey::GenerateRsa(2048).value();
  return key;
}

}  // namespace accord::crypto::testing
