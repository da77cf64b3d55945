// GOV.UK Frontend components as small pure functions returning HTML (markup as in
// govuk-frontend 5's component templates). Plain-text arguments are escaped here; `*_html`
// arguments are markup the caller has already escaped.
//
// Thread safety: pure functions.
#ifndef ACCORD_WEB_COMPONENTS_H_
#define ACCORD_WEB_COMPONENTS_H_

#include <string>
#include <string_view>
#include <vector>

namespace accord::web {

enum class ButtonStyle { kPrimary, kSecondary, kWarning };
// <button type="submit">; `name`/`value` are sent with the form when non-empty.
std::string Button(std::string_view text, ButtonStyle style = ButtonStyle::kPrimary,
                   std::string_view name = {}, std::string_view value = {});
// A link styled as a start/primary button (GOV.UK: role="button", draggable="false").
std::string ButtonLink(std::string_view text, std::string_view href);

// One problem in an error summary: `field_id` is the id of the input the link focuses.
struct ErrorItem {
  std::string field_id;
  std::string message;
};
// "There is a problem" with a link per error; "" when `errors` is empty.
std::string ErrorSummary(const std::vector<ErrorItem>& errors);

// role="region" (information) or role="alert" (success) banner with one heading paragraph.
std::string NotificationBanner(std::string_view heading, bool success = false,
                               std::string_view body_html = {});

enum class TagColour { kDefault, kGreen, kRed, kYellow, kGrey, kBlue };
std::string Tag(std::string_view text, TagColour colour = TagColour::kDefault);

struct SummaryRow {
  std::string key;         // plain text
  std::string value_html;  // already escaped
};
std::string SummaryList(const std::vector<SummaryRow>& rows);
// A summary card: a titled box around a summary list (`title` at `heading_level`, 2..6).
std::string SummaryCard(std::string_view title, const std::vector<SummaryRow>& rows,
                        int heading_level = 3);

struct RadioItem {
  std::string value;
  std::string label;
  std::string hint;  // optional
  bool checked = false;
};
struct RadiosField {
  std::string name;  // form field name; also the id prefix of the inputs
  std::string legend;
  bool legend_is_heading = false;  // the page's <h1> (GOV.UK one-question pattern)
  std::string hint;
  std::string error;  // shown above the options when set
  bool inline_items = false;
  std::vector<RadioItem> items;
};
// The first input's id is `name`, the rest `name-2`, `name-3`...: error summaries link to `name`.
std::string Radios(const RadiosField& field);

struct TextField {
  std::string name;  // form field name and input id
  std::string label;
  std::string hint;
  std::string error;
  std::string value;
  std::string width_class;   // e.g. "govuk-input--width-10"; "" for full width
  std::string inputmode;     // e.g. "decimal"; "" for none
  std::string autocomplete;  // e.g. "off"; "" for none
};
std::string TextInput(const TextField& field);

struct DateField {
  std::string name;  // inputs are name-day, name-month, name-year; the first has id name-day
  std::string legend;
  std::string hint;  // default: "For example, 27 3 2027"
  std::string error;
  std::string day, month, year;
};
std::string DateInput(const DateField& field);

}  // namespace accord::web

#endif  // ACCORD_WEB_COMPONENTS_H_
