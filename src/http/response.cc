#include "http/response.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace accord::http {

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

Response JsonResponse(const boost::json::value& body, int status) {
  return JsonResponse(boost::json::serialize(body), status);
}

Response JsonResponse(std::string serialized_json, int status) {
  Response r;
  r.status = status;
  r.headers.Add("Content-Type", "application/json");
  r.body = std::move(serialized_json);
  return r;
}

Response TextResponse(std::string body, int status) {
  Response r;
  r.status = status;
  r.headers.Add("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response Redirect(std::string_view location, int status) {
  if (!IsValidHeaderValue(location) || location.empty()) return ErrorResponse(500);
  Response r;
  r.status = status;
  r.headers.Add("Location", location);
  return r;
}

Response OAuthError(int status, std::string_view error, std::string_view description) {
  boost::json::object body;
  body["error"] = error;
  if (!description.empty()) body["error_description"] = description;
  return JsonResponse(boost::json::serialize(body), status);
}

Response ErrorResponse(int status) {
  std::string_view error;
  switch (status) {
    case 400: error = "bad_request"; break;
    case 404: error = "not_found"; break;
    case 405: error = "method_not_allowed"; break;
    case 408: error = "request_timeout"; break;
    case 413: error = "content_too_large"; break;
    case 431: error = "header_fields_too_large"; break;
    case 503: error = "unavailable"; break;
    default: error = status >= 500 ? "server_error" : "bad_request"; break;
  }
  return OAuthError(status, error);
}

}  // namespace accord::http
