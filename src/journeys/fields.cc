#include "journeys/fields.h"

#include <algorithm>

namespace accord::journeys {

std::string Fields::PathOf(std::string_view key) const { return path_ + "." + std::string(key); }

Status Fields::Error(std::string_view key, std::string_view message) const {
  return InvalidArgument(std::string(file_) + ": " + PathOf(key) + ": " + std::string(message),
                         "bad_catalogue");
}

Status Fields::Error(std::string_view message) const {
  return InvalidArgument(std::string(file_) + ": " + path_ + ": " + std::string(message),
                         "bad_catalogue");
}

const boost::json::value* Fields::Get(std::string_view key) const {
  auto it = object_.find(boost::json::string_view(key.data(), key.size()));
  return it == object_.end() ? nullptr : &it->value();
}

Result<std::string> Fields::String(std::string_view key) const {
  const auto* v = Get(key);
  if (v == nullptr) return Error(key, "required");
  if (!v->is_string() || v->get_string().empty()) return Error(key, "expected a non-empty string");
  return std::string(v->get_string());
}

Result<std::string> Fields::OptionalString(std::string_view key) const {
  const auto* v = Get(key);
  if (v == nullptr) return std::string();
  if (!v->is_string()) return Error(key, "expected a string");
  return std::string(v->get_string());
}

Result<bool> Fields::Bool(std::string_view key, bool default_value) const {
  const auto* v = Get(key);
  if (v == nullptr) return default_value;
  if (!v->is_bool()) return Error(key, "expected true or false");
  return v->get_bool();
}

Result<std::vector<std::string>> Fields::Strings(std::string_view key) const {
  std::vector<std::string> out;
  const auto* v = Get(key);
  if (v == nullptr) return out;
  if (!v->is_array()) return Error(key, "expected an array of strings");
  const auto& a = v->get_array();
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string() || a[i].get_string().empty()) {
      return Error(std::string(key) + "[" + std::to_string(i) + "]", "expected a non-empty string");
    }
    std::string s(a[i].get_string());
    if (std::find(out.begin(), out.end(), s) != out.end()) {
      return Error(std::string(key) + "[" + std::to_string(i) + "]", "duplicate \"" + s + "\"");
    }
    out.push_back(std::move(s));
  }
  return out;
}

Status Fields::OnlyKeys(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [k, v] : object_) {
    std::string_view key(k.data(), k.size());
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Error(key, "unknown member");
    }
  }
  return Status::Ok();
}

}  // namespace accord::journeys
