#include "web/pages.h"

#include "web/components.h"
#include "web/html.h"

namespace accord::web {
namespace {

std::string Hidden(const HiddenFields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) out += HiddenField(name, value);
  return out;
}

std::string FormOpen(std::string_view action) {
  return "<form method=\"post\" action=\"" + HtmlEscape(action) + "\" novalidate>\n";
}

std::string Paragraph(std::string_view text) {
  return "<p class=\"govuk-body\">" + HtmlEscape(text) + "</p>\n";
}

std::string ServiceWithCountry(std::string_view name, std::string_view country) {
  if (country.empty()) return std::string(name);
  return std::string(name) + " (" + CountryName(country) + ")";
}

}  // namespace

std::string CountryName(std::string_view code) {
  if (code == "GB" || code == "GBR") return "United Kingdom";
  if (code == "SG" || code == "SGP") return "Singapore";
  return std::string(code);
}

std::string RenderSandboxLogin(const SandboxLoginPage& page) {
  RadiosField radios;
  radios.name = "person";
  radios.legend = "Sign in to " + page.provider_name;
  radios.legend_is_heading = true;
  radios.hint = "This is a test environment. Choose one of these fictional people.";
  radios.error = page.error;
  for (size_t i = 0; i < page.people.size(); ++i) {
    const LoginChoice& p = page.people[i];
    radios.items.push_back({p.value, p.label, p.hint, i == 0});
  }
  std::string body =
      ErrorSummary(page.error.empty() ? std::vector<ErrorItem>{}
                                      : std::vector<ErrorItem>{{"person", page.error}});
  body += FormOpen(page.form_action) + CsrfField(page.csrf_token) + Hidden(page.hidden) +
          Radios(radios) + Button("Continue") + "</form>\n";
  Layout layout;
  layout.title = "Sign in to " + page.provider_name;
  layout.has_error = !page.error.empty();
  layout.body_html =
      "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n" + body +
      "</div>\n</div>";
  return RenderLayout(layout);
}

std::string UpstreamLabel(const UpstreamChoice& choice) {
  return ServiceWithCountry(choice.name, choice.country_code);
}

std::string RenderChooseCountry(const ChooseCountryPage& page) {
  RadiosField radios;
  radios.name = "upstream";
  radios.legend = "How do you want to prove who you are?";
  radios.legend_is_heading = true;
  radios.hint = "Use the digital identity of the country you live in or are a citizen of. " +
                ServiceWithCountry(page.service_name, page.service_country) + " will recognise it.";
  radios.error = page.error;
  for (const UpstreamChoice& c : page.choices) {
    radios.items.push_back({c.id, UpstreamLabel(c), c.hint, false});
  }
  std::string body =
      ErrorSummary(page.error.empty() ? std::vector<ErrorItem>{}
                                      : std::vector<ErrorItem>{{"upstream", page.error}});
  body += FormOpen(page.form_action) + CsrfField(page.csrf_token) + Hidden(page.hidden) +
          Radios(radios) + Button("Continue") + "</form>\n";
  Layout layout;
  layout.title = "How do you want to prove who you are?";
  layout.has_error = !page.error.empty();
  layout.body_html =
      "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n" + body +
      "</div>\n</div>";
  return RenderLayout(layout);
}

