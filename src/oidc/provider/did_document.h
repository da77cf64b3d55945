// did:web documents (W3C DID Core, did:web method) as GOV.UK One Login publishes its core
// identity keys at /.well-known/did.json (facts: docs/sandboxes.md):
//   {"@context":[...], "id": DID, "assertionMethod":[{"id": DID#kid, "type":"JsonWebKey",
//    "controller": DID, "publicKeyJwk": {EC P-256 public key}}]}
//
// Thread safety: pure functions.
#ifndef ACCORD_OIDC_PROVIDER_DID_DOCUMENT_H_
#define ACCORD_OIDC_PROVIDER_DID_DOCUMENT_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "jose/jwk.h"

namespace accord::oidc {

inline constexpr int64_t kDidDocumentMaxAge = 3600;  // Cache-Control max-age of did.json

// The did:web identifier for an http(s) URL's host and port ("http://127.0.0.1:8081" ->
// "did:web:127.0.0.1%3A8081"). InvalidArgument "bad_config" for a URL without a host.
Result<std::string> DidWebForUrl(std::string_view url);

// Checks a configured DID: "did:web:" followed by a host ([A-Za-z0-9.-], "%3A" port allowed).
// InvalidArgument "bad_config".
Status CheckDidWeb(std::string_view did);

// The DID document for `did`; each key (public half only, with its kid) becomes an
// assertionMethod with id did + "#" + kid. InvalidArgument when a key has no kid.
Result<std::string> RenderDidDocument(std::string_view did, const std::vector<jose::Jwk>& keys);

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_DID_DOCUMENT_H_
