#include "oidc/provider/did_document.h"

#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

namespace accord::oidc {

Result<std::string> DidWebForUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->encoded_host().empty()) {
    return InvalidArgument("not an absolute URL with a host", "bad_config");
  }
  std::string did = "did:web:" + std::string(parsed->encoded_host());
  if (parsed->has_port()) did += "%3A" + std::string(parsed->port());
  return did;
}

Status CheckDidWeb(std::string_view did) {
  constexpr std::string_view kPrefix = "did:web:";
  if (!did.starts_with(kPrefix) || did.size() == kPrefix.size() || did.size() > 255) {
    return InvalidArgument("must be a did:web identifier", "bad_config");
  }
  for (char c : did.substr(kPrefix.size())) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '%' || c == ':';
    if (!ok) return InvalidArgument("did:web host has an invalid character", "bad_config");
  }
  return Status::Ok();
}

Result<std::string> RenderDidDocument(std::string_view did, const std::vector<jose::Jwk>& keys) {
  boost::json::array methods;
  for (const jose::Jwk& key : keys) {
    if (key.kid().empty()) return InvalidArgument("DID keys need a kid", "bad_key");
    boost::json::object m;
    m["id"] = std::string(did) + "#" + key.kid();
    m["type"] = "JsonWebKey";
    m["controller"] = did;
    m["publicKeyJwk"] = key.PublicOnly().ToPublicJsonObject();
    methods.push_back(std::move(m));
  }
  boost::json::object doc;
  doc["@context"] = boost::json::array{"https://www.w3.org/ns/did/v1",
                                       "https://w3id.org/security/jwk/v1"};
  doc["id"] = did;
  doc["assertionMethod"] = std::move(methods);
  return boost::json::serialize(doc);
}

}  // namespace accord::oidc
