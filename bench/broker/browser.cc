// Browser for the broker benchmark (browser.h).
#include "bench/broker/browser.h"

namespace accord::bench {
namespace {

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string DecodeEntities(std::string_view s) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&lt;", '<'}, {"&gt;", '>'}};
  std::string out;
  for (size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (s.substr(i, entity.size()) == entity) {
          out.push_back(c);
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out.push_back(s[i++]);
  }
  return out;
}

}  // namespace

std::string OriginOf(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  size_t slash = url.find('/', scheme + 3);
  return std::string(url.substr(0, slash));
}

Result<http::Params> QueryOf(std::string_view url) {
  size_t q = url.find('?');
  if (q == std::string_view::npos) return http::Params();
  std::string_view query = url.substr(q + 1);
  query = query.substr(0, query.find('#'));
  return http::ParseForm(query);
}

Result<std::string> HiddenField(std::string_view html, std::string_view name) {
  std::string needle = "name=\"" + std::string(name) + "\"";
  size_t at = html.find(needle);
  if (at == std::string_view::npos) return NotFound("no such field in the page", "no_field");
  size_t tag_start = html.rfind('<', at);
  size_t tag_end = html.find('>', at);
  if (tag_start == std::string_view::npos || tag_end == std::string_view::npos) {
    return NotFound("unterminated field", "no_field");
  }
  std::string_view tag = html.substr(tag_start, tag_end - tag_start);
  size_t v = tag.find("value=\"");
  if (v == std::string_view::npos) return NotFound("field without a value", "no_field");
  size_t end = tag.find('"', v + 7);
  if (end == std::string_view::npos) return NotFound("unterminated value", "no_field");
  return DecodeEntities(tag.substr(v + 7, end - v - 7));
}

Result<http::Response> Browser::Get(const std::string& url) {
  http::ClientRequest request;
  request.url = url;
  return Send(std::move(request));
}

Result<http::Response> Browser::Post(
    const std::string& url, const std::vector<std::pair<std::string, std::string>>& form) {
  http::ClientRequest request;
  request.method = "POST";
  request.url = url;
  for (const auto& [name, value] : form) {
    if (!request.body.empty()) request.body.push_back('&');
    request.body += http::FormEncode(name) + "=" + http::FormEncode(value);
  }
  request.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  return Send(std::move(request));
}

Result<http::Response> Browser::Send(http::ClientRequest request) {
  std::string origin = OriginOf(request.url);
  auto jar = jar_.find(origin);
  if (jar != jar_.end() && !jar->second.empty()) {
    std::string cookie;
    for (const auto& [name, value] : jar->second) {
      if (!cookie.empty()) cookie += "; ";
      cookie += name + "=" + value;
    }
    request.headers.Set("Cookie", cookie);
  }
  ACCORD_ASSIGN_OR_RETURN(http::Response response, client_.Fetch(request));
  Keep(origin, response);
  return response;
}

void Browser::Keep(const std::string& origin, const http::Response& response) {
  for (std::string_view line : response.headers.GetAll("Set-Cookie")) {
    std::string_view pair = line.substr(0, line.find(';'));
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name = Trim(pair.substr(0, eq));
    std::string value = Trim(pair.substr(eq + 1));
    bool expired = value.empty() || line.find("Max-Age=0") != std::string_view::npos;
    if (expired) {
      jar_[origin].erase(name);
    } else {
      jar_[origin][name] = value;
    }
  }
}

}  // namespace accord::bench