std::string RenderConsent(const ConsentPage& page) {
  const std::string service = ServiceWithCountry(page.service_name, page.service_country);
  std::string body =
      "<h1 class=\"govuk-heading-l\">Share your details with " + HtmlEscape(service) + "</h1>\n";
  if (!page.home_provider.empty()) {
    body += Paragraph("You proved who you are with " + page.home_provider + ".");
  }
  body += Paragraph(page.service_name + " is asking for the following. Each item says why.");
  std::vector<SummaryRow> rows;
  for (const ConsentItem& item : page.items) {
    std::string value;
    if (!item.value.empty()) {
      value +=
          "<p class=\"govuk-body govuk-!-font-weight-bold\">" + HtmlEscape(item.value) + "</p>\n";
    }
    value += "<p class=\"govuk-body\">" + HtmlEscape(item.purpose) + "</p>";
    rows.push_back({item.label, value});
  }
  if (!page.level.empty()) {
    rows.push_back({"How sure we are it is you",
                    "<p class=\"govuk-body\">" + HtmlEscape(page.level) + "</p>"});
  }
  body += SummaryList(rows);
  body += Paragraph("Accord will only share these details. You can withdraw your consent later.");
  body += FormOpen(page.form_action) + CsrfField(page.csrf_token) + Hidden(page.hidden) +
          "<div class=\"govuk-button-group\">\n" +
          Button("Agree and continue", ButtonStyle::kPrimary, kDecisionField, "agree") +
          Button("Do not agree", ButtonStyle::kSecondary, kDecisionField, "deny") +
          "</div>\n</form>\n";
  Layout layout;
  layout.title = "Share your details with " + service;
  layout.body_html =
      "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n" + body +
      "</div>\n</div>";
  return RenderLayout(layout);
}

std::string RenderConsents(const ConsentsPage& page) {
  std::string body;
  if (!page.notice.empty()) body += NotificationBanner(page.notice, /*success=*/true);
  body += "<h1 class=\"govuk-heading-l\">Services you share your details with</h1>\n";
  if (page.consents.empty()) {
    body += Paragraph("You have not agreed to share your details with any service.");
  }
  for (const ConsentRecordView& c : page.consents) {
    std::string attributes = "<ul class=\"govuk-list govuk-list--bullet\">\n";
    for (const std::string& a : c.attributes) attributes += "<li>" + HtmlEscape(a) + "</li>\n";
    attributes += "</ul>";
    std::string revoke = FormOpen(page.revoke_action) + CsrfField(page.csrf_token) +
                         HiddenField("client_id", c.client_id) +
                         "<button type=\"submit\" class=\"govuk-button govuk-button--warning "
                         "govuk-!-margin-bottom-0\" data-module=\"govuk-button\">Revoke"
                         "<span class=\"govuk-visually-hidden\"> consent for " +
                         HtmlEscape(c.service_name) + "</span></button>\n</form>";
    body += SummaryCard(ServiceWithCountry(c.service_name, c.service_country),
                        {{"Details shared", attributes},
                         {"Agreed on", HtmlEscape(c.granted_on)},
                         {"Withdraw", revoke}},
                        /*heading_level=*/2);
  }
  Layout layout;
  layout.title = "Services you share your details with";
  layout.body_html =
      "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n" + body +
      "</div>\n</div>";
  return RenderLayout(layout);
}

std::string RenderError(const ErrorPage& page) {
  std::string body = "<h1 class=\"govuk-heading-l\">" + HtmlEscape(page.heading) + "</h1>\n" +
                     Paragraph(page.text);
  if (!page.return_url.empty()) {
    body += "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"" +
            HtmlEscape(page.return_url) + "\">Return to the service</a></p>\n";
  } else {
    body += Paragraph("Return to the service you came from and try again.");
  }
  Layout layout;
  layout.title = page.heading;
  layout.scripts = page.scripts;
  layout.body_html =
      "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n" + body +
      "</div>\n</div>";
  return RenderLayout(layout);
}

std::string RenderProviderDown(const ProviderDownPage& page) {
  const std::string provider = ServiceWithCountry(page.provider_name, page.country_code);
  std::string body =
      "<h1 class=\"govuk-heading-l\">Your home sign-in service is not responding</h1>\n" +
      Paragraph(provider +
                " did not respond in time. You have not been signed in "
                "and nothing has been shared.") +
      Paragraph("Try again in a few minutes.");
  if (!page.retry_url.empty()) body += ButtonLink("Try again", page.retry_url);
  if (!page.return_url.empty()) {
    body += "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"" +
            HtmlEscape(page.return_url) + "\">Return to the service</a></p>\n";
  }
  Layout layout;
  layout.title = "Your home sign-in service is not responding";
  layout.body_html =
      "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n" + body +
      "</div>\n</div>";
  return RenderLayout(layout);
}

}  // namespace accord::web
