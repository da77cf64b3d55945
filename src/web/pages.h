// The person-facing pages of Accord's sign-in and consent flow, as pure functions from a plain
// data struct to a complete HTML document in the GOV.UK Frontend layout (html.h). Callers own
// the flow (sessions, CSRF cookies, status codes); these only render. Every string in the structs
// is plain text (escaped here). Forms that change state carry the CSRF field (html.h: CsrfField)
// and post to `form_action`; callers whose form POST redirects to another origin serve the page
// with PageCsp(targets) instead of kPageCsp.
//
// Thread safety: pure functions.
#ifndef ACCORD_WEB_PAGES_H_
#define ACCORD_WEB_PAGES_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace accord::web {

// "United Kingdom" for GB/GBR, "Singapore" for SG/SGP; other codes are returned unchanged.
std::string CountryName(std::string_view code);

// Hidden form fields (name, value) carried through a form, e.g. a login transaction id.
using HiddenFields = std::vector<std::pair<std::string, std::string>>;

// ---- Sandbox login: choose a fictional test person ----
struct LoginChoice {
  std::string value;  // submitted as field "person"
  std::string label;  // e.g. "Amelia Clarke"
  std::string hint;   // e.g. "Born 1990-04-12, British"
};
struct SandboxLoginPage {
  std::string provider_name = "Accord sandbox";  // "Sign in to <provider_name>"
  std::string form_action = "/login";
  std::string csrf_token;
  HiddenFields hidden;
  std::vector<LoginChoice> people;  // the first is preselected
  std::string error;                // e.g. "Choose a test person"
};
std::string RenderSandboxLogin(const SandboxLoginPage& page);

// ---- Choose the country whose digital identity the person will use ----
struct UpstreamChoice {
  std::string id;            // submitted as field "upstream"
  std::string name;          // "GOV.UK One Login"
  std::string country_code;  // "GBR" / "GB" / "SGP" / "SG" ("" for none)
  std::string hint;          // optional
};
struct ChooseCountryPage {
  std::string service_name;     // the receiving service
  std::string service_country;  // its country code
  std::vector<UpstreamChoice> choices;
  std::string form_action;
  std::string csrf_token;
  HiddenFields hidden;
  std::string error;  // e.g. "Select how you want to prove who you are"
};
// Labels read "GOV.UK One Login (United Kingdom)".
std::string UpstreamLabel(const UpstreamChoice& choice);
std::string RenderChooseCountry(const ChooseCountryPage& page);

// ---- Consent: what the receiving service will get, and why ----
struct ConsentItem {
  std::string label;    // "Date of birth"
  std::string purpose;  // why the service asks for it
  std::string value;    // optional: the value to be shared, shown to the person
};
struct ConsentPage {
  std::string service_name;
  std::string service_country;  // code
  std::string home_provider;    // optional, e.g. "GOV.UK One Login (United Kingdom)"
  std::string level;            // optional, e.g. "Substantial (eIDAS)"
  std::vector<ConsentItem> items;
  std::string form_action;
  std::string csrf_token;
  HiddenFields hidden;
};
// The form submits field "decision" with "agree" or "deny".
inline constexpr std::string_view kDecisionField = "decision";
std::string RenderConsent(const ConsentPage& page);

// ---- The person's consents, each revocable ----
struct ConsentRecordView {
  std::string client_id;  // submitted as field "client_id" by its Revoke form
  std::string service_name;
  std::string service_country;          // code
  std::vector<std::string> attributes;  // labels
  std::string granted_on;               // a date, e.g. "4 January 2027"
};
struct ConsentsPage {
  std::vector<ConsentRecordView> consents;
  std::string revoke_action;  // every Revoke form posts here
  std::string csrf_token;
  std::string notice;  // success banner when set, e.g. "You withdrew consent for ..."
};
std::string RenderConsents(const ConsentsPage& page);

// ---- Errors ----
struct ErrorPage {
  std::string heading;
  std::string text;        // plain text for the person: never internals
  std::string return_url;  // optional link "Return to the service"
  bool scripts = true;
};
std::string RenderError(const ErrorPage& page);

// "Your home sign-in service is not responding" (connector timeout / unavailable).
struct ProviderDownPage {
  std::string provider_name;  // "Singpass"
  std::string country_code;   // "SGP"
  std::string retry_url;      // optional "Try again" button link
  std::string return_url;     // optional link back to the service
};
std::string RenderProviderDown(const ProviderDownPage& page);

}  // namespace accord::web

#endif  // ACCORD_WEB_PAGES_H_
