#include "web/html.h"

#include <cctype>

#include "web/pages.h"

namespace accord::web {
namespace {

// scheme://host[:port] with a plain DNS name, IPv4 address or bracketed IPv6 address.
bool IsPlainOrigin(std::string_view origin) {
  std::string_view rest;
  if (origin.starts_with("https://")) {
    rest = origin.substr(8);
  } else if (origin.starts_with("http://")) {
    rest = origin.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.size() > 255) return false;
  size_t i = 0;
  if (rest[0] == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (i = 1; i < close; ++i) {
      if (!std::isxdigit(static_cast<unsigned char>(rest[i])) && rest[i] != ':' && rest[i] != '.') {
        return false;
      }
    }
    i = close + 1;
  } else {
    for (; i < rest.size() && rest[i] != ':'; ++i) {
      unsigned char c = static_cast<unsigned char>(rest[i]);
      if (!std::isalnum(c) && c != '.' && c != '-') return false;
    }
    if (i == 0) return false;
  }
  if (i == rest.size()) return true;
  if (rest[i] != ':' || i + 1 == rest.size() || rest.size() - i - 1 > 5) return false;
  for (++i; i < rest.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(rest[i]))) return false;
  }
  return true;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HiddenField(std::string_view name, std::string_view value) {
  return "<input type=\"hidden\" name=\"" + HtmlEscape(name) + "\" value=\"" + HtmlEscape(value) +
         "\">\n";
}

std::string CsrfField(std::string_view token) { return HiddenField(kCsrfFieldName, token); }

std::string PageCsp(std::span<const std::string> form_targets) {
  std::string out(kPageCsp);
  std::string extra;
  for (const std::string& target : form_targets) {
    if (IsPlainOrigin(target)) extra += " " + target;
  }
  if (extra.empty()) return out;
  const std::string_view anchor = "form-action 'self'";
  size_t at = out.find(anchor);
  out.insert(at + anchor.size(), extra);
  return out;
}

std::string RenderLayout(const Layout& layout) {
  std::string out;
  out.reserve(layout.body_html.size() + 2048);
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\" class=\"govuk-template\">\n<head>\n"
      "<meta charset=\"utf-8\">\n<title>";
  if (layout.has_error) out += "Error: ";
  out += HtmlEscape(layout.title);
  out +=
      " - Accord</title>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, "
      "viewport-fit=cover\">\n<meta name=\"theme-color\" content=\"#0b0c0c\">\n"
      "<link rel=\"icon\" sizes=\"48x48\" href=\"";
  out += kFaviconUrl;
  out += "\">\n<link rel=\"stylesheet\" href=\"";
  out += kStylesheetUrl;
  out += "\">\n";
  if (layout.scripts) {
    out += "<link rel=\"modulepreload\" href=\"";
    out += kFrontendScriptUrl;
    out += "\">\n";
  }
  out +=
      "</head>\n<body class=\"govuk-template__body\">\n"
      "<a href=\"#main-content\" class=\"govuk-skip-link\" data-module=\"govuk-skip-link\">"
      "Skip to main content</a>\n"
      // One banner landmark around GOV.UK's header and the phase banner, so all content sits
      // in a landmark (axe "region").
      "<header>\n<div class=\"govuk-header\" data-module=\"govuk-header\">\n"
      "<div class=\"govuk-header__container govuk-width-container\">\n"
      "<div class=\"govuk-header__logo\"><span class=\"govuk-header__service-name\">Accord</span>"
      "</div>\n</div>\n</div>\n"
      "<div class=\"govuk-width-container\">\n"
      "<div class=\"govuk-phase-banner\">\n<p class=\"govuk-phase-banner__content\">"
      "<strong class=\"govuk-tag govuk-phase-banner__content__tag\">Sandbox</strong>"
      "<span class=\"govuk-phase-banner__text\">";
  out += HtmlEscape(layout.phase_text);
  out +=
      "</span></p>\n</div>\n</div>\n</header>\n<div class=\"govuk-width-container\">\n"
      "<main class=\"govuk-main-wrapper\" id=\"main-content\">\n";
  out += layout.body_html;
  out +=
      "\n</main>\n</div>\n"
      "<footer class=\"govuk-footer\">\n<div class=\"govuk-width-container\">\n"
      "<div class=\"govuk-footer__meta\">\n"
      "<div class=\"govuk-footer__meta-item govuk-footer__meta-item--grow\">\n"
      "<p class=\"govuk-body-s\">Accord: sign in to UK and Singapore government services with "
      "your home country's digital identity. A sandbox for testing; not a government "
      "service.</p>\n</div>\n</div>\n</div>\n</footer>\n";
  if (layout.scripts) {
    out += "<script type=\"module\" src=\"";
    out += kInitScriptUrl;
    out += "\"></script>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

std::string RenderPage(std::string_view title, std::string_view body_html) {
  Layout layout;
  layout.title = std::string(title);
  layout.body_html = std::string(body_html);
  layout.scripts = false;
  return RenderLayout(layout);
}

std::string RenderErrorPage(std::string_view heading, std::string_view explanation) {
  ErrorPage page;
  page.heading = std::string(heading);
  page.text = std::string(explanation);
  page.scripts = false;
  return RenderError(page);
}

}  // namespace accord::web
