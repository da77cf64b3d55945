#include "web/components.h"

#include "web/html.h"

namespace accord::web {
namespace {

std::string ErrorMessage(std::string_view id, std::string_view error) {
  return "<p id=\"" + HtmlEscape(id) +
         "-error\" class=\"govuk-error-message\">"
         "<span class=\"govuk-visually-hidden\">Error:</span> " +
         HtmlEscape(error) + "</p>\n";
}

std::string Hint(std::string_view id, std::string_view hint) {
  return "<div id=\"" + HtmlEscape(id) + "-hint\" class=\"govuk-hint\">" + HtmlEscape(hint) +
         "</div>\n";
}

// aria-describedby for a field with an optional hint and error ("" when neither).
std::string DescribedBy(std::string_view id, bool hint, bool error) {
  std::string ids;
  if (hint) ids += std::string(id) + "-hint";
  if (error) ids += std::string(ids.empty() ? "" : " ") + std::string(id) + "-error";
  return ids.empty() ? "" : " aria-describedby=\"" + HtmlEscape(ids) + "\"";
}

std::string FormGroupOpen(bool error) {
  return error ? "<div class=\"govuk-form-group govuk-form-group--error\">\n"
               : "<div class=\"govuk-form-group\">\n";
}

}  // namespace

std::string Button(std::string_view text, ButtonStyle style, std::string_view name,
                   std::string_view value) {
  std::string cls = "govuk-button";
  if (style == ButtonStyle::kSecondary) cls += " govuk-button--secondary";
  if (style == ButtonStyle::kWarning) cls += " govuk-button--warning";
  std::string out = "<button type=\"submit\" class=\"" + cls + "\" data-module=\"govuk-button\"";
  if (!name.empty())
    out += " name=\"" + HtmlEscape(name) + "\" value=\"" + HtmlEscape(value) + "\"";
  out += ">" + HtmlEscape(text) + "</button>\n";
  return out;
}

std::string ButtonLink(std::string_view text, std::string_view href) {
  return "<a href=\"" + HtmlEscape(href) +
         "\" role=\"button\" draggable=\"false\" class=\"govuk-button\" "
         "data-module=\"govuk-button\">" +
         HtmlEscape(text) + "</a>\n";
}

std::string ErrorSummary(const std::vector<ErrorItem>& errors) {
  if (errors.empty()) return "";
  std::string out =
      "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\">\n<div "
      "role=\"alert\">\n"
      "<h2 class=\"govuk-error-summary__title\">There is a problem</h2>\n"
      "<div class=\"govuk-error-summary__body\">\n<ul class=\"govuk-list "
      "govuk-error-summary__list\">\n";
  for (const ErrorItem& e : errors) {
    out +=
        "<li><a href=\"#" + HtmlEscape(e.field_id) + "\">" + HtmlEscape(e.message) + "</a></li>\n";
  }
  out += "</ul>\n</div>\n</div>\n</div>\n";
  return out;
}

std::string NotificationBanner(std::string_view heading, bool success, std::string_view body_html) {
  std::string out = success ? "<div class=\"govuk-notification-banner "
                              "govuk-notification-banner--success\" role=\"alert\""
                            : "<div class=\"govuk-notification-banner\" role=\"region\"";
  out +=
      " aria-labelledby=\"govuk-notification-banner-title\" "
      "data-module=\"govuk-notification-banner\">\n"
      "<div class=\"govuk-notification-banner__header\">\n"
      "<h2 class=\"govuk-notification-banner__title\" id=\"govuk-notification-banner-title\">";
  out += success ? "Success" : "Important";
  out +=
      "</h2>\n</div>\n<div class=\"govuk-notification-banner__content\">\n"
      "<p class=\"govuk-notification-banner__heading\">";
  out += HtmlEscape(heading);
  out += "</p>\n";
  out += body_html;
  out += "</div>\n</div>\n";
  return out;
}

std::string Tag(std::string_view text, TagColour colour) {
  std::string cls = "govuk-tag";
  switch (colour) {
    case TagColour::kDefault:
      break;
    case TagColour::kGreen:
      cls += " govuk-tag--green";
      break;
    case TagColour::kRed:
      cls += " govuk-tag--red";
      break;
    case TagColour::kYellow:
      cls += " govuk-tag--yellow";
      break;
    case TagColour::kGrey:
      cls += " govuk-tag--grey";
      break;
    case TagColour::kBlue:
      cls += " govuk-tag--blue";
      break;
  }
  return "<strong class=\"" + cls + "\">" + HtmlEscape(text) + "</strong>";
}

std::string SummaryList(const std::vector<SummaryRow>& rows) {
  std::string out = "<dl class=\"govuk-summary-list\">\n";
  for (const SummaryRow& row : rows) {
    out += "<div class=\"govuk-summary-list__row\">\n<dt class=\"govuk-summary-list__key\">" +
           HtmlEscape(row.key) + "</dt>\n<dd class=\"govuk-summary-list__value\">" +
           row.value_html + "</dd>\n</div>\n";
  }
  out += "</dl>\n";
  return out;
}

std::string SummaryCard(std::string_view title, const std::vector<SummaryRow>& rows,
                        int heading_level) {
  const int level = heading_level < 2 ? 2 : heading_level > 6 ? 6 : heading_level;
  const std::string h = "h" + std::to_string(level);
  return "<div class=\"govuk-summary-card\">\n<div "
         "class=\"govuk-summary-card__title-wrapper\">\n<" +
         h + " class=\"govuk-summary-card__title\">" + HtmlEscape(title) + "</" + h +
         ">\n</div>\n<div class=\"govuk-summary-card__content\">\n" + SummaryList(rows) +
         "</div>\n</div>\n";
}

std::string Radios(const RadiosField& field) {
  const bool has_hint = !field.hint.empty();
  const bool has_error = !field.error.empty();
  std::string out = FormGroupOpen(has_error);
  out +=
      "<fieldset class=\"govuk-fieldset\"" + DescribedBy(field.name, has_hint, has_error) + ">\n";
  if (field.legend_is_heading) {
    out +=
        "<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--l\">\n"
        "<h1 class=\"govuk-fieldset__heading\">" +
        HtmlEscape(field.legend) + "</h1>\n</legend>\n";
  } else {
    out += "<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">" +
           HtmlEscape(field.legend) + "</legend>\n";
  }
  if (has_hint) out += Hint(field.name, field.hint);
  if (has_error) out += ErrorMessage(field.name, field.error);
  out += field.inline_items ? "<div class=\"govuk-radios govuk-radios--inline\" "
                              "data-module=\"govuk-radios\">\n"
                            : "<div class=\"govuk-radios\" data-module=\"govuk-radios\">\n";
  for (size_t i = 0; i < field.items.size(); ++i) {
    const RadioItem& item = field.items[i];
    std::string id = i == 0 ? field.name : field.name + "-" + std::to_string(i + 1);
    out += "<div class=\"govuk-radios__item\">\n<input class=\"govuk-radios__input\" id=\"" +
           HtmlEscape(id) + "\" name=\"" + HtmlEscape(field.name) + "\" type=\"radio\" value=\"" +
           HtmlEscape(item.value) + "\"" + (item.checked ? " checked" : "");
    if (!item.hint.empty()) out += " aria-describedby=\"" + HtmlEscape(id) + "-item-hint\"";
    out += ">\n<label class=\"govuk-label govuk-radios__label\" for=\"" + HtmlEscape(id) + "\">" +
           HtmlEscape(item.label) + "</label>\n";
    if (!item.hint.empty()) {
      out += "<div id=\"" + HtmlEscape(id) +
             "-item-hint\" class=\"govuk-hint govuk-radios__hint\">" + HtmlEscape(item.hint) +
             "</div>\n";
    }
    out += "</div>\n";
  }
  out += "</div>\n</fieldset>\n</div>\n";
  return out;
}

std::string TextInput(const TextField& field) {
  const bool has_hint = !field.hint.empty();
  const bool has_error = !field.error.empty();
  std::string out = FormGroupOpen(has_error);
  out += "<label class=\"govuk-label\" for=\"" + HtmlEscape(field.name) + "\">" +
         HtmlEscape(field.label) + "</label>\n";
  if (has_hint) out += Hint(field.name, field.hint);
  if (has_error) out += ErrorMessage(field.name, field.error);
  std::string cls = "govuk-input";
  if (!field.width_class.empty()) cls += " " + field.width_class;
  if (has_error) cls += " govuk-input--error";
  out += "<input class=\"" + HtmlEscape(cls) + "\" id=\"" + HtmlEscape(field.name) + "\" name=\"" +
         HtmlEscape(field.name) + "\" type=\"text\" value=\"" + HtmlEscape(field.value) + "\"";
  if (!field.inputmode.empty()) out += " inputmode=\"" + HtmlEscape(field.inputmode) + "\"";
  if (!field.autocomplete.empty())
    out += " autocomplete=\"" + HtmlEscape(field.autocomplete) + "\"";
  out += " spellcheck=\"false\"" + DescribedBy(field.name, has_hint, has_error) + ">\n</div>\n";
  return out;
}

std::string DateInput(const DateField& field) {
  const bool has_error = !field.error.empty();
  const std::string hint = field.hint.empty() ? "For example, 27 3 2027" : field.hint;
  std::string out = FormGroupOpen(has_error);
  out += "<fieldset class=\"govuk-fieldset\" role=\"group\"" +
         DescribedBy(field.name, true, has_error) + ">\n" +
         "<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">" +
         HtmlEscape(field.legend) + "</legend>\n" + Hint(field.name, hint);
  if (has_error) out += ErrorMessage(field.name, field.error);
  out += "<div class=\"govuk-date-input\" id=\"" + HtmlEscape(field.name) + "\">\n";
  struct Part {
    std::string_view suffix, label, width;
    const std::string& value;
  };
  const Part parts[] = {{"day", "Day", "2", field.day},
                        {"month", "Month", "2", field.month},
                        {"year", "Year", "4", field.year}};
  for (const Part& p : parts) {
    std::string id = field.name + "-" + std::string(p.suffix);
    std::string cls =
        "govuk-input govuk-date-input__input govuk-input--width-" + std::string(p.width);
    if (has_error) cls += " govuk-input--error";
    out +=
        "<div class=\"govuk-date-input__item\">\n<div class=\"govuk-form-group\">\n"
        "<label class=\"govuk-label govuk-date-input__label\" for=\"" +
        HtmlEscape(id) + "\">" + std::string(p.label) + "</label>\n<input class=\"" + cls +
        "\" id=\"" + HtmlEscape(id) + "\" name=\"" + HtmlEscape(id) + "\" type=\"text\" value=\"" +
        HtmlEscape(p.value) + "\" inputmode=\"numeric\">\n</div>\n</div>\n";
  }
  out += "</div>\n</fieldset>\n</div>\n";
  return out;
}

}  // namespace accord::web
