// ClaimsSource: what an OpenID Provider says about the person, behind one small interface
// (CONTRACTS.md "Provider extension points"; docs/provider.md "Claims sources").
//
// The provider sets the protocol claims itself (iss, aud, exp, iat, nonce, sub, at_hash, and
// auth_time/acr/sid from the session); a ClaimsSource adds what describes the person. Sources:
//   PeopleClaimsSource        the sandbox people behind an Authenticator (the default: profile,
//                             birthdate scopes; the client's `claims` allow-list)
//   OneLoginClaimsSource      GOV.UK One Login's profile (national_profile.h)
//   SingpassClaimsSource      Singpass's FAPI 2.0 profile (national_profile.h)
// and the gateway's broker source (the integrator's), which reads Session::identity_json.
//
// Errors: a Status with reason "unmet_authentication_requirements" becomes that OAuth error;
// any other error becomes server_error (token endpoint) or invalid_token (userinfo) without its
// message. Messages never contain personal data.
//
// Thread safety: implementations are immutable after construction and safe to share; the
// ClaimsContext and everything it points to live only for one call.
#ifndef ACCORD_OIDC_PROVIDER_CLAIMS_SOURCE_H_
#define ACCORD_OIDC_PROVIDER_CLAIMS_SOURCE_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "oidc/provider/authenticator.h"
#include "oidc/provider/config.h"
#include "store/records.h"

namespace accord::oidc {

struct ClaimsContext {
  const ClientConfig& client;
  const store::Session* session;     // null for client_credentials (or when unknown)
  std::string_view subject;          // local subject (session subject)
  std::string_view scope;            // granted scope, space separated
  std::string_view claims_request;   // the OIDC `claims` request parameter JSON ("" if none)
  std::string_view acr_values;       // requested acr_values ("" if none)
  // Additions (not in the first contract draft): the subject as this client sees it (pairwise,
  // already formatted for the profile) and One Login's normalised `vtr` ("" if none).
  std::string_view client_subject = {};
  std::string_view vtr = {};
};

class ClaimsSource {  // what an OP says about the person
 public:
  virtual ~ClaimsSource() = default;
  // Claims added to the ID token (never iss/aud/exp/iat/nonce/sub/at_hash: the provider sets
  // those).
  virtual Status AddIdTokenClaims(const ClaimsContext& c, boost::json::object& claims) const = 0;
  // Claims added to the userinfo response (sub is set by the provider).
  virtual Status AddUserinfoClaims(const ClaimsContext& c, boost::json::object& claims) const = 0;
  // True when AddIdTokenClaims only reads memory (no store, no network, no audit log wait), so
  // a code exchange may run on an I/O thread (Provider::TokenRunsInline).
  virtual bool IdTokenClaimsFromMemory() const { return false; }
};

// True when the space-separated `scope` holds `name`.
bool ScopeHas(std::string_view scope, std::string_view name);

// The default source: today's behaviour over an Authenticator's people. ID token: nothing.
// Userinfo: given_name, family_name, name, birthdate for scope "profile"; birthdate for scope
// "birthdate"; each only when the client's `claims` allow-list is empty or names it. NotFound
// "unknown_subject" when the subject is not one of the people.
class PeopleClaimsSource final : public ClaimsSource {
 public:
  explicit PeopleClaimsSource(const Authenticator& people) : people_(people) {}
  Status AddIdTokenClaims(const ClaimsContext& c, boost::json::object& claims) const override;
  Status AddUserinfoClaims(const ClaimsContext& c, boost::json::object& claims) const override;
  bool IdTokenClaimsFromMemory() const override { return true; }

 private:
  const Authenticator& people_;
};

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_CLAIMS_SOURCE_H_
