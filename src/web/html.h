// Server-rendered pages: HTML escaping, the GOV.UK Frontend page layout and the page CSP.
//
// Every page is a complete document in GOV.UK Frontend's template (skip link, header with the
// service name "Accord", a "Sandbox" phase banner, main wrapper, footer) that links the compiled
// stylesheet and one module script, all served from this origin under /assets/ (assets.h).
// Pages carry no inline script or style, so they work under kPageCsp; they also work with
// JavaScript off (the script only enhances components). See docs/web.md.
//
// Every piece of dynamic text goes through HtmlEscape; functions taking `*_html` take markup the
// caller has already escaped.
//
// Thread safety: pure functions.
#ifndef ACCORD_WEB_HTML_H_
#define ACCORD_WEB_HTML_H_

#include <span>
#include <string>
#include <string_view>

namespace accord::web {

// Escapes & < > " ' for element content and quoted attribute values.
std::string HtmlEscape(std::string_view text);

// <input type="hidden" name="..." value="..."> with both escaped.
std::string HiddenField(std::string_view name, std::string_view value);
// The CSRF hidden field every state-changing form carries: name "csrf".
inline constexpr std::string_view kCsrfFieldName = "csrf";
std::string CsrfField(std::string_view token);

// Where the layout links its assets (served by AddAssetRoutes).
inline constexpr std::string_view kStylesheetUrl = "/assets/govuk-frontend.min.css";
inline constexpr std::string_view kFrontendScriptUrl = "/assets/govuk-frontend.min.js";
// A module script (embedded in assets.cc) that adds `js-enabled govuk-frontend-supported` to
// <body> and calls GOV.UK Frontend's initAll(): it replaces the template's inline script.
inline constexpr std::string_view kInitScriptUrl = "/assets/accord-init.mjs";
inline constexpr std::string_view kFaviconUrl = "/assets/images/favicon.ico";

// The CSP for these pages: same-origin styles, fonts, images and module scripts; no inline
// script or style; forms post to this origin only; never framed; no <base>.
inline constexpr std::string_view kPageCsp =
    "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

// kPageCsp with `form_targets` (origins such as "http://127.0.0.1:8090") added to form-action.
// Browsers apply form-action to every redirect that follows a form submission, so a page whose
// form POST answers 302/303 to another origin (the login page sending the person upstream or
// back to the service's redirect_uri, the consent page returning to the service) must list that
// origin. Targets that are not plain http(s) origins (scheme://host[:port], no path, no spaces,
// quotes or semicolons) are dropped, so a caller can never widen the policy beyond form targets.
std::string PageCsp(std::span<const std::string> form_targets);

// One page in the layout.
struct Layout {
  std::string title;       // <title> (escaped here); " - Accord" is appended
  std::string body_html;   // the main content, already escaped
  bool has_error = false;  // prefixes the title with "Error: " (GOV.UK pattern for failed forms)
  bool scripts = true;     // link the module script (pages never depend on it)
  // Text of the "Sandbox" phase banner.
  std::string phase_text = "This is a test environment. Everyone in it is fictional.";
};
std::string RenderLayout(const Layout& layout);

// A complete page in the layout without the module script: `body_html` is already escaped.
// (Kept for the provider's pages, which need no JavaScript.)
std::string RenderPage(std::string_view title, std::string_view body_html);

// A readable error page: heading and explanation are escaped here (see pages.h: RenderError).
std::string RenderErrorPage(std::string_view heading, std::string_view explanation);

}  // namespace accord::web

#endif  // ACCORD_WEB_HTML_H_
