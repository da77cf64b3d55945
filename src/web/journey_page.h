// The life-event journey page: numbered steps in the GOV.UK step-by-step style, each service
// marked eligible / not eligible / needs information with the reason, and a form asking for the
// event date and the facts still missing. The form needs no JavaScript. On Accord's own journeys
// pages it changes nothing on the server (it only recomputes this page), so it carries no CSRF
// token; a caller that keeps the answers (a demo service's session) sets `csrf_token`. The page
// says apart which facts came from the person's verified identity and which from their answers.
// Data is plain text; the journeys API (src/journeys/api.h) builds it from a Plan.
//
// Thread safety: pure functions.
#ifndef ACCORD_WEB_JOURNEY_PAGE_H_
#define ACCORD_WEB_JOURNEY_PAGE_H_

#include <string>
#include <vector>

#include "web/components.h"

namespace accord::web {

enum class Eligibility { kEligible, kNotEligible, kNeedsInformation };

struct JourneyServiceView {
  std::string name;
  std::string agency;
  std::string country_code;  // "GB" / "SG"
  std::string url;           // the government's page for the service
  std::string summary;
  std::string cost;
  Eligibility status = Eligibility::kNeedsInformation;
  std::string reason;                // one sentence: the deciding condition
  std::string deadline;              // "" or e.g. "15 February 2027 (within 42 days of the birth)"
  std::vector<std::string> missing;  // labels of the facts still needed
};

struct JourneyStepView {
  int number = 0;
  std::string title;
  bool optional = false;
  bool choose_one = false;  // "or" step: the person needs one of these services
  std::vector<JourneyServiceView> services;
};

// One question of the form. Kinds map to GOV.UK components: kDate -> date input
// (fields name-day/-month/-year), kYesNo -> inline radios (values "yes"/"no"), others -> text
// input.
struct JourneyQuestion {
  enum class Kind { kDate, kYesNo, kNumber, kCountry, kText };
  Kind kind = Kind::kText;
  std::string name;  // form field name (already a safe token, e.g. "fact-married")
  std::string label;
  std::string hint;
  std::string value;  // current answer: "yes"/"no", a number, text, or YYYY-MM-DD for dates
  std::string day, month, year;  // kDate only: the raw parts as typed
  std::string error;
  bool needed = false;  // the plan still needs this answer (shown first, with a tag)
};

struct IdentityFactView {
  std::string label;
  std::string value;
};

struct JourneyPage {
  std::string caption = "Life event";  // above the heading, e.g. the service's agency
  std::string event_id;
  std::string event_name;
  std::string description;
  std::string event_date_label;  // "the date you start work in Singapore"
  std::string form_action;       // the form posts here
  JourneyQuestion event_date;    // kind kDate, name "event-date"
  std::vector<JourneyQuestion> questions;
  std::vector<IdentityFactView> identity_facts;  // from the person's consented identity
  std::string identity_source;  // "" or one sentence: who verified them, e.g. the level
  std::vector<IdentityFactView> answer_facts;    // from the person's answers
  std::string csrf_token;                        // "" or the form's CSRF token (html.h)
  std::vector<ErrorItem> errors;                 // error summary
  bool planned = false;  // a plan was computed (steps and counts are meaningful)
  std::vector<JourneyStepView> steps;
  int eligible = 0, not_eligible = 0, needs_information = 0;
};

std::string RenderJourney(const JourneyPage& page);

}  // namespace accord::web

#endif  // ACCORD_WEB_JOURNEY_PAGE_H_
