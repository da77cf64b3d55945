#include "oidc/provider/national_profile.h"

#include <boost/json/serialize.hpp>

#include <charconv>

#include "common/base64url.h"
#include "common/json.h"
#include "jose/jwe.h"
#include "oidc/provider/did_document.h"
#include "oidc/provider/vtr.h"

namespace accord::oidc {
namespace {

constexpr std::string_view kSingpassAcrPrefix = "urn:singpass:authentication:loa:";

boost::json::array Strings(std::initializer_list<std::string_view> values) {
  boost::json::array a;
  for (auto v : values) a.emplace_back(v);
  return a;
}

// The level N of "urn:singpass:authentication:loa:N", or -1.
int SingpassLevel(std::string_view acr) {
  if (!acr.starts_with(kSingpassAcrPrefix)) return -1;
  std::string_view digits = acr.substr(kSingpassAcrPrefix.size());
  int level = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), level);
  if (ec != std::errc() || end != digits.data() + digits.size() || level < 1 || level > 3) return -1;
  return level;
}

// True when the claims request asks for `claim` among its userinfo claims.
bool RequestsUserinfoClaim(std::string_view claims_request, std::string_view claim) {
  if (claims_request.empty()) return false;
  auto parsed = ParseJsonObject(claims_request);
  if (!parsed.ok()) return false;
  const boost::json::value* userinfo = parsed->if_contains("userinfo");
  return userinfo != nullptr && userinfo->is_object() && userinfo->get_object().contains(claim);
}

}  // namespace

std::string OneLoginSubject(std::string_view pairwise) {
  return std::string(kOneLoginSubjectPrefix) + std::string(pairwise);
}

std::string SingpassSubject(std::string_view pairwise) {
  auto bytes = Base64UrlDecode(pairwise);
  if (!bytes.ok() || bytes->size() < 16) return "";
  Bytes b(bytes->begin(), bytes->begin() + 16);
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x80);  // version 8 (RFC 9562 custom)
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // variant 10
  std::string hex = HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

Result<jose::Jwk> ClientEncryptionKey(const ClientConfig& client) {
  const jose::Jwk* found = nullptr;
  for (const jose::Jwk& key : client.jwks.keys()) {
    if (key.use() != "enc") continue;
    if (key.type() != crypto::KeyType::kEc || key.curve() != crypto::Curve::kP256) continue;
    if (found != nullptr) {
      return FailedPrecondition("more than one P-256 encryption key", "no_encryption_key");
    }
    found = &key;
  }
  if (found == nullptr) {
    return FailedPrecondition("no EC P-256 key with use \"enc\" in the client's jwks",
                              "no_encryption_key");
  }
  return *found;
}

Result<std::string> EncryptNestedJwt(const jose::Jwk& recipient, std::string_view signed_jwt) {
  ACCORD_ASSIGN_OR_RETURN(jose::JweEncrypter encrypter,
                          jose::JweEncrypter::Create(recipient, jose::JweAlg::kEcdhEsA256Kw,
                                                     jose::JweEnc::kA256CbcHs512));
  jose::JweHeaderOptions options;
  options.cty = "JWT";
  return encrypter.Encrypt(signed_jwt, options);
}

// --- One Login -------------------------------------------------------------------------------

Status OneLoginClaimsSource::AddIdTokenClaims(const ClaimsContext& c,
                                              boost::json::object& claims) const {
  auto person = people_.FindPerson(c.subject);
  if (!person.ok()) return NotFound("unknown subject", "unknown_subject");
  ACCORD_ASSIGN_OR_RETURN(std::vector<TrustVector> vectors,
                          ParseVtr(c.vtr.empty() ? kDefaultVtr : c.vtr));
  // The first vector this person can meet; identity not proven still signs in at the
  // credential level (the core identity JWT is then absent, as in One Login).
  const TrustVector* chosen = &vectors.front();
  for (const TrustVector& v : vectors) {
    if (v.identity.empty() || person->identity_level == "P2") {
      chosen = &v;
      break;
    }
  }
  claims.erase("acr");
  claims["vot"] = chosen->credential;
  claims["vtm"] = config_.issuer + "/trustmark";
  return Status::Ok();
}

Status OneLoginClaimsSource::AddUserinfoClaims(const ClaimsContext& c,
                                               boost::json::object& claims) const {
  auto person = people_.FindPerson(c.subject);
  if (!person.ok()) return NotFound("unknown subject", "unknown_subject");
  if (ScopeHas(c.scope, "email") && !person->email.empty()) {
    claims["email"] = person->email;
    claims["email_verified"] = true;
  }
  if (ScopeHas(c.scope, "phone") && !person->phone_number.empty()) {
    claims["phone_number"] = person->phone_number;
    claims["phone_number_verified"] = true;
  }
  if (!RequestsUserinfoClaim(c.claims_request, kCoreIdentityClaim)) return Status::Ok();
  if (person->identity_level != "P2") return Status::Ok();
  auto vectors = ParseVtr(c.vtr.empty() ? kDefaultVtr : c.vtr);
  bool asked_p2 = false;
  if (vectors.ok()) {
    for (const TrustVector& v : *vectors) asked_p2 |= v.identity == "P2";
  }
  if (!asked_p2) return Status::Ok();
  CoreIdentityParams params;
  params.issuer = config_.onelogin_identity_issuer;
  params.client_id = c.client.client_id;
  params.subject = c.client_subject;
  std::string vtm = config_.issuer + "/trustmark";
  params.vtm = vtm;
  params.now = clock_.NowSeconds();
  ACCORD_ASSIGN_OR_RETURN(std::string jwt, core_identity_.Sign(CoreIdentityClaims(*person, params)));
  claims[kCoreIdentityClaim] = jwt;
  return Status::Ok();
}

