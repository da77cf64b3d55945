#include "web/html.h"

namespace accord::web {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderPage(std::string_view title, std::string_view body_html) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  out += HtmlEscape(title);
  out += "</title>\n</head>\n<body>\n<main>\n";
  out += body_html;
  out += "\n</main>\n</body>\n</html>\n";
  return out;
}

std::string RenderErrorPage(std::string_view heading, std::string_view explanation) {
  std::string body = "<h1>" + HtmlEscape(heading) + "</h1>\n<p>" + HtmlEscape(explanation) +
                     "</p>\n<p>Return to the service you came from and try again.</p>";
  return RenderPage(heading, body);
}

}  // namespace accord::web
