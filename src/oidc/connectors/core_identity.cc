#include "oidc/connectors/core_identity.h"

#include <boost/json.hpp>

#include "common/base64url.h"
#include "common/json.h"
#include "jose/jws.h"
#include "jose/jwt.h"
#include "oidc/connectors/id_token.h"

namespace accord::oidc::connectors {
namespace {

constexpr size_t kMaxAssertionMethods = 32;
constexpr size_t kMaxNameParts = 32;

Status Bad(std::string message) {
  return Unauthenticated("core identity: " + std::move(message), "bad_core_identity");
}

// The protected header of a compact JWS, decoded but NOT verified: used only to read the kid.
Result<boost::json::object> PeekHeader(std::string_view compact) {
  size_t dot = compact.find('.');
  if (dot == std::string_view::npos || dot > jose::kMaxHeaderBytes * 2) {
    return Bad("malformed token");
  }
  Result<Bytes> header = Base64UrlDecode(compact.substr(0, dot));
  if (!header.ok()) return Bad("malformed token");
  Result<boost::json::object> parsed = ParseJsonObject(
      AsStringView(*header),
      BoundedJson(jose::kMaxHeaderBytes, jose::kMaxJsonDepth));
  if (!parsed.ok()) return Bad("malformed token header");
  return parsed;
}

const jose::Jwk* FindKey(const DidDocument& doc, std::string_view kid) {
  for (const auto& [id, key] : doc.assertion_keys) {
    if (id == kid) return &key;
  }
  return nullptr;
}

std::string JoinParts(const boost::json::array& parts, std::string_view type) {
  std::string out;
  size_t n = 0;
  for (const boost::json::value& part : parts) {
    if (++n > kMaxNameParts) break;
    const boost::json::object* p = part.if_object();
    if (p == nullptr) continue;
    const boost::json::value* t = p->if_contains("type");
    const boost::json::value* v = p->if_contains("value");
    if (t == nullptr || v == nullptr || !t->is_string() || !v->is_string()) continue;
    if (t->as_string() != type) continue;
    if (!out.empty()) out += ' ';
    out += std::string_view(v->as_string());
  }
  return out;
}

}  // namespace

Result<DidDocument> ParseDidDocument(std::string_view json) {
  Result<boost::json::object> doc = ParseJsonObject(
      json, BoundedJson(kMaxDidDocumentBytes, kMaxResponseJsonDepth));
  if (!doc.ok()) return InvalidArgument("did document: malformed JSON", "bad_core_identity");
  const boost::json::value* id = doc->if_contains("id");
  if (id == nullptr || !id->is_string() || !id->as_string().starts_with("did:")) {
    return InvalidArgument("did document: missing or bad id", "bad_core_identity");
  }
  DidDocument out;
  out.id = std::string(id->as_string());
  const boost::json::value* methods = doc->if_contains("assertionMethod");
  if (methods == nullptr || !methods->is_array() ||
      methods->as_array().size() > kMaxAssertionMethods) {
    return InvalidArgument("did document: missing or bad assertionMethod", "bad_core_identity");
  }
  for (const boost::json::value& m : methods->as_array()) {
    const boost::json::object* method = m.if_object();
    if (method == nullptr) continue;  // references to verificationMethod entries are not used
    const boost::json::value* mid = method->if_contains("id");
    const boost::json::value* controller = method->if_contains("controller");
    const boost::json::value* jwk = method->if_contains("publicKeyJwk");
    if (mid == nullptr || !mid->is_string() || jwk == nullptr || !jwk->is_object()) continue;
    if (controller != nullptr && (!controller->is_string() || controller->as_string() != out.id)) {
      continue;
    }
    std::string key_id(mid->as_string());
    if (key_id.starts_with("#")) key_id = out.id + key_id;
    Result<jose::Jwk> key = jose::Jwk::FromPublicJson(jwk->as_object());
    if (!key.ok() || key->type() != crypto::KeyType::kEc ||
        key->curve() != crypto::Curve::kP256) {
      continue;
    }
    key->set_kid(key_id);
    key->set_alg("");
    out.assertion_keys.emplace_back(std::move(key_id), std::move(key).value());
  }
  return out;
}

void ExtractNames(const boost::json::object& subject, CoreIdentity* out) {
  if (const boost::json::value* names = subject.if_contains("name"); names && names->is_array()) {
    const boost::json::object* current = nullptr;
    for (const boost::json::value& n : names->as_array()) {
      const boost::json::object* name = n.if_object();
      if (name == nullptr) continue;
      if (current == nullptr) current = name;
      if (!name->contains("validUntil")) {
        current = name;
        break;
      }
    }
    if (current != nullptr) {
      if (const boost::json::value* parts = current->if_contains("nameParts");
          parts && parts->is_array()) {
        out->given_name = JoinParts(parts->as_array(), "GivenName");
        out->family_name = JoinParts(parts->as_array(), "FamilyName");
      }
    }
  }
  if (const boost::json::value* dates = subject.if_contains("birthDate");
      dates && dates->is_array() && !dates->as_array().empty()) {
    const boost::json::object* first = dates->as_array().front().if_object();
    if (first != nullptr) {
      const boost::json::value* v = first->if_contains("value");
      if (v != nullptr && v->is_string()) out->birthdate = std::string(v->as_string());
    }
  }
}

CoreIdentityVerifier::CoreIdentityVerifier(std::string did_document_url, std::string issuer,
                                           std::string client_id, int64_t skew_seconds)
    : did_document_url_(std::move(did_document_url)), issuer_(std::move(issuer)),
      client_id_(std::move(client_id)), skew_seconds_(skew_seconds),
      cache_("did document", kMaxDidDocumentBytes, &ParseDidDocument) {}

Result<CoreIdentity> CoreIdentityVerifier::Verify(const UpstreamHttp& http, const Clock& clock,
                                                  std::string_view jwt,
                                                  std::string_view expected_sub) {
  if (jwt.size() > jose::kDefaultMaxTokenBytes) return Bad("token too large");
  ACCORD_ASSIGN_OR_RETURN(boost::json::object header, PeekHeader(jwt));
  const boost::json::value* kid_value = header.if_contains("kid");
  if (kid_value == nullptr || !kid_value->is_string()) return Bad("missing kid");
  std::string kid(kid_value->as_string());
  size_t hash = kid.find('#');
  if (hash == std::string::npos || hash == 0 || !kid.starts_with("did:")) {
    return Bad("kid is not a DID URL");
  }
  std::string_view did = std::string_view(kid).substr(0, hash);
  for (bool refreshed : {false, true}) {
    ACCORD_ASSIGN_OR_RETURN(std::shared_ptr<const DidDocument> doc,
                            cache_.Get(http, clock, did_document_url_, refreshed));
    if (doc->id != did) return Bad("kid names another DID than the configured document");
    if (FindKey(*doc, kid) == nullptr) {
      if (!refreshed) continue;
      return Bad("unknown kid");
    }
    return VerifyWith(*doc, clock, jwt, kid, expected_sub);
  }
  return Bad("unknown kid");
}

Result<CoreIdentity> CoreIdentityVerifier::VerifyWith(const DidDocument& doc, const Clock& clock,
                                                      std::string_view jwt, std::string_view kid,
                                                      std::string_view expected_sub) const {
  const jose::Jwk* key = FindKey(doc, kid);
  Result<jose::JwsVerifier> jws = jose::JwsVerifier::Create(
      *key, AlgPolicy({crypto::SignatureAlgorithm::kEs256}));
  if (!jws.ok()) return Bad("unusable key");
  jose::JwtValidator::Builder builder;
  builder.ExpectIssuer(issuer_)
      .ExpectAudience(client_id_)
      .IgnoreTypeHeader()
      .SetClockSkewSeconds(skew_seconds_)
      .SetClock(clock);
  Result<jose::JwtValidator> validator = builder.Build();
  if (!validator.ok()) return Bad("bad validator");
  jose::JwtVerifier verifier(std::move(jws).value(), std::move(validator).value());
  Result<jose::VerifiedJwt> verified = verifier.Verify(jwt);
  if (!verified.ok()) return Bad(verified.status().reason());
  std::optional<std::string> sub = verified->subject();
  if (!sub || *sub != expected_sub) return Bad("sub differs from the ID token's");
  CoreIdentity out;
  std::optional<std::string> vot = verified->GetString("vot");
  if (!vot || vot->size() != 2 || (*vot)[0] != 'P' || (*vot)[1] < '1' || (*vot)[1] > '4') {
    return Bad("vot is not an identity level");
  }
  out.vot = *vot;
  out.vtm = verified->GetString("vtm").value_or("");
  const boost::json::object* vc = verified->GetObject("vc");
  if (vc == nullptr) return Bad("missing vc");
  const boost::json::value* subject = vc->if_contains("credentialSubject");
  if (subject == nullptr || !subject->is_object()) return Bad("missing credentialSubject");
  out.credential_subject = subject->as_object();
  ExtractNames(out.credential_subject, &out);
  return out;
}

}  // namespace accord::oidc::connectors