// --- Singpass --------------------------------------------------------------------------------

Status SingpassClaimsSource::AddIdTokenClaims(const ClaimsContext& c,
                                              boost::json::object& claims) const {
  auto person = people_.FindPerson(c.subject);
  if (!person.ok()) return NotFound("unknown subject", "unknown_subject");
  std::string acr = person->acr.empty() ? std::string(kSingpassDefaultAcr) : person->acr;
  int level = SingpassLevel(acr);
  if (!c.acr_values.empty()) {
    bool met = false;
    std::string_view values = c.acr_values;
    while (!values.empty()) {
      size_t end = values.find(' ');
      int wanted = SingpassLevel(values.substr(0, end));
      met |= wanted > 0 && wanted <= level;
      if (end == std::string_view::npos) break;
      values.remove_prefix(end + 1);
    }
    if (!met) {
      return FailedPrecondition("the person's authentication level is below acr_values",
                                "unmet_authentication_requirements");
    }
  }
  claims["sub_type"] = "user";
  claims["acr"] = acr;
  claims["amr"] = level == 1 ? Strings({"pwd"}) : Strings({"pwd", "sms"});
  boost::json::object attributes;
  if (ScopeHas(c.scope, "user.identity")) {
    if (!person->identity_number.empty()) attributes["identity_number"] = person->identity_number;
    if (!person->identity_coi.empty()) attributes["identity_coi"] = person->identity_coi;
    if (!person->account_type.empty()) attributes["account_type"] = person->account_type;
  }
  if (ScopeHas(c.scope, "name") && !person->full_name.empty()) attributes["name"] = person->full_name;
  if (ScopeHas(c.scope, "email") && !person->email.empty()) attributes["email"] = person->email;
  if (ScopeHas(c.scope, "mobileno") && !person->mobileno.empty()) {
    attributes["mobile_number"] = person->mobileno;
  }
  if (!attributes.empty()) claims["sub_attributes"] = std::move(attributes);
  return Status::Ok();
}

Status SingpassClaimsSource::AddUserinfoClaims(const ClaimsContext& c,
                                               boost::json::object& claims) const {
  auto person = people_.FindPerson(c.subject);
  if (!person.ok()) return NotFound("unknown subject", "unknown_subject");
  auto item = [](std::string_view v) { return boost::json::object{{"value", v}}; };
  boost::json::object info;
  if (ScopeHas(c.scope, "user.identity") && !person->identity_number.empty()) {
    info["uinfin"] = item(person->identity_number);
  }
  if (ScopeHas(c.scope, "name") && !person->full_name.empty()) info["name"] = item(person->full_name);
  // Myinfo's date of birth item (scope `dob`), "YYYY-MM-DD".
  if (ScopeHas(c.scope, "dob") && !person->birthdate.empty()) info["dob"] = item(person->birthdate);
  if (ScopeHas(c.scope, "email") && !person->email.empty()) info["email"] = item(person->email);
  if (ScopeHas(c.scope, "mobileno") && !person->mobileno.empty()) {
    info["mobileno"] = boost::json::object{
        {"prefix", item("+")}, {"areacode", item("65")}, {"nbr", item(person->mobileno)}};
  }
  claims["person_info"] = std::move(info);
  return Status::Ok();
}

// --- NationalProfile -------------------------------------------------------------------------

