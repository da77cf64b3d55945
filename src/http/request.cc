#include "http/request.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace accord::http {

// What one parse saw and gave. Immutable once made, so references to `form` stay valid. The body
// is kept only where the result depends on its bytes (a form within the size limit).
struct Request::FormMemo {
  FormLimits limits;
  std::optional<std::string> content_type;
  size_t body_size = 0;
  std::string body;
  Result<Params> form = Params();

  bool Matches(const FormLimits& l, const std::optional<std::string_view>& type,
               std::string_view b) const {
    if (l.max_bytes != limits.max_bytes || l.max_params != limits.max_params) return false;
    if (type != content_type) return false;
    if (!form.ok() && form.status().reason() == "bad_content_type") return true;
    if (b.size() != body_size) return false;
    return body_size > limits.max_bytes || b == body;
  }
};

const Result<Params>& Request::Form(const FormLimits& limits) const {
  const std::optional<std::string_view> type = headers.Get("Content-Type");
  for (const auto& memo : forms_) {
    if (memo->Matches(limits, type, body)) return memo->form;
  }
  auto memo = std::make_shared<FormMemo>();
  memo->limits = limits;
  if (type) memo->content_type = std::string(*type);
  memo->body_size = body.size();
  if (!type || !IsFormContentType(*type)) {
    memo->form = InvalidArgument("expected application/x-www-form-urlencoded", "bad_content_type");
  } else {
    if (body.size() <= limits.max_bytes) memo->body = body;
    memo->form = ParseForm(body, limits);
  }
  forms_.push_back(memo);
  return memo->form;
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
