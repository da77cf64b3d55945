// AttributeSource: where one common attribute is read from in an upstream's claims, as configured in
// data/trust/frameworks.toml ("from" entries; docs/trust.md, "Attribute schemas").
//
//   { pointer = "/birthDate/0/value" }                        an RFC 6901 JSON pointer
//   { pointer = "/vc/credentialSubject/name/0/nameParts",      an array of objects: join the "value"
//     join = "value", where = { type = "GivenName" } }          members of the items whose "type" is
//                                                              "GivenName", separated by one space
//
// Thread safety: immutable after Parse; Read is const and pure.
#ifndef ACCORD_TRUST_ATTRIBUTE_SOURCE_H_
#define ACCORD_TRUST_ATTRIBUTE_SOURCE_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace accord::trust {

inline constexpr size_t kMaxPointerSegments = 16;
inline constexpr size_t kMaxPointerLength = 256;
inline constexpr size_t kMaxAttributeValueBytes = 1024;  // longer values are not taken

class AttributeSource {
 public:
  // `pointer` must start with "/" (RFC 6901; "~0" and "~1" escapes), at most 16 segments and 256
  // characters. `where` pairs are member name / required string value. Errors: InvalidArgument
  // "bad_config" naming the problem (the caller prefixes the file and key).
  static Result<AttributeSource> Make(std::string_view pointer, std::string join,
                                      std::vector<std::pair<std::string, std::string>> where);

  // The value found, or nullopt when the path is absent, null, an empty string, longer than
  // kMaxAttributeValueBytes, or (join) no item matched. Never fails: upstream claims vary.
  std::optional<boost::json::value> Read(const boost::json::object& claims) const;

  const std::string& pointer() const { return pointer_; }
  const std::string& join() const { return join_; }
  const std::vector<std::pair<std::string, std::string>>& where() const { return where_; }

 private:
  AttributeSource() = default;
  const boost::json::value* Resolve(const boost::json::object& claims) const;

  std::string pointer_;
  std::vector<std::string> segments_;
  std::string join_;
  std::vector<std::pair<std::string, std::string>> where_;
};

}  // namespace accord::trust

#endif  // ACCORD_TRUST_ATTRIBUTE_SOURCE_H_
