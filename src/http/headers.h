// Headers: an ordered, case-insensitive multimap of HTTP header fields.
//
// Field names compare ASCII case-insensitively; insertion order is kept (it is the order fields go
// on the wire). Backed by a vector: requests and responses carry few fields, so a linear scan beats
// a tree or hash map and allocates once.
//
// Thread safety: a value type; not safe for concurrent mutation.
#ifndef ACCORD_HTTP_HEADERS_H_
#define ACCORD_HTTP_HEADERS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace accord::http {

// ASCII case-insensitive equality (header names, tokens).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // Appends a field (duplicates allowed).
  void Add(std::string_view name, std::string_view value);
  // Replaces every field named `name` with one field.
  void Set(std::string_view name, std::string_view value);
  // Removes every field named `name`; returns how many were removed.
  size_t Remove(std::string_view name);

  // First value of `name`, or nullopt. The view is valid until the next mutation.
  std::optional<std::string_view> Get(std::string_view name) const;
  std::vector<std::string_view> GetAll(std::string_view name) const;
  size_t Count(std::string_view name) const;
  bool Has(std::string_view name) const { return Count(name) > 0; }

  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  void clear() { fields_.clear(); }
  void reserve(size_t n) { fields_.reserve(n); }
  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

// True when `name` is an RFC 9110 token and `value` has no CR, LF or NUL: safe to put on the wire.
bool IsValidHeaderName(std::string_view name);
bool IsValidHeaderValue(std::string_view value);

}  // namespace accord::http

#endif  // ACCORD_HTTP_HEADERS_H_
