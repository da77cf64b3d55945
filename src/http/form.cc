#include "http/form.h"

#include "http/headers.h"

namespace accord::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '*';
}

}  // namespace

std::optional<std::string_view> Params::Get(std::string_view name) const {
  for (const Param& p : params_) {
    if (p.first == name) return std::string_view(p.second);
  }
  return std::nullopt;
}

Result<std::string_view> Params::GetUnique(std::string_view name) const {
  const Param* found = nullptr;
  for (const Param& p : params_) {
    if (p.first != name) continue;
    if (found != nullptr) return InvalidArgument("parameter repeated", "duplicate_parameter");
    found = &p;
  }
  if (found == nullptr) return NotFound("parameter missing", "missing_parameter");
  return std::string_view(found->second);
}

size_t Params::Count(std::string_view name) const {
  size_t n = 0;
  for (const Param& p : params_) n += p.first == name ? 1 : 0;
  return n;
}

std::optional<std::string_view> Params::FirstDuplicate() const {
  // Quadratic, but bounded by FormLimits::max_params and typically < 20 parameters.
  for (size_t i = 0; i < params_.size(); ++i) {
    for (size_t j = i + 1; j < params_.size(); ++j) {
      if (params_[i].first == params_[j].first) return std::string_view(params_[i].first);
    }
  }
  return std::nullopt;
}

std::optional<std::string> FormDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  // Runs without '+' or '%' (all of a JWT, say) are copied whole.
  for (size_t i = 0; i < in.size();) {
    const size_t special = in.find_first_of("+%", i);
    out.append(in.substr(i, special - i));
    if (special == std::string_view::npos) break;
    i = special;
    if (in[i] == '+') {
      out.push_back(' ');
      ++i;
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 3;
  }
  return out;
}

std::string FormEncode(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (const char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c)) {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

Result<Params> ParseForm(std::string_view body, const FormLimits& limits) {
  if (body.size() > limits.max_bytes) return InvalidArgument("form body too large", "too_large");
  Params params;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t end = body.find('&', pos);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view sequence = body.substr(pos, end - pos);
    pos = end + 1;
    if (sequence.empty()) continue;
    if (params.size() >= limits.max_params) {
      return InvalidArgument("too many form parameters", "too_large");
    }
    const size_t eq = sequence.find('=');
    const std::string_view raw_name = sequence.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : sequence.substr(eq + 1);
    std::optional<std::string> name = FormDecode(raw_name);
    std::optional<std::string> value = FormDecode(raw_value);
    if (!name || !value) return InvalidArgument("malformed percent-encoding", "bad_encoding");
    params.Add(std::move(*name), std::move(*value));
  }
  return params;
}

bool IsFormContentType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  return EqualsIgnoreCase(media, "application/x-www-form-urlencoded");
}

}  // namespace accord::http
