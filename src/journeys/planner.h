// Planner: turns a life event, its date and a person's facts into an ordered plan of steps, each
// service marked eligible / not eligible / needs information with the deciding condition, the
// attributes still missing (JsonLogic `missing` over the rule's variables) and its deadline as an
// absolute date. The JSON form (PlanToJson) is the body of `POST /journeys/{event}/plan`; it is
// documented in docs/rules.md ("Journey plan JSON").
//
// Outcome of a service, in order:
//   1. a prerequisite in the same journey is not eligible -> not eligible (reason names it);
//   2. the rule's deciding condition reads no missing attribute -> eligible / not eligible;
//   3. otherwise -> needs information, with `missing` listing what to ask;
//   4. eligible but a prerequisite needs information -> needs information (its missing attributes).
// Facts are the person's attributes (vocabulary in docs/rules.md); `event_date` is set by the
// planner and overrides any fact of that name.
//
// Thread safety: a Planner holds an Evaluator, so use one per thread; the Catalogue it refers to
// must outlive it and may be shared.
#ifndef ACCORD_JOURNEYS_PLANNER_H_
#define ACCORD_JOURNEYS_PLANNER_H_

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "journeys/catalogue.h"
#include "rules/dates.h"
#include "rules/evaluator.h"

namespace accord::journeys {

enum class Outcome { kEligible, kNotEligible, kNeedsInformation };
std::string_view OutcomeName(Outcome o);  // "eligible", "not_eligible", "needs_information"

struct PlannedService {
  const Service* service = nullptr;  // points into the Catalogue
  Outcome outcome = Outcome::kNeedsInformation;
  std::string reason;     // one human-readable sentence
  std::string condition;  // the deciding condition, e.g. "monthly_salary_sgd >= 5600"
  std::string decided_by; // its JSON path in the service file, e.g. "$.eligibility.and[1]"
  std::vector<std::string> missing;  // attributes to ask for (needs information only)
  std::optional<rules::Date> deadline;
};

struct PlannedStep {
  const Step* step = nullptr;  // points into the Catalogue
  std::vector<PlannedService> services;
};

struct Plan {
  const LifeEvent* event = nullptr;
  rules::Date event_date;
  std::vector<PlannedStep> steps;
  std::vector<std::string> missing;  // union over services, first-asked first
  int eligible = 0;
  int not_eligible = 0;
  int needs_information = 0;
};

class Planner {
 public:
  explicit Planner(const Catalogue& catalogue) : catalogue_(catalogue) {}

  // kNotFound ("unknown_event") for an unknown event id; kResourceExhausted if a rule exceeds its
  // evaluation budget.
  Result<Plan> PlanJourney(std::string_view event_id, const rules::Date& event_date,
                           const boost::json::object& facts);

  // Plans one service alone (used by the rule fixtures); no prerequisites are applied.
  Result<PlannedService> Assess(const Service& service, const rules::Date& event_date,
                                const boost::json::object& facts);

 private:
  Result<PlannedService> AssessWithData(const Service& service, const rules::Date& event_date,
                                        const boost::json::value& data);

  const Catalogue& catalogue_;
  rules::Evaluator evaluator_;
};

boost::json::object PlanToJson(const Plan& plan);
// A readable rendering for the terminal.
std::string PlanToText(const Plan& plan);

}  // namespace accord::journeys

#endif  // ACCORD_JOURNEYS_PLANNER_H_
