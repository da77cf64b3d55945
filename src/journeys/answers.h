// Answers: the person's answers to a journey page's questions, read from the submitted form
// (application/x-www-form-urlencoded, field names in docs/web.md) into typed facts, and written
// back into form fields so a page can be filled again from answers kept elsewhere (the demo
// services keep them in their own session; docs/demo.md, "Life events after login").
//
// Which questions: every attribute the event's services read, first-read first, except
// `event_date` (set by the planner) and the attributes the person's identity already gives.
// Field names: "event-date-{day,month,year}" for the event date, "fact-<name>" (dates:
// "fact-<name>-{day,month,year}"; booleans "yes"/"no"). Other fields are ignored, so a form can
// carry its own (a CSRF token).
//
// Bounds and types: only the asked attributes are read (so at most one fact per attribute the
// event reads), each value of its vocabulary type: a real date, "yes"/"no", a finite number of
// magnitude at most AnswerLimits::max_abs_number, a two-letter country code, or text of at most
// AnswerLimits::max_text_bytes. A bad value is an error for the GOV.UK error summary (linking to
// the field) and gives no fact; an empty field is simply unanswered.
//
// Thread safety: pure functions. Lifetime: the returned values own their data.
#ifndef ACCORD_JOURNEYS_ANSWERS_H_
#define ACCORD_JOURNEYS_ANSWERS_H_

#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/form.h"
#include "journeys/catalogue.h"
#include "rules/dates.h"
#include "web/components.h"
#include "web/journey_page.h"

namespace accord::journeys {

inline constexpr std::string_view kFactFieldPrefix = "fact-";
inline constexpr std::string_view kEventDateField = "event-date";

struct AnswerLimits {
  size_t max_text_bytes = 200;
  double max_abs_number = 1e12;
};

// What the person answered: the event date and facts by vocabulary name.
struct Answers {
  std::optional<rules::Date> event_date;
  boost::json::object facts;
};

// A form read against an event: the questions (with the raw text typed, for re-display), the
// typed answers and the errors (empty when every field was valid and the event date given).
struct AnswersForm {
  web::JourneyQuestion event_date;
  std::vector<web::JourneyQuestion> questions;  // asking order
  std::vector<const Attribute*> attributes;     // questions[i] asks attributes[i]
  Answers answers;
  std::vector<web::ErrorItem> errors;
};

// The attributes the page asks about (see above), first-read first.
std::vector<const Attribute*> AskedAttributes(const LifeEvent& event, const Catalogue& catalogue,
                                              const boost::json::object& identity);

// Reads `form` (null: a blank page, no errors). A submitted form must give the event date.
AnswersForm ReadAnswersForm(const LifeEvent& event, const Catalogue& catalogue,
                            const http::Params* form, const boost::json::object& identity,
                            const AnswerLimits& limits = {});

// The form fields that ReadAnswersForm reads back into `answers` (facts not of a vocabulary
// type are left out).
http::Params AnswersToForm(const Answers& answers, const Catalogue& catalogue);

// The question label of an attribute: its description without the final full stop, else `name`.
std::string AttributeLabel(const Attribute* attribute, std::string_view name);

// "4 January 2027".
std::string LongDate(const rules::Date& date);

// A fact as a person reads it: "Yes"/"No", "4 January 2027", numbers and text as they are.
std::string FactDisplay(const Attribute* attribute, const boost::json::value& value);

}  // namespace accord::journeys

#endif  // ACCORD_JOURNEYS_ANSWERS_H_
