#include "http/internal/beast_request.h"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/asio/buffer.hpp>

namespace accord::http::internal {

namespace bhttp = boost::beast::http;

void ConfigureParser(BeastParser& parser, const ParseLimits& limits) {
  parser.header_limit(static_cast<uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
  parser.eager(true);
}

std::string_view ReasonForError(const boost::system::error_code& ec) {
  if (ec == bhttp::error::header_limit) return "header_too_large";
  if (ec == bhttp::error::body_limit) return "body_too_large";
  if (ec == boost::beast::error::timeout) return "timeout";
  if (ec == bhttp::error::end_of_stream) return "closed";
  if (ec == bhttp::error::partial_message || ec == bhttp::error::need_more) return "incomplete";
  return "bad_request";
}

Status ToRequest(BeastRequest&& message, const ParseLimits& limits, Request* out) {
  out->method = std::string(message.method_string());
  out->target = std::string(message.target());
  out->path.clear();
  out->query = Params();
  if (Status s = ParseTarget(out->target, &out->path, &out->query, limits.max_query_params);
      !s.ok()) {
    return InvalidArgument("malformed request-target", "bad_request");
  }
  out->headers.clear();
  bool has_host = false;
  for (const auto& field : message) {
    const std::string_view name = field.name_string();
    if (field.name() == bhttp::field::host) has_host = true;
    out->headers.Add(name, field.value());
  }
  if (message.version() >= 11 && !has_host) {
    return InvalidArgument("HTTP/1.1 request without Host", "bad_request");
  }
  out->keep_alive = message.keep_alive();
  out->body = std::move(message.body());
  return Status::Ok();
}

Result<Request> ParseRequestBytes(std::string_view bytes, const ParseLimits& limits) {
  BeastParser parser;
  ConfigureParser(parser, limits);
  boost::system::error_code ec;
  size_t offset = 0;
  while (!parser.is_done()) {
    size_t used = 0;
    if (offset < bytes.size()) {
      used = parser.put(boost::asio::buffer(bytes.data() + offset, bytes.size() - offset), ec);
      offset += used;
    }
    if (ec && ec != bhttp::error::need_more) break;
    ec = {};
    if (used == 0) {  // everything given and the parser wants more: the input ends here
      parser.put_eof(ec);
      if (!ec && !parser.is_done()) ec = bhttp::error::partial_message;
      break;
    }
  }
  if (ec) {
    const std::string_view reason = ReasonForError(ec);
    return InvalidArgument("malformed request", std::string(reason == "closed" ? "incomplete" : reason));
  }
  Request request;
  ACCORD_RETURN_IF_ERROR(ToRequest(parser.release(), limits, &request));
  return request;
}

}  // namespace accord::http::internal
