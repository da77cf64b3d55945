// Fuzzes the server's request parsing (Beast parser + target/query/header conversion) from an
// in-memory buffer, and the form parser on the body of whatever parses.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/form.h"
#include "http/internal/wire.h"

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
  return 0;
}
