// Fields: typed access to a JSON object's members with errors that name the file and JSON path
// ("data/events/x.json: $.steps[2].title: expected a non-empty string"). Used by the catalogue
// and fixture loaders.
//
// Lifetime: refers to the object, which must outlive it. Thread safety: none needed (a view).
#ifndef ACCORD_JOURNEYS_FIELDS_H_
#define ACCORD_JOURNEYS_FIELDS_H_

#include <boost/json/object.hpp>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace accord::journeys {

class Fields {
 public:
  Fields(const boost::json::object& object, std::string_view file, std::string path)
      : object_(object), file_(file), path_(std::move(path)) {}

  std::string PathOf(std::string_view key) const;
  Status Error(std::string_view key, std::string_view message) const;
  // An error about the object itself.
  Status Error(std::string_view message) const;

  const boost::json::value* Get(std::string_view key) const;
  Result<std::string> String(std::string_view key) const;             // required, non-empty
  Result<std::string> OptionalString(std::string_view key) const;     // "" when absent
  Result<bool> Bool(std::string_view key, bool default_value) const;
  Result<std::vector<std::string>> Strings(std::string_view key) const;  // [] when absent
  // Rejects members not in `allowed` (catches typos such as "prerequisite").
  Status OnlyKeys(std::initializer_list<std::string_view> allowed) const;

 private:
  const boost::json::object& object_;
  std::string_view file_;
  std::string path_;
};

}  // namespace accord::journeys

#endif  // ACCORD_JOURNEYS_FIELDS_H_
