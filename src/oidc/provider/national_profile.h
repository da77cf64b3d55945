// NationalProfile: what makes an oidc::Provider speak a national identity provider's profile
// (docs/sandboxes.md). ProviderConfig::profile selects it:
//   "accord"    Accord's own profile (no NationalProfile; today's behaviour)
//   "onelogin"  GOV.UK One Login: `vtr`, `vot`/`vtm` in the ID token, sub
//               "urn:fdc:gov.uk:2022:<pairwise>", email/phone userinfo, the core identity JWT
//               (core_identity.h) signed by a separate key published at /.well-known/did.json
//   "singpass"  Singpass FAPI 2.0: sub a pairwise UUID, sub_type/sub_attributes, Singpass acr/amr,
//               ID token and userinfo as an ES256 JWS inside a JWE (ECDH-ES+A256KW,
//               A256CBC-HS512, cty JWT) to the client's `use":"enc"` key
// The sandbox national providers (sandbox-uk, sandbox-sg) are Providers with these profiles over
// SandboxAuthenticator people (data/people/sandbox-uk.json, sandbox-sg.json).
//
// Lifetime: created by Provider::Create and owned by the Provider; the Authenticator, Store and
// Clock must outlive it. Thread safety: immutable after Create; safe to share.
#ifndef ACCORD_OIDC_PROVIDER_NATIONAL_PROFILE_H_
#define ACCORD_OIDC_PROVIDER_NATIONAL_PROFILE_H_

#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "crypto/secret.h"
#include "http/router.h"
#include "jose/jwk.h"
#include "oidc/provider/authenticator.h"
#include "oidc/provider/claims_source.h"
#include "oidc/provider/config.h"
#include "oidc/provider/core_identity.h"
#include "store/store.h"

namespace accord::oidc {

inline constexpr std::string_view kOneLoginSubjectPrefix = "urn:fdc:gov.uk:2022:";
inline constexpr std::string_view kSingpassDefaultAcr = "urn:singpass:authentication:loa:2";
inline constexpr std::string_view kProfileAccord = "accord";
inline constexpr std::string_view kProfileOneLogin = "onelogin";
inline constexpr std::string_view kProfileSingpass = "singpass";

// "urn:fdc:gov.uk:2022:" + pairwise value.
std::string OneLoginSubject(std::string_view pairwise);
// A UUID (version 8, RFC 9562 custom) from the first 16 bytes of the base64url pairwise HMAC:
// stable per (sector, person), unlinkable across sectors. "" if `pairwise` is not base64url of
// at least 16 bytes.
std::string SingpassSubject(std::string_view pairwise);

// The client's ID-token encryption key: the one EC P-256 key with use "enc" in its inline JWKS.
// FailedPrecondition "no_encryption_key" when there is none (or more than one).
Result<jose::Jwk> ClientEncryptionKey(const ClientConfig& client);

// JWE (ECDH-ES+A256KW, A256CBC-HS512, cty "JWT", kid of the key) around a signed JWT.
Result<std::string> EncryptNestedJwt(const jose::Jwk& recipient, std::string_view signed_jwt);

// GOV.UK One Login claims over sandbox people (see the file comment).
class OneLoginClaimsSource final : public ClaimsSource {
 public:
  OneLoginClaimsSource(const Authenticator& people, const ProviderConfig& config,
                       const CoreIdentityKey& core_identity, const Clock& clock)
      : people_(people), config_(config), core_identity_(core_identity), clock_(clock) {}
  // vot (credential part of the first requested vector), vtm; removes the sandbox acr.
  Status AddIdTokenClaims(const ClaimsContext& c, boost::json::object& claims) const override;
  bool IdTokenClaimsFromMemory() const override { return true; }
  // email/email_verified (scope email), phone_number/phone_number_verified (scope phone), and the
  // core identity JWT when the claims request asks for it, the person has P2 and vtr asked P2.
  Status AddUserinfoClaims(const ClaimsContext& c, boost::json::object& claims) const override;

 private:
  const Authenticator& people_;
  const ProviderConfig& config_;
  const CoreIdentityKey& core_identity_;
  const Clock& clock_;
};

// Singpass claims over sandbox people (see the file comment).
class SingpassClaimsSource final : public ClaimsSource {
 public:
  explicit SingpassClaimsSource(const Authenticator& people) : people_(people) {}
  // sub_type, sub_attributes (per scope), acr (the person's level), amr ["pwd","sms"].
  // FailedPrecondition "unmet_authentication_requirements" when acr_values names only levels
  // above the person's.
  Status AddIdTokenClaims(const ClaimsContext& c, boost::json::object& claims) const override;
  bool IdTokenClaimsFromMemory() const override { return true; }
  // person_info {name, email, mobileno, uinfin...} per scope, Myinfo-style {"value": ...} items.
  Status AddUserinfoClaims(const ClaimsContext& c, boost::json::object& claims) const override;

 private:
  const Authenticator& people_;
};

class NationalProfile {
 public:
  // Null for profile "accord". `kek` seals the One Login core identity key (32 bytes).
  static Result<std::unique_ptr<NationalProfile>> Create(const ProviderConfig& config,
                                                         store::Store& store,
                                                         const crypto::SecretBytes& kek,
                                                         const Authenticator& people,
                                                         const Clock& clock);

  std::string_view name() const { return config_.profile; }
  bool is_singpass() const { return config_.profile == kProfileSingpass; }
  const ClaimsSource& claims_source() const { return *claims_source_; }
  // The subject a client sees, from the base64url pairwise value.
  std::string FormatSubject(std::string_view pairwise) const;
  // Singpass: JWE around the signed JWT to the client's enc key; others: unchanged.
  Result<std::string> SealJwt(const ClientConfig& client, std::string signed_jwt) const;
  // Singpass: userinfo answers application/jwt (signed, then encrypted).
  bool userinfo_is_jwt() const { return is_singpass(); }
  // Profile members of the discovery document.
  void AdjustDiscovery(boost::json::object& discovery) const;
  // One Login: GET /.well-known/did.json and GET /trustmark.
  Status AddRoutes(http::Router& router) const;
  const std::string& did_document_json() const { return did_document_; }

 private:
  explicit NationalProfile(const ProviderConfig& config) : config_(config) {}
  const ProviderConfig& config_;
  std::unique_ptr<CoreIdentityKey> core_identity_;
  std::unique_ptr<ClaimsSource> claims_source_;
  std::string did_document_;
  std::string trustmark_;
};

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_NATIONAL_PROFILE_H_
