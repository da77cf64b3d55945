#include "journeys/answers.h"

#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

namespace accord::journeys {
namespace {

using Kind = web::JourneyQuestion::Kind;

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

Kind KindOf(const Attribute& a) {
  if (a.type == "date") return Kind::kDate;
  if (a.type == "boolean") return Kind::kYesNo;
  if (a.type == "number") return Kind::kNumber;
  if (a.type == "country") return Kind::kCountry;
  return Kind::kText;
}

// Reads one answer from the form into `q` (raw text kept for re-display) and `facts`.
void ReadAnswer(const http::Params& form, const Attribute& a, const AnswerLimits& limits,
                web::JourneyQuestion& q, boost::json::object& facts,
                std::vector<web::ErrorItem>& errors) {
  const std::string label = AttributeLabel(&a, a.name);
  // Raw text is kept for re-display only up to a bound (the form itself is bounded too).
  auto field = [&](const std::string& name) {
    std::string v = Trim(form.Get(name).value_or(""));
    if (v.size() > 4 * limits.max_text_bytes) v.resize(4 * limits.max_text_bytes);
    return v;
  };
  auto fail = [&](std::string message, std::string id) {
    q.error = message;
    errors.push_back({std::move(id), std::move(message)});
  };
  if (q.kind == Kind::kDate) {
    q.day = field(q.name + "-day");
    q.month = field(q.name + "-month");
    q.year = field(q.name + "-year");
    if (q.day.empty() && q.month.empty() && q.year.empty()) return;
    auto two = [](const std::string& s) { return s.size() == 1 ? "0" + s : s; };
    std::optional<rules::Date> d =
        q.year.size() == 4 ? rules::ParseDate(q.year + "-" + two(q.month) + "-" + two(q.day))
                           : std::nullopt;
    if (!d) return fail("Enter a real date for: " + label, q.name + "-day");
    q.value = rules::FormatDate(*d);
    facts[a.name] = q.value;
    return;
  }
  q.value = field(q.name);
  if (q.value.empty()) return;
  switch (q.kind) {
    case Kind::kYesNo:
      if (q.value != "yes" && q.value != "no")
        return fail("Select yes or no for: " + label, q.name);
      facts[a.name] = q.value == "yes";
      return;
    case Kind::kNumber: {
      std::string digits;
      for (char c : q.value) {
        if (c != ',' && c != ' ') digits += c;
      }
      double number = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
          !std::isfinite(number)) {
        return fail("Enter a number for: " + label + ", like 5600", q.name);
      }
      if (std::fabs(number) > limits.max_abs_number) {
        return fail("Enter a smaller number for: " + label, q.name);
      }
      if (number == std::floor(number)) {
        facts[a.name] = static_cast<int64_t>(number);
      } else {
        facts[a.name] = number;
      }
      return;
    }
    case Kind::kCountry: {
      std::string code;
      for (char c : q.value) code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (code.size() != 2 || !std::isalpha(static_cast<unsigned char>(code[0])) ||
          !std::isalpha(static_cast<unsigned char>(code[1]))) {
        return fail("Enter a two-letter country code for: " + label + ", like GB", q.name);
      }
      q.value = code;
      facts[a.name] = code;
      return;
    }
    case Kind::kText:
    case Kind::kDate:
      break;
  }
  if (q.value.size() > limits.max_text_bytes) {
    return fail("Enter at most " + std::to_string(limits.max_text_bytes) +
                    " characters for: " + label,
                q.name);
  }
  facts[a.name] = q.value;
}

void AddDate(http::Params& form, const std::string& name, const rules::Date& d) {
  form.Add(name + "-day", std::to_string(d.day));
  form.Add(name + "-month", std::to_string(d.month));
  form.Add(name + "-year", std::to_string(d.year));
}

}  // namespace

std::string AttributeLabel(const Attribute* a, std::string_view name) {
  if (a == nullptr || a->description.empty()) return std::string(name);
  std::string label = a->description;
  if (label.back() == '.') label.pop_back();
  return label;
}

