// GOV.UK One Login core identity JWT (claim https://vocab.account.gov.uk/v1/coreIdentityJWT in
// userinfo): an ES256 JWT whose key is published in One Login's did:web document.
//
// Key discovery without a general DID resolver: the header kid is "<did>#<key id>"; only the
// CONFIGURED did_document_url is ever fetched (cached per Cache-Control, kept while the upstream
// is down, refetched once on an unknown kid). The document's "id" must equal <did>; the key is the
// assertionMethod[] entry whose id equals the kid (absolute, or "#<key id>" relative to the
// document), its "controller" (when present) must be the document id, and its publicKeyJwk must be
// a public EC P-256 key.
//
// Claims: iss = core_identity_issuer, aud contains client_id, sub = the ID token's sub, exp
// required, nbf/iat checked with the configured skew, vot a P-level ("P1".."P4"), vc an object
// whose credentialSubject is an object. Every failure: Unauthenticated "bad_core_identity"
// (Unavailable "upstream_unavailable" when did.json can not be fetched at all).
//
// Extraction: given_name / family_name from the current name (the name[] entry without
// validUntil, else the first), joining that name's GivenName / FamilyName parts in order with one
// space; birthdate = the first birthDate[] value.
//
// Thread safety: safe for concurrent use (the did.json cache is locked internally).
#ifndef ACCORD_OIDC_CONNECTORS_CORE_IDENTITY_H_
#define ACCORD_OIDC_CONNECTORS_CORE_IDENTITY_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "jose/jwk.h"
#include "oidc/connectors/document_cache.h"
#include "oidc/connectors/upstream_http.h"

namespace accord::oidc::connectors {

inline constexpr std::string_view kCoreIdentityClaim =
    "https://vocab.account.gov.uk/v1/coreIdentityJWT";

struct DidDocument {
  std::string id;
  std::vector<std::pair<std::string, jose::Jwk>> assertion_keys;  // absolute id -> key
};
// Bounded parse (kMaxDidDocumentBytes). InvalidArgument "bad_core_identity".
Result<DidDocument> ParseDidDocument(std::string_view json);

struct CoreIdentity {
  std::string vot, vtm;
  boost::json::object credential_subject;
  std::string given_name, family_name, birthdate;  // empty when absent
};

// Fills given_name / family_name / birthdate from a credentialSubject (see the header comment).
void ExtractNames(const boost::json::object& credential_subject, CoreIdentity* out);

class CoreIdentityVerifier {
 public:
  CoreIdentityVerifier(std::string did_document_url, std::string issuer, std::string client_id,
                       int64_t skew_seconds);

  Result<CoreIdentity> Verify(const UpstreamHttp& http, const Clock& clock, std::string_view jwt,
                              std::string_view expected_sub);

 private:
  Result<CoreIdentity> VerifyWith(const DidDocument& doc, const Clock& clock,
                                  std::string_view jwt, std::string_view kid,
                                  std::string_view expected_sub) const;
  std::string did_document_url_, issuer_, client_id_;
  int64_t skew_seconds_;
  DocumentCache<DidDocument> cache_;
};

}  // namespace accord::oidc::connectors

#endif  // ACCORD_OIDC_CONNECTORS_CORE_IDENTITY_H_
