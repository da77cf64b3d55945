// The broker's person-facing responses: GOV.UK-styled pages (src/web) wrapped as HTTP responses
// with the page CSP. Texts are for people: never internals, tokens or personal data.
#ifndef ACCORD_OIDC_BROKER_PAGES_H_
#define ACCORD_OIDC_BROKER_PAGES_H_

#include <string>
#include <string_view>
#include <vector>

#include "http/response.h"
#include "web/pages.h"

namespace accord::oidc::broker {

using web::UpstreamChoice;

// Radio buttons (field "upstream") inside the provider's sign-in form.
std::string RenderUpstreamChoices(const std::vector<UpstreamChoice>& choices);

// `form_targets`: origins a form on the page may be redirected to (CSP form-action).
http::Response HtmlPage(int status, std::string html,
                        const std::vector<std::string>& form_targets = {});
http::Response ErrorPage(int status, std::string_view heading, std::string_view text);
// 503: the store is unavailable.
http::Response UnavailablePage();
// 504: the person's home identity provider did not answer in time (or is down).
http::Response UpstreamDownPage(std::string_view provider_name, std::string_view country_code);

}  // namespace accord::oidc::broker

#endif  // ACCORD_OIDC_BROKER_PAGES_H_
