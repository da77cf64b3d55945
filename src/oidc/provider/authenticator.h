// How the provider authenticates the person in the browser, behind the Authenticator interface.
//
// SandboxAuthenticator: a test-user picker over fictional people loaded from a JSON file
// (data/people/sandbox-people.json: {"people":[{"id","given_name","family_name","birthdate",
// "nationality"}]}, plus the optional national fields of Person used by the sandbox national
// providers: data/people/sandbox-uk.json, sandbox-sg.json; format in docs/sandboxes.md). It is
// for sandboxes only: it asserts acr "urn:accord:acr:sandbox" (a national profile's claims
// source states the profile's own acr/vot).
//
// Begin() is the redirect-capable login step: an authenticator may answer a form submission
// with a URL to send the browser to (an upstream identity provider) instead of a user; the
// provider then keeps the login transaction and Provider::ResumeLogin() finishes it later.
//
// Thread safety: implementations are immutable after construction and safe to share.
#ifndef ACCORD_OIDC_PROVIDER_AUTHENTICATOR_H_
#define ACCORD_OIDC_PROVIDER_AUTHENTICATOR_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "http/form.h"

namespace accord::oidc {

struct Person {
  std::string id;  // local subject
  std::string given_name;
  std::string family_name;
  std::string birthdate;  // YYYY-MM-DD
  std::string nationality;  // ISO 3166-1 alpha-3
  // Optional national fields ("" when absent; see docs/sandboxes.md).
  std::string email;
  std::string phone_number;    // E.164, e.g. +447700900123 (Ofcom drama range)
  std::string identity_level;  // One Login: "P2" when the identity is proven, "" credentials only
  std::string identity_number; // Singpass: NRIC/FIN (S/T/F/G, valid checksum; fictional)
  std::string identity_coi;    // Singpass: country of issue, e.g. "SG"
  std::string account_type;    // Singpass: e.g. "standard"
  std::string full_name;       // Singpass: name as registered, e.g. "TAN MEI LING"
  std::string mobileno;        // Singpass: local number, e.g. "81234567"
  std::string acr;             // Singpass: e.g. "urn:singpass:authentication:loa:2"
};

struct AuthenticatedUser {
  std::string subject;
  std::string acr;
  std::vector<std::string> amr;
  std::string upstream;
  std::string identity_json;  // upstream identity (broker); copied into Session::identity_json
};

// Result of a login form submission: either the user (the provider continues) or a URL to send
// the browser to (an upstream identity provider; the login finishes in Provider::ResumeLogin).
struct LoginStep {
  std::optional<AuthenticatedUser> user;
  std::string redirect_url;
};

// True when `id` has the NRIC/FIN shape (S, T, F or G, seven digits, check letter) and its
// check letter matches the weighted checksum (weights 2 7 6 5 4 3 2, +4 for T/G, mod 11).
bool ValidNricChecksum(std::string_view id);

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // HTML form fields (inside <form>) letting the user authenticate; the caller adds the
  // transaction and CSRF fields and the submit button.
  virtual std::string RenderLoginFields() const = 0;
  // Completes authentication from the submitted form. InvalidArgument "login_failed".
  virtual Result<AuthenticatedUser> Complete(const http::Params& form) const = 0;
  // The redirect-capable login step. `login_transaction_id` names the pending login so a later
  // callback can resume it (Provider::ResumeLogin). Default: Complete(form) -> LoginStep{user}.
  virtual Result<LoginStep> Begin(const http::Params& form,
                                  std::string_view login_transaction_id) const;
  // The person behind a local subject (claims source). NotFound when unknown.
  virtual Result<Person> FindPerson(std::string_view subject) const = 0;
  virtual const std::vector<Person>& people() const = 0;
  // Origins (scheme://host[:port]) a login form submission may redirect to besides the client's
  // redirect_uri, e.g. upstream identity providers: the login page's CSP form-action lists them.
  virtual std::vector<std::string> FormTargets() const { return {}; }
  // The sign-in page's heading and introduction ("" keeps the provider's sandbox wording).
  virtual std::string LoginHeading() const { return {}; }
  virtual std::string LoginIntro() const { return {}; }
};

class SandboxAuthenticator final : public Authenticator {
 public:
  static constexpr std::string_view kAcr = "urn:accord:acr:sandbox";
  // At most 1000 people, 1 MiB of JSON. InvalidArgument "bad_people" naming the entry. Optional
  // national fields are checked: identity_level "P2" or absent, identity_number with a valid
  // NRIC/FIN checksum, email/phone bounded.
  static Result<std::unique_ptr<SandboxAuthenticator>> FromJson(std::string_view json);
  static Result<std::unique_ptr<SandboxAuthenticator>> FromFile(const std::string& path);

  std::string RenderLoginFields() const override;
  Result<AuthenticatedUser> Complete(const http::Params& form) const override;
  Result<Person> FindPerson(std::string_view subject) const override;
  const std::vector<Person>& people() const override { return people_; }

 private:
  explicit SandboxAuthenticator(std::vector<Person> people) : people_(std::move(people)) {}
  std::vector<Person> people_;
};

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_AUTHENTICATOR_H_
