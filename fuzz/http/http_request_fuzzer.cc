// Fuzzes the server's request parsing (Beast parser + target/query/header conversion) from an
// in-memory buffer, and the form parser on the body of whatever parses. The same bytes, read as a
// request-target without a query, check ParseTarget's plain-path shortcut against Boost.URL: both
// must accept the same targets and give the same path (a disagreement aborts).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/url/parse.hpp>

#include "http/form.h"
#include "http/internal/wire.h"
#include "http/request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  accord::http::internal::ParseLimits limits;
  limits.max_header_bytes = 8 * 1024;
  limits.max_body_bytes = 64 * 1024;
  auto request = accord::http::internal::ParseRequestBytes(bytes, limits);
  if (request.ok()) {
    (void)request->query.FirstDuplicate();
    auto form = accord::http::ParseForm(request->body);
    if (form.ok()) (void)form->FirstDuplicate();
  } else {
    (void)accord::http::internal::ErrorStatusFor(request.status().reason());
  }
  if (bytes.find('?') == std::string_view::npos) {
    std::string path;
    accord::http::Params query;
    const bool ok = accord::http::ParseTarget(bytes, &path, &query).ok();
    const auto parsed = boost::urls::parse_origin_form(bytes);
    if (ok != parsed.has_value()) __builtin_trap();
    if (ok && path != parsed->encoded_path()) __builtin_trap();
  }
  return 0;
}
