#include "oidc/connectors/upstream_http.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/json.h"

namespace accord::oidc::connectors {
namespace {

constexpr size_t kMaxErrorCodeChars = 64;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<http::Response> UpstreamHttp::Send(std::string_view what,
                                          http::ClientRequest request) const {
  request.connect_timeout = std::chrono::milliseconds(timeout_ms_);
  request.total_timeout = std::chrono::milliseconds(timeout_ms_);
  request.max_response_header_bytes = 16 * 1024;
  Result<http::Response> response = client_->Fetch(request);
  if (!response.ok()) {
    const std::string& r = response.status().reason();
    std::string problem = r == "timeout"     ? "timed out"
                          : r == "too_large" ? "response too large"
                                             : "unreachable (" + r + ")";
    return Unavailable(std::string(what) + ": " + problem, "upstream_unavailable");
  }
  if (response->status >= 500) {
    return Unavailable(std::string(what) + ": server error " + std::to_string(response->status),
                       "upstream_unavailable");
  }
  return response;
}

Result<http::Response> UpstreamHttp::Get(std::string_view what, const std::string& url,
                                         size_t max_body, http::Headers headers) const {
  http::ClientRequest request;
  request.method = "GET";
  request.url = url;
  request.headers = std::move(headers);
  if (!request.headers.Has("Accept")) request.headers.Set("Accept", "application/json");
  request.max_response_body_bytes = max_body;
  return Send(what, std::move(request));
}

Result<http::Response> UpstreamHttp::PostForm(std::string_view what, const std::string& url,
                                              const http::Params& form, size_t max_body,
                                              http::Headers headers) const {
  http::ClientRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = std::move(headers);
  request.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  if (!request.headers.Has("Accept")) request.headers.Set("Accept", "application/json");
  request.body = EncodeForm(form);
  request.max_response_body_bytes = max_body;
  return Send(what, std::move(request));
}

std::string EncodeForm(const http::Params& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += http::FormEncode(name);
    out += '=';
    out += http::FormEncode(value);
  }
  return out;
}

std::string AppendQuery(std::string_view base, const http::Params& params) {
  std::string out(base);
  out += base.find('?') == std::string_view::npos ? '?' : '&';
  out += EncodeForm(params);
  return out;
}

int64_t CacheLifetimeSeconds(const http::Response& response, int64_t default_seconds,
                             int64_t max_seconds) {
  int64_t lifetime = default_seconds;
  bool seen_max_age = false;
  for (std::string_view header : response.headers.GetAll("Cache-Control")) {
    size_t pos = 0;
    while (pos <= header.size()) {
      size_t comma = header.find(',', pos);
      std::string_view part =
          Trim(header.substr(pos, comma == std::string_view::npos ? std::string_view::npos
                                                                   : comma - pos));
      pos = comma == std::string_view::npos ? header.size() + 1 : comma + 1;
      std::string directive = Lower(part.substr(0, part.find('=')));
      if (directive == "no-store" || directive == "no-cache") return 0;
      if ((directive == "max-age" && !seen_max_age) || directive == "s-maxage") {
        size_t eq = part.find('=');
        if (eq == std::string_view::npos) continue;
        std::string_view digits = Trim(part.substr(eq + 1));
        if (digits.size() >= 2 && digits.front() == '"' && digits.back() == '"') {
          digits = digits.substr(1, digits.size() - 2);
        }
        int64_t v = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        if (ec == std::errc::result_out_of_range) {
          v = max_seconds;
        } else if (ec != std::errc() || end != digits.data() + digits.size()) {
          continue;
        }
        lifetime = v;
        seen_max_age = true;
      }
    }
  }
  return std::clamp<int64_t>(lifetime, 0, max_seconds);
}

Result<boost::json::object> ParseJsonBody(std::string_view what, const http::Response& response,
                                          size_t max_body, std::string_view reason) {
  Result<boost::json::object> parsed = ParseJsonObject(
      response.body, BoundedJson(max_body, kMaxResponseJsonDepth));
  if (!parsed.ok()) {
    return Status(StatusCode::kInvalidArgument, std::string(what) + ": malformed JSON",
                  std::string(reason));
  }
  return parsed;
}

std::string SanitizeErrorCode(std::string_view code) {
  std::string out;
  for (char c : code.substr(0, kMaxErrorCodeChars)) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-') {
      out += c;
    }
  }
  return out.empty() ? "unknown" : out;
}

std::string OAuthErrorCode(const http::Response& response) {
  Result<boost::json::object> body = ParseJsonObject(
      response.body, BoundedJson(64 * 1024, kMaxResponseJsonDepth));
  if (!body.ok()) return "unknown";
  const boost::json::value* error = body->if_contains("error");
  if (error == nullptr || !error->is_string()) return "unknown";
  return SanitizeErrorCode(error->as_string());
}

}  // namespace accord::oidc::connectors
