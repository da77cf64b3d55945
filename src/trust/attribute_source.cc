#include "trust/attribute_source.h"

#include <boost/json/serialize.hpp>
#include <charconv>

namespace accord::trust {
namespace {

namespace json = boost::json;

Status Bad(std::string problem) { return InvalidArgument(std::move(problem), "bad_config"); }

bool IsIndex(std::string_view s, size_t* index) {
  if (s.empty() || s.size() > 6 || (s.size() > 1 && s[0] == '0')) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *index);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::optional<json::value> Usable(const json::value& v) {
  if (v.is_null()) return std::nullopt;
  if (v.is_string()) {
    if (v.as_string().empty() || v.as_string().size() > kMaxAttributeValueBytes) return std::nullopt;
    return v;
  }
  if (v.is_array() || v.is_object()) {
    // Structured values (e.g. an address) are taken whole when small.
    if (json::serialize(v).size() > kMaxAttributeValueBytes) return std::nullopt;
  }
  return v;
}

}  // namespace

Result<AttributeSource> AttributeSource::Make(
    std::string_view pointer, std::string join,
    std::vector<std::pair<std::string, std::string>> where) {
  if (pointer.empty() || pointer.front() != '/') return Bad("pointer must start with \"/\"");
  if (pointer.size() > kMaxPointerLength) return Bad("pointer longer than 256 characters");
  if (!where.empty() && join.empty()) return Bad("where needs join");
  AttributeSource s;
  s.pointer_ = std::string(pointer);
  std::string_view rest = pointer.substr(1);
  while (true) {
    size_t slash = rest.find('/');
    std::string_view raw = rest.substr(0, slash);
    std::string segment;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '~') {
        segment.push_back(raw[i]);
        continue;
      }
      if (i + 1 >= raw.size() || (raw[i + 1] != '0' && raw[i + 1] != '1')) {
        return Bad("pointer has a bad ~ escape");
      }
      segment.push_back(raw[i + 1] == '0' ? '~' : '/');
      ++i;
    }
    s.segments_.push_back(std::move(segment));
    if (s.segments_.size() > kMaxPointerSegments) return Bad("pointer has more than 16 segments");
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  s.join_ = std::move(join);
  s.where_ = std::move(where);
  return s;
}

const json::value* AttributeSource::Resolve(const json::object& claims) const {
  const json::object* obj = &claims;
  const json::array* arr = nullptr;
  const json::value* current = nullptr;
  for (const auto& segment : segments_) {
    if (obj != nullptr) {
      current = obj->if_contains(segment);
    } else {
      size_t index = 0;
      if (arr == nullptr || !IsIndex(segment, &index) || index >= arr->size()) return nullptr;
      current = &(*arr)[index];
    }
    if (current == nullptr) return nullptr;
    obj = current->if_object();
    arr = current->if_array();
  }
  return current;
}

std::optional<json::value> AttributeSource::Read(const json::object& claims) const {
  const json::value* found = Resolve(claims);
  if (found == nullptr) return std::nullopt;
  if (join_.empty()) return Usable(*found);
  const json::array* items = found->if_array();
  if (items == nullptr) return std::nullopt;
  std::string joined;
  for (const auto& item : *items) {
    const json::object* o = item.if_object();
    if (o == nullptr) continue;
    bool match = true;
    for (const auto& [key, want] : where_) {
      const json::value* have = o->if_contains(key);
      match = match && have != nullptr && have->is_string() && have->as_string() == want;
    }
    const json::value* part = o->if_contains(join_);
    if (!match || part == nullptr || !part->is_string() || part->as_string().empty()) continue;
    if (!joined.empty()) joined.push_back(' ');
    joined.append(part->as_string().data(), part->as_string().size());
    if (joined.size() > kMaxAttributeValueBytes) return std::nullopt;
  }
  if (joined.empty()) return std::nullopt;
  return json::value(joined);
}

}  // namespace accord::trust
