#include "jose/test_util.h"

#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/base64url.h"
#include "common/json.h"

namespace accord::jose::testing {

boost::json::object LoadVector(std::string_view name) {
  std::string path = std::string(ACCORD_SOURCE_DIR) + "/tests/vectors/jose/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  auto parsed = ParseJsonObject(ss.str());
  if (!in || !parsed.ok()) {
    std::cerr << "cannot load vector file " << path << "\n";
    std::abort();
  }
  return std::move(*parsed);
}

std::string Str(const boost::json::value& v) { return std::string(v.as_string()); }

Jwk ParseJwkOrDie(const boost::json::value& v) {
  auto jwk = Jwk::FromJson(v.as_object());
  if (!jwk.ok()) {
    std::cerr << "vector JWK does not parse: " << jwk.status().ToString() << "\n";
    std::abort();
  }
  return std::move(*jwk);
}

Jwk RsaKey(std::string kid) {
  static const crypto::PrivateKey* key = [] {
    auto k = crypto::PrivateKey::GenerateRsa(2048);
    if (!k.ok()) std::abort();
    return new crypto::PrivateKey(std::move(*k));
  }();
  Jwk jwk = Jwk::FromPrivateKey(*key);
  jwk.set_kid(std::move(kid));
  return jwk;
}

Jwk EcKey(crypto::Curve curve, std::string kid) {
  auto k = crypto::PrivateKey::GenerateEc(curve);
  if (!k.ok()) std::abort();
  Jwk jwk = Jwk::FromPrivateKey(std::move(*k));
  jwk.set_kid(std::move(kid));
  return jwk;
}

Jwk OkpKey(crypto::Curve curve, std::string kid) {
  auto k = crypto::PrivateKey::GenerateOkp(curve);
  if (!k.ok()) std::abort();
  Jwk jwk = Jwk::FromPrivateKey(std::move(*k));
  jwk.set_kid(std::move(kid));
  return jwk;
}

std::string EditHeader(std::string_view token, void (*edit)(boost::json::object& header)) {
  size_t dot = token.find('.');
  auto raw = Base64UrlDecode(token.substr(0, dot));
  if (!raw.ok()) std::abort();
  auto header = ParseJsonObject(AsStringView(*raw));
  if (!header.ok()) std::abort();
  edit(*header);
  return Base64UrlEncode(boost::json::serialize(*header)) + std::string(token.substr(dot));
}

std::string TamperSegment(std::string_view token, size_t index) {
  std::string out(token);
  size_t start = 0;
  for (size_t i = 0; i < index; ++i) start = out.find('.', start) + 1;
  // Change the first character: 'A' <-> 'B' keeps the encoding canonical (only the top bits of
  // the first byte change).
  out[start] = out[start] == 'A' ? 'B' : 'A';
  return out;
}

}  // namespace accord::jose::testing
