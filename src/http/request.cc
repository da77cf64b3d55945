#include "http/request.h"

#include <array>

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

namespace {

// The bytes an absolute-path may hold as they are (RFC 3986 3.3): pchar = unreserved / sub-delims
// / ":" / "@", and the "/" between segments. "%" starts a pct-encoded triplet.
constexpr std::array<bool, 256> kPathBytes = [] {
  std::array<bool, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (unsigned char c : std::string_view("-._~!$&'()*+,;=:@/")) t[c] = true;
  return t;
}();

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// True when `target` is an absolute-path with no query: then it is the whole origin-form, and
// its path is `target` itself, which is what parse_origin_form would return for it. Anything else
// (a query, a byte outside the path's grammar) goes through Boost.URL.
bool IsPlainAbsolutePath(std::string_view target) {
  if (target.empty() || target.front() != '/') return false;
  for (size_t i = 0; i < target.size(); ++i) {
    const char c = target[i];
    if (c == '%') {
      if (i + 2 >= target.size() || !IsHexDigit(target[i + 1]) || !IsHexDigit(target[i + 2])) {
        return false;
      }
      i += 2;
    } else if (!kPathBytes[static_cast<unsigned char>(c)]) {
      return false;
    }
  }
  return true;
}

}  // namespace

Status ParseTarget(std::string_view target, std::string* path, Params* query, size_t max_params) {
  if (target.empty() || target.front() != '/') {
    return InvalidArgument("request-target is not in origin-form", "bad_target");
  }
  if (IsPlainAbsolutePath(target)) {  // most requests: no URL parser needed
    path->assign(target);
    return Status::Ok();
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