std::string LongDate(const rules::Date& date) {
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  const char* month = date.month >= 1 && date.month <= 12 ? kMonths[date.month - 1] : "?";
  return std::to_string(date.day) + " " + month + " " + std::to_string(date.year);
}

std::string FactDisplay(const Attribute* a, const boost::json::value& v) {
  if (v.is_bool()) return v.get_bool() ? "Yes" : "No";
  if (v.is_string()) {
    if (a != nullptr && a->type == "date") {
      if (auto d = rules::ParseDate(v.get_string())) return LongDate(*d);
    }
    return std::string(v.get_string());
  }
  return boost::json::serialize(v);
}

std::vector<const Attribute*> AskedAttributes(const LifeEvent& event, const Catalogue& catalogue,
                                              const boost::json::object& identity) {
  std::vector<const Attribute*> asked;
  std::set<std::string, std::less<>> seen;
  for (const Step& step : event.steps) {
    for (const std::string& id : step.services) {
      const Service* s = catalogue.FindService(id);
      if (s == nullptr) continue;
      for (const std::string& name : s->attributes) {
        if (name == kEventDateAttribute || identity.contains(name) || !seen.insert(name).second)
          continue;
        if (const Attribute* a = catalogue.FindAttribute(name)) asked.push_back(a);
      }
    }
  }
  return asked;
}

AnswersForm ReadAnswersForm(const LifeEvent& event, const Catalogue& catalogue,
                            const http::Params* form, const boost::json::object& identity,
                            const AnswerLimits& limits) {
  AnswersForm out;
  out.event_date.kind = Kind::kDate;
  out.event_date.name = std::string(kEventDateField);
  out.event_date.label = "What is " + event.event_date_label + "?";
  out.attributes = AskedAttributes(event, catalogue, identity);
  for (const Attribute* a : out.attributes) {
    web::JourneyQuestion q;
    q.kind = KindOf(*a);
    q.name = std::string(kFactFieldPrefix) + a->name;
    q.label = AttributeLabel(a, a->name);
    if (form != nullptr) ReadAnswer(*form, *a, limits, q, out.answers.facts, out.errors);
    out.questions.push_back(std::move(q));
  }
  if (form == nullptr) return out;
  Attribute date_attr{std::string(kEventDateAttribute), "date", "answer", ""};
  boost::json::object date_fact;
  std::vector<web::ErrorItem> date_errors;
  ReadAnswer(*form, date_attr, limits, out.event_date, date_fact, date_errors);
  if (!date_errors.empty()) {
    out.event_date.error = "Enter a real date for " + event.event_date_label;
    date_errors.front().message = out.event_date.error;
  } else if (out.event_date.value.empty()) {
    out.event_date.error = "Enter " + event.event_date_label;
    date_errors.push_back({out.event_date.name + "-day", out.event_date.error});
  } else {
    out.answers.event_date = rules::ParseDate(out.event_date.value);
  }
  out.errors.insert(out.errors.begin(), date_errors.begin(), date_errors.end());
  return out;
}

http::Params AnswersToForm(const Answers& answers, const Catalogue& catalogue) {
  http::Params form;
  if (answers.event_date) AddDate(form, std::string(kEventDateField), *answers.event_date);
  for (const auto& [key, value] : answers.facts) {
    const Attribute* a = catalogue.FindAttribute(key);
    if (a == nullptr) continue;
    const std::string name = std::string(kFactFieldPrefix) + std::string(key);
    if (a->type == "date") {
      if (!value.is_string()) continue;
      if (auto d = rules::ParseDate(value.get_string())) AddDate(form, name, *d);
    } else if (a->type == "boolean") {
      if (value.is_bool()) form.Add(name, value.get_bool() ? "yes" : "no");
    } else if (a->type == "number") {
      if (value.is_int64() || value.is_uint64()) {
        form.Add(name, boost::json::serialize(value));
      } else if (value.is_double()) {
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value.get_double());
        if (ec == std::errc()) form.Add(name, std::string(buf, end));
      }
    } else if (value.is_string()) {
      form.Add(name, std::string(value.get_string()));
    }
  }
  return form;
}

}  // namespace accord::journeys
