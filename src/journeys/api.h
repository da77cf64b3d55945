// The journeys HTTP interface (docs/web.md, "Journeys API"; plan JSON in docs/rules.md):
//
//   GET  /journeys                 {"events":[{"id","name","description","event_date_label",
//                                   "page","plan"}]}
//   POST /journeys/{event}/plan    body {"date":"YYYY-MM-DD","facts":{...}} (application/json)
//                                   -> PlanToJson; errors {"error":code,"message":text}:
//                                   400 invalid_json / invalid_request, 404 unknown_event,
//                                   413 too_large, 415 unsupported_media_type, 500 plan_failed
//   GET  /journeys/{event}         the journey page (src/web/journey_page.h): a form for the
//                                   event date and facts
//   POST /journeys/{event}         the same form submitted (application/x-www-form-urlencoded)
//                                   -> the page re-rendered with the plan, or with errors (400)
//
// Facts are checked against the catalogue's attribute vocabulary (unknown names and wrong types
// are errors naming the fact). The form changes no server state, so it carries no CSRF token;
// the JSON endpoint requires Content-Type: application/json, which a cross-site form cannot send.
// Handlers log nothing about the facts (they are personal data).
//
// Lifetime: the Catalogue must outlive the Router. Thread safety: handlers are safe to run on
// several server threads (a Planner is made per request; the Catalogue is immutable).
#ifndef ACCORD_JOURNEYS_API_H_
#define ACCORD_JOURNEYS_API_H_

#include <boost/json/object.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/form.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "journeys/answers.h"
#include "journeys/catalogue.h"
#include "rules/dates.h"
#include "web/journey_page.h"

namespace accord::journeys {

struct JourneyApiOptions {
  size_t max_body_bytes = 64 * 1024;  // JSON and form bodies (413 beyond)
  size_t max_facts = 64;
  // The person's consented identity attributes for this request (e.g. from their Accord
  // session), by vocabulary name. They are listed on the page, are not asked again, and win
  // over form answers. Empty (or unset) for anonymous use.
  std::function<boost::json::object(const http::Request&)> identity_facts;
};

struct PlanRequest {
  rules::Date date;
  boost::json::object facts;
};

// Parses and validates the body of POST /journeys/{event}/plan. InvalidArgument with reason
// "invalid_json" (not a JSON object) or "invalid_request" (message names the field).
Result<PlanRequest> ParsePlanRequest(std::string_view body, const Catalogue& catalogue,
                                     const JourneyApiOptions& options = {});

// Checks each fact against the vocabulary: known name, and a value of its type (date:
// "YYYY-MM-DD", country: two capital letters, number, boolean, string of at most 200 bytes) or
// null. InvalidArgument ("invalid_request") naming the first bad fact.
Status ValidateFacts(const boost::json::object& facts, const Catalogue& catalogue);

// The body of GET /journeys.
boost::json::object EventsToJson(const Catalogue& catalogue);

// The journey page for `event`: questions for every attribute its services read (except those in
// `identity`), filled from `form` when given (a submitted form; null for a blank page), and
// the plan when the form gave a valid event date. `*status` is set to 200, 400 (form errors) or
// 500 (the planner failed). The page lists the identity facts and the answers apart.
web::JourneyPage BuildJourneyPage(const LifeEvent& event, const Catalogue& catalogue,
                                  const http::Params* form, const boost::json::object& identity,
                                  int* status);
// The same from a form already read (answers.h: ReadAnswersForm with the same identity).
web::JourneyPage BuildJourneyPage(const LifeEvent& event, const Catalogue& catalogue,
                                  AnswersForm read, const boost::json::object& identity,
                                  int* status);

// Adds the four routes above.
Status AddJourneyRoutes(http::Router& router, const Catalogue& catalogue,
                        JourneyApiOptions options = {});

}  // namespace accord::journeys

#endif  // ACCORD_JOURNEYS_API_H_
