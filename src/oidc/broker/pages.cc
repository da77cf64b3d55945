#include "oidc/broker/pages.h"

#include "web/components.h"
#include "web/html.h"

namespace accord::oidc::broker {

std::string RenderUpstreamChoices(const std::vector<UpstreamChoice>& choices) {
  std::string html =
      "<div class=\"govuk-form-group\"><fieldset class=\"govuk-fieldset\">"
      "<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--m\">"
      "How do you want to prove who you are?</legend>"
      "<div class=\"govuk-radios\" data-module=\"govuk-radios\">";
  for (size_t i = 0; i < choices.size(); ++i) {
    std::string id = "upstream-" + std::to_string(i);
    html += "<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"" + id +
            "\" name=\"upstream\" type=\"radio\" value=\"" + web::HtmlEscape(choices[i].id) +
            "\"" + (i == 0 ? " checked" : "") +
            "><label class=\"govuk-label govuk-radios__label\" for=\"" + id + "\">" +
            web::HtmlEscape(web::UpstreamLabel(choices[i])) + "</label></div>";
  }
  html += "</div></fieldset></div>";
  return html;
}

http::Response HtmlPage(int status, std::string html,
                        const std::vector<std::string>& form_targets) {
  http::Response r;
  r.status = status;
  r.headers.Set("Content-Type", "text/html; charset=utf-8");
  r.headers.Set("Content-Security-Policy", form_targets.empty()
                                               ? std::string(web::kPageCsp)
                                               : web::PageCsp(form_targets));
  r.body = std::move(html);
  return r;
}

http::Response ErrorPage(int status, std::string_view heading, std::string_view text) {
  web::ErrorPage page;
  page.heading = std::string(heading);
  page.text = std::string(text);
  return HtmlPage(status, web::RenderError(page));
}

http::Response UnavailablePage() {
  return ErrorPage(503, "Sorry, there is a problem with the service",
                   "Please try again in a few minutes.");
}

http::Response UpstreamDownPage(std::string_view provider_name, std::string_view country_code) {
  web::ProviderDownPage page;
  page.provider_name = std::string(provider_name);
  page.country_code = std::string(country_code);
  return HtmlPage(504, web::RenderProviderDown(page));
}

}  // namespace accord::oidc::broker
