// Server-rendered pages for the provider: the sandbox login page and readable error pages.
//
// Pages carry no inline script or style (they are served with a strict CSP: default-src 'none'),
// and every piece of dynamic text goes through HtmlEscape.
//
// Thread safety: pure functions.
#ifndef ACCORD_WEB_HTML_H_
#define ACCORD_WEB_HTML_H_

#include <string>
#include <string_view>

namespace accord::web {

// Escapes & < > " ' for element content and quoted attribute values.
std::string HtmlEscape(std::string_view text);

// A complete HTML5 document with `title` and pre-rendered (already escaped) `body_html`.
std::string RenderPage(std::string_view title, std::string_view body_html);

// A readable error page: heading and explanation are escaped here.
std::string RenderErrorPage(std::string_view heading, std::string_view explanation);

// The CSP for these pages: nothing but same-origin form posts.
inline constexpr std::string_view kPageCsp =
    "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

}  // namespace accord::web

#endif  // ACCORD_WEB_HTML_H_
