// PersonalData<T>: a value that is personal data (a name, a birth date, an identity JSON blob).
//
// It cannot be printed or logged by accident: no operator<< (deleted), no fmt formatter (fmt's
// formatter for it is explicitly disabled, so fmt::format("{}", p) does not compile), no implicit
// conversion, and the structured Logger (log.h) rejects it at compile time. The value is reached
// only through reveal(), a loud name that stands out in review; what is revealed must go to a
// place allowed to hold it (a sealed store field, a signed token for a consented service, a page
// for the person themselves), never to a log.
//
// Thread safety: like T.
#ifndef ACCORD_DATASEC_PERSONAL_DATA_H_
#define ACCORD_DATASEC_PERSONAL_DATA_H_

#include <fmt/core.h>

#include <ostream>
#include <type_traits>
#include <utility>

namespace accord::datasec {

template <typename T>
class PersonalData {
 public:
  PersonalData() = default;
  explicit PersonalData(T value) : value_(std::move(value)) {}

  const T& reveal() const& { return value_; }
  T&& reveal() && { return std::move(value_); }

  friend bool operator==(const PersonalData&, const PersonalData&) = default;

 private:
  T value_{};
};

template <typename T>
std::ostream& operator<<(std::ostream&, const PersonalData<T>&) = delete;

template <typename T>
struct IsPersonalData : std::false_type {};
template <typename T>
struct IsPersonalData<PersonalData<T>> : std::true_type {};
template <typename T>
inline constexpr bool kIsPersonalData = IsPersonalData<std::remove_cvref_t<T>>::value;

}  // namespace accord::datasec

// fmt: formatting personal data is a compile error, not a runtime redaction.
template <typename T, typename Char>
struct fmt::formatter<accord::datasec::PersonalData<T>, Char> {
  formatter() = delete;
  template <typename ParseContext>
  constexpr auto parse(ParseContext& ctx) {
    static_assert(!std::is_same_v<T, T>, "personal data is not printable");
    return ctx.begin();
  }
};

#endif  // ACCORD_DATASEC_PERSONAL_DATA_H_
