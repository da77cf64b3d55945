#include "common/json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <string>
#include <utility>
#include <vector>

namespace accord {
namespace {

namespace json = boost::json;

// Builds a json::value while checking duplicate keys and depth. Errors are reported through
// flags the caller inspects after the parser stops.
struct Handler {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  struct Frame {
    json::value container;  // object or array
    std::string pending_key;
  };

  bool allow_duplicates = false;
  size_t max_depth = 32;
  bool duplicate = false;
  bool too_deep = false;
  std::vector<Frame> stack;
  std::string key;
  std::string str;
  json::value result;

  bool Attach(json::value v, json::error_code& ec) {
    if (stack.empty()) {
      result = std::move(v);
      return true;
    }
    Frame& top = stack.back();
    if (top.container.is_array()) {
      top.container.get_array().emplace_back(std::move(v));
    } else {
      top.container.get_object().emplace(top.pending_key, std::move(v));
    }
    (void)ec;
    return true;
  }

  bool Push(json::value container, json::error_code& ec) {
    if (stack.size() >= max_depth) {
      too_deep = true;
      ec = json::error::too_deep;
      return false;
    }
    stack.push_back(Frame{std::move(container), {}});
    return true;
  }

  bool Pop(json::error_code& ec) {
    json::value v = std::move(stack.back().container);
    stack.pop_back();
    return Attach(std::move(v), ec);
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code& ec) { return Push(json::array(), ec); }
  bool on_array_end(std::size_t, json::error_code& ec) { return Pop(ec); }
  bool on_object_begin(json::error_code& ec) { return Push(json::object(), ec); }
  bool on_object_end(std::size_t, json::error_code& ec) { return Pop(ec); }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    str.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
    str.append(s.data(), s.size());
    json::value v = json::string(str);
    str.clear();
    return Attach(std::move(v), ec);
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key.append(s.data(), s.size());
    Frame& top = stack.back();
    if (!allow_duplicates && top.container.get_object().contains(key)) {
      duplicate = true;
      ec = json::error::syntax;
      return false;
    }
    top.pending_key = std::move(key);
    key.clear();
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t i, json::string_view, json::error_code& ec) { return Attach(i, ec); }
  bool on_uint64(uint64_t u, json::string_view, json::error_code& ec) { return Attach(u, ec); }
  bool on_double(double d, json::string_view, json::error_code& ec) { return Attach(d, ec); }
  bool on_bool(bool b, json::error_code& ec) { return Attach(b, ec); }
  bool on_null(json::error_code& ec) { return Attach(nullptr, ec); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

Result<json::value> ParseJson(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return OutOfRange("JSON text exceeds " + std::to_string(limits.max_bytes) + " bytes",
                      "too_large");
  }
  json::parse_options opts;
  opts.max_depth = limits.max_depth + 1;  // our handler enforces the real limit
  json::basic_parser<Handler> parser(opts);
  parser.handler().allow_duplicates = limits.allow_duplicate_keys;
  parser.handler().max_depth = limits.max_depth;
  json::error_code ec;
  size_t n = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && n != text.size()) ec = json::error::extra_data;
  if (ec) {
    if (parser.handler().duplicate) return InvalidArgument("duplicate member name in JSON object", "duplicate_key");
    if (parser.handler().too_deep || ec == json::error::too_deep) {
      return OutOfRange("JSON nesting exceeds depth " + std::to_string(limits.max_depth), "too_deep");
    }
    return InvalidArgument("malformed JSON: " + ec.message(), "bad_json");
  }
  if (!parser.done()) return InvalidArgument("malformed JSON: incomplete text", "bad_json");
  return std::move(parser.handler().result);
}

Result<json::object> ParseJsonObject(std::string_view text, const JsonLimits& limits) {
  ACCORD_ASSIGN_OR_RETURN(json::value v, ParseJson(text, limits));
  if (!v.is_object()) return InvalidArgument("JSON text is not an object", "not_object");
  return std::move(v.get_object());
}

}  // namespace accord
