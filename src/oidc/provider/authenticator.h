// How the provider authenticates the person in the browser, behind the Authenticator interface.
//
// SandboxAuthenticator: a test-user picker over fictional people loaded from a JSON file
// (data/people/sandbox-people.json: {"people":[{"id","given_name","family_name","birthdate",
// "nationality"}]}). It is for sandboxes only: it asserts acr "urn:accord:acr:sandbox".
// Later authenticators (GOV.UK One Login, Singpass) plug in behind the same interface.
//
// Thread safety: implementations are immutable after construction and safe to share.
#ifndef ACCORD_OIDC_PROVIDER_AUTHENTICATOR_H_
#define ACCORD_OIDC_PROVIDER_AUTHENTICATOR_H_

#include <memory>
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
};

struct AuthenticatedUser {
  std::string subject;
  std::string acr;
  std::vector<std::string> amr;
  std::string upstream;
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // HTML form fields (inside <form>) letting the user authenticate; the caller adds the
  // transaction and CSRF fields and the submit button.
  virtual std::string RenderLoginFields() const = 0;
  // Completes authentication from the submitted form. InvalidArgument "login_failed".
  virtual Result<AuthenticatedUser> Complete(const http::Params& form) const = 0;
  // The person behind a local subject (claims source). NotFound when unknown.
  virtual Result<Person> FindPerson(std::string_view subject) const = 0;
  virtual const std::vector<Person>& people() const = 0;
};

class SandboxAuthenticator final : public Authenticator {
 public:
  static constexpr std::string_view kAcr = "urn:accord:acr:sandbox";
  // At most 1000 people, 1 MiB of JSON. InvalidArgument "bad_people" naming the entry.
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
