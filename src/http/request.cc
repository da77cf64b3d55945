#include "http/request.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace accord::http {

Result<Params> Request::Form(const FormLimits& limits) const {
  const std::optional<std::string_view> type = headers.Get("Content-Type");
  if (!type || !IsFormContentType(*type)) {
    return InvalidArgument("expected application/x-www-form-urlencoded", "bad_content_type");
  }
  return ParseForm(body, limits);
}

Status ParseTarget(std::string_view target, std::string* path, Params* query, size_t max_params) {
  if (target.empty() || target.front() != '/') {
    return InvalidArgument("request-target is not in origin-form", "bad_target");
  }
  const auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return InvalidArgument("malformed request-target", "bad_target");
  const boost::urls::url_view& url = *parsed;
  *path = std::string(url.encoded_path());
  if (!url.has_query()) return Status::Ok();
  // Decoded with the form rules ('+' is a space), as RFC 6749 appendix B asks for the query too.
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (const auto& param : url.params(opts)) {
    if (query->size() >= max_params) {
      return InvalidArgument("too many query parameters", "bad_target");
    }
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
    query->Add(std::string(param.key), std::string(param.value));
  }
  return Status::Ok();
}

}  // namespace accord::http