Result<std::unique_ptr<NationalProfile>> NationalProfile::Create(const ProviderConfig& config,
                                                                 store::Store& store,
                                                                 const crypto::SecretBytes& kek,
                                                                 const Authenticator& people,
                                                                 const Clock& clock) {
  if (config.profile == kProfileAccord) return std::unique_ptr<NationalProfile>();
  std::unique_ptr<NationalProfile> p(new NationalProfile(config));
  if (config.profile == kProfileOneLogin) {
    if (config.onelogin_did.empty() || config.onelogin_identity_issuer.empty() ||
        config.onelogin_identity_key_owner.empty()) {
      return InvalidArgument("onelogin: did, identity_issuer and identity_key_owner are required",
                             "bad_config");
    }
    ACCORD_ASSIGN_OR_RETURN(p->core_identity_,
                            CoreIdentityKey::LoadOrCreate(store, kek.view(),
                                                          config.onelogin_identity_key_owner,
                                                          config.onelogin_did, clock));
    ACCORD_ASSIGN_OR_RETURN(p->did_document_,
                            RenderDidDocument(config.onelogin_did, p->core_identity_->published_keys()));
    boost::json::object trustmark;
    trustmark["idp"] = config.issuer;
    trustmark["trustmark_provider"] = config.issuer;
    trustmark["C"] = Strings({"Cl", "Cl.Cm"});
    trustmark["P"] = Strings({"P0", "P2"});
    p->trustmark_ = boost::json::serialize(trustmark);
    p->claims_source_ =
        std::make_unique<OneLoginClaimsSource>(people, config, *p->core_identity_, clock);
    return p;
  }
  if (config.profile == kProfileSingpass) {
    for (size_t i = 0; i < config.clients.size(); ++i) {
      const ClientConfig& client = config.clients[i];
      std::string key = "clients[" + std::to_string(i) + "]";
      if (client.profile != ClientProfile::kFapi2) {
        return InvalidArgument(key + ".profile: a singpass-profile provider has fapi2 clients only",
                               "bad_config");
      }
      auto enc = ClientEncryptionKey(client);
      if (!enc.ok()) {
        return InvalidArgument(key + ".jwks: " + enc.status().message() +
                                   " (Singpass encrypts ID tokens to it)",
                               "bad_config");
      }
    }
    p->claims_source_ = std::make_unique<SingpassClaimsSource>(people);
    return p;
  }
  return InvalidArgument("profile: must be \"accord\", \"onelogin\" or \"singpass\"", "bad_config");
}

std::string NationalProfile::FormatSubject(std::string_view pairwise) const {
  if (config_.profile == kProfileOneLogin) return OneLoginSubject(pairwise);
  if (config_.profile == kProfileSingpass) return SingpassSubject(pairwise);
  return std::string(pairwise);
}

Result<std::string> NationalProfile::SealJwt(const ClientConfig& client,
                                             std::string signed_jwt) const {
  if (!is_singpass()) return signed_jwt;
  ACCORD_ASSIGN_OR_RETURN(jose::Jwk key, ClientEncryptionKey(client));
  return EncryptNestedJwt(key, signed_jwt);
}

void NationalProfile::AdjustDiscovery(boost::json::object& d) const {
  if (config_.profile == kProfileOneLogin) {
    d["scopes_supported"] = Strings({"openid", "email", "phone", "offline_access"});
    d["claims_supported"] = Strings(
        {"sub", "email", "email_verified", "phone_number", "phone_number_verified", "vot", "vtm",
         "sid", "auth_time", std::string_view(kCoreIdentityClaim)});
    d["claims_parameter_supported"] = true;
    d["vtr_values_supported"] = Strings({"Cl", "Cl.Cm", "Cl.Cm.P2", "P2"});
    d["trustmarks"] = config_.issuer + "/trustmark";
    d["ui_locales_supported"] = Strings({"en", "cy"});
    d["subject_types_supported"] = Strings({"pairwise"});
    d.erase("acr_values_supported");
  } else if (is_singpass()) {
    d["scopes_supported"] = Strings({"openid", "user.identity", "name", "dob", "email", "mobileno"});
    d["claims_supported"] = Strings({"sub", "sub_type", "sub_attributes", "acr", "amr", "iss",
                                     "aud", "exp", "iat", "nonce"});
    d["acr_values_supported"] = Strings({"urn:singpass:authentication:loa:1",
                                         "urn:singpass:authentication:loa:2",
                                         "urn:singpass:authentication:loa:3"});
    d["require_pushed_authorization_requests"] = true;
    d["token_endpoint_auth_signing_alg_values_supported"] = Strings({"ES256"});
    d["id_token_encryption_alg_values_supported"] = Strings({"ECDH-ES+A256KW"});
    d["id_token_encryption_enc_values_supported"] = Strings({"A256CBC-HS512"});
    d["userinfo_signing_alg_values_supported"] = Strings({"ES256"});
    d["userinfo_encryption_alg_values_supported"] = Strings({"ECDH-ES+A256KW"});
    d["userinfo_encryption_enc_values_supported"] = Strings({"A256CBC-HS512"});
    d["grant_types_supported"] = Strings({"authorization_code"});
  }
}

Status NationalProfile::AddRoutes(http::Router& router) const {
  if (config_.profile != kProfileOneLogin) return Status::Ok();
  const NationalProfile* self = this;
  http::RouteOptions in_memory;
  in_memory.inline_handler = true;
  ACCORD_RETURN_IF_ERROR(router.Add("did_document", "GET", "/.well-known/did.json",
                                    [self](const http::Request&) {
                                      http::Response r = http::JsonResponse(self->did_document_);
                                      r.headers.Set("Cache-Control",
                                                    "public, max-age=" +
                                                        std::to_string(kDidDocumentMaxAge));
                                      return r;
                                    },
                                    in_memory));
  return router.Add("trustmark", "GET", "/trustmark", [self](const http::Request&) {
    http::Response r = http::JsonResponse(self->trustmark_);
    r.headers.Set("Cache-Control", "public, max-age=86400");
    return r;
  });
}

}  // namespace accord::oidc
