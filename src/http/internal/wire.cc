#include "http/internal/wire.h"

#include <charconv>

namespace accord::http::internal {

bool StatusHasNoBody(int status) { return (status >= 100 && status < 200) || status == 204 || status == 304; }

void RenderResponseHead(const Response& response, bool keep_alive, std::string_view date,
                        std::string* out) {
  out->clear();
  const int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  char num[24];
  auto [end, ec] = std::to_chars(num, num + sizeof(num), status);
  (void)ec;
  out->append("HTTP/1.1 ").append(num, end).append(" ").append(ReasonPhrase(status)).append("\r\n");
  if (!date.empty()) out->append("Date: ").append(date).append("\r\n");
  for (const auto& [name, value] : response.headers) {
    if (!IsValidHeaderName(name) || !IsValidHeaderValue(value)) continue;
    if (EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Connection") ||
        EqualsIgnoreCase(name, "Transfer-Encoding") ||
        (!date.empty() && EqualsIgnoreCase(name, "Date"))) {
      continue;
    }
    out->append(name).append(": ").append(value).append("\r\n");
  }
  out->append(response.preset_headers);
  if (!StatusHasNoBody(status)) {
    auto [len_end, len_ec] = std::to_chars(num, num + sizeof(num), response.body.size());
    (void)len_ec;
    out->append("Content-Length: ").append(num, len_end).append("\r\n");
  }
  if (!keep_alive) out->append("Connection: close\r\n");
  out->append("\r\n");
}

int ErrorStatusFor(std::string_view reason) {
  if (reason == "header_too_large") return 431;
  if (reason == "body_too_large") return 413;
  if (reason == "timeout") return 408;
  return 400;
}

}  // namespace accord::http::internal
