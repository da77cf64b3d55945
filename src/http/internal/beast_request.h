// Beast <-> http::Request conversion and parser set-up shared by server.cc and the fuzzer path.
// Includes Beast: include only from Beast translation units (server.cc, beast_request.cc).
#ifndef ACCORD_HTTP_INTERNAL_BEAST_REQUEST_H_
#define ACCORD_HTTP_INTERNAL_BEAST_REQUEST_H_

#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>

#include "common/status.h"
#include "http/internal/wire.h"
#include "http/request.h"

namespace accord::http::internal {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Applies the header and body limits to a fresh parser.
void ConfigureParser(BeastParser& parser, const ParseLimits& limits);

// The transport error reason for a Beast read error ("header_too_large", "body_too_large",
// "timeout", "incomplete" for EOF mid-message, "closed" for EOF before any byte, else
// "bad_request").
std::string_view ReasonForError(const boost::system::error_code& ec);

// Moves a parsed Beast message into *out (path/query split, HTTP/1.1 Host required).
// InvalidArgument (reason "bad_request") for a malformed target or missing Host.
Status ToRequest(BeastRequest&& message, const ParseLimits& limits, Request* out);

}  // namespace accord::http::internal

#endif  // ACCORD_HTTP_INTERNAL_BEAST_REQUEST_H_
