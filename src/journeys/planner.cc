#include "journeys/planner.h"

#include <algorithm>
#include <unordered_map>

#include "rules/explain.h"

namespace accord::journeys {
namespace {

boost::json::value WithEventDate(const boost::json::object& facts, const rules::Date& date) {
  boost::json::object data = facts;
  data[kEventDateAttribute] = rules::FormatDate(date);
  return data;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

void AddUnique(std::vector<std::string>* to, const std::vector<std::string>& from) {
  for (const auto& s : from) {
    if (std::find(to->begin(), to->end(), s) == to->end()) to->push_back(s);
  }
}

}  // namespace

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kEligible: return "eligible";
    case Outcome::kNotEligible: return "not_eligible";
    case Outcome::kNeedsInformation: return "needs_information";
  }
  return "needs_information";
}

Result<PlannedService> Planner::Assess(const Service& service, const rules::Date& event_date,
                                       const boost::json::object& facts) {
  return AssessWithData(service, event_date, WithEventDate(facts, event_date));
}

Result<PlannedService> Planner::AssessWithData(const Service& service, const rules::Date& event_date,
                                               const boost::json::value& data) {
  PlannedService out;
  out.service = &service;
  if (service.deadline) out.deadline = rules::AddDays(event_date, service.deadline->days);
  uint64_t missing = rules::MissingMask(service.eligibility, data);
  ACCORD_ASSIGN_OR_RETURN(rules::Explanation e,
                          rules::Explain(service.eligibility, data, missing, evaluator_));
  out.condition = e.condition;
  out.decided_by = e.json_path;
  if (!e.decided) {
    out.outcome = Outcome::kNeedsInformation;
    // Ask in the service's declared order.
    std::vector<std::string> names = rules::MaskNames(service.eligibility, e.pending);
    for (const auto& a : service.attributes) {
      if (std::find(names.begin(), names.end(), a) != names.end()) out.missing.push_back(a);
    }
    AddUnique(&out.missing, names);
    out.reason = "Needs " + JoinNames(out.missing) + " to decide: " + e.condition;
  } else if (e.truthy) {
    out.outcome = Outcome::kEligible;
    out.reason = service.eligibility.variables().empty() ? "Available to everyone in this situation"
                                                         : "Eligible: " + e.condition;
  } else {
    out.outcome = Outcome::kNotEligible;
    out.reason = "Not eligible: requires " + e.condition;
  }
  return out;
}

Result<Plan> Planner::PlanJourney(std::string_view event_id, const rules::Date& event_date,
                                  const boost::json::object& facts) {
  const LifeEvent* event = catalogue_.FindEvent(event_id);
  if (event == nullptr) return NotFound("no life event \"" + std::string(event_id) + "\"", "unknown_event");
  Plan plan;
  plan.event = event;
  plan.event_date = event_date;
  boost::json::value data = WithEventDate(facts, event_date);
  std::unordered_map<std::string_view, const PlannedService*> done;
  plan.steps.reserve(event->steps.size());
  for (const Step& step : event->steps) {
    PlannedStep& ps = plan.steps.emplace_back();
    ps.step = &step;
    ps.services.reserve(step.services.size());
    for (const std::string& id : step.services) {
      const Service* service = catalogue_.FindService(id);
      ACCORD_ASSIGN_OR_RETURN(PlannedService s, AssessWithData(*service, event_date, data));
      for (const std::string& p : service->prerequisites) {
        auto it = done.find(p);
        if (it == done.end()) continue;  // outside this journey
        const PlannedService& pre = *it->second;
        if (pre.outcome == Outcome::kNotEligible) {
          s.outcome = Outcome::kNotEligible;
          s.missing.clear();
          s.reason = "Not eligible: depends on " + pre.service->name + " (" + pre.reason + ")";
          break;
        }
        if (pre.outcome == Outcome::kNeedsInformation && s.outcome == Outcome::kEligible) {
          s.outcome = Outcome::kNeedsInformation;
          s.missing = pre.missing;
          s.reason = "Needs " + JoinNames(pre.missing) + " first: depends on " + pre.service->name;
        }
      }
      ps.services.push_back(std::move(s));
    }
    for (const PlannedService& s : ps.services) done[s.service->id] = &s;
  }
  for (const PlannedStep& ps : plan.steps) {
    for (const PlannedService& s : ps.services) {
      AddUnique(&plan.missing, s.missing);
      switch (s.outcome) {
        case Outcome::kEligible: ++plan.eligible; break;
        case Outcome::kNotEligible: ++plan.not_eligible; break;
        case Outcome::kNeedsInformation: ++plan.needs_information; break;
      }
    }
  }
  return plan;
}

boost::json::object PlanToJson(const Plan& plan) {
  boost::json::object out;
  out["event"] = {{"id", plan.event->id},
                  {"name", plan.event->name},
                  {"description", plan.event->description},
                  {"event_date_label", plan.event->event_date_label}};
  out["event_date"] = rules::FormatDate(plan.event_date);
  boost::json::array steps;
  for (const PlannedStep& ps : plan.steps) {
    boost::json::array services;
    for (const PlannedService& s : ps.services) {
      const Service& sv = *s.service;
      boost::json::object cost{{"text", sv.cost.text}};
      if (sv.cost.amount) {
        cost["amount"] = *sv.cost.amount;
        cost["currency"] = sv.cost.currency;
      }
      boost::json::array missing(s.missing.begin(), s.missing.end());
      boost::json::array prerequisites(sv.prerequisites.begin(), sv.prerequisites.end());
      boost::json::object o{{"id", sv.id},
                            {"name", sv.name},
                            {"agency", sv.agency},
                            {"country", sv.country},
                            {"url", sv.url},
                            {"summary", sv.summary},
                            {"channel", sv.channel},
                            {"cost", std::move(cost)},
                            {"status", OutcomeName(s.outcome)},
                            {"reason", s.reason},
                            {"condition", s.condition},
                            {"decided_by", s.decided_by},
                            {"missing", std::move(missing)},
                            {"prerequisites", std::move(prerequisites)},
                            {"checked", sv.checked},
                            {"verify", sv.verify}};
      if (s.deadline) {
        o["deadline"] = rules::FormatDate(*s.deadline);
        o["deadline_text"] = sv.deadline->text;
      } else {
        o["deadline"] = nullptr;
      }
      services.push_back(std::move(o));
    }
    steps.push_back(boost::json::object{{"number", ps.step->number},
                                        {"title", ps.step->title},
                                        {"logic", ps.step->logic},
                                        {"optional", ps.step->optional},
                                        {"services", std::move(services)}});
  }
  out["steps"] = std::move(steps);
  out["missing"] = boost::json::array(plan.missing.begin(), plan.missing.end());
  out["counts"] = {{"eligible", plan.eligible},
                   {"not_eligible", plan.not_eligible},
                   {"needs_information", plan.needs_information}};
  return out;
}

std::string PlanToText(const Plan& plan) {
  std::string out = plan.event->name + " (" + plan.event->event_date_label + ": " +
                    rules::FormatDate(plan.event_date) + ")\n";
  for (const PlannedStep& ps : plan.steps) {
    out += "\n" + std::to_string(ps.step->number) + ". " + ps.step->title;
    if (ps.step->optional) out += " (optional)";
    if (ps.step->logic == "or" && ps.services.size() > 1) out += " - choose one";
    out += "\n";
    for (const PlannedService& s : ps.services) {
      const Service& sv = *s.service;
      const char* mark = s.outcome == Outcome::kEligible      ? "[eligible]    "
                         : s.outcome == Outcome::kNotEligible ? "[not eligible]"
                                                              : "[needs info]  ";
      out += "   " + std::string(mark) + " " + sv.name + " - " + sv.agency + " (" + sv.country + ")\n";
      out += "      " + s.reason + "\n";
      if (s.deadline) out += "      Deadline: " + rules::FormatDate(*s.deadline) + " (" + sv.deadline->text + ")\n";
      out += "      Cost: " + sv.cost.text + "; " + sv.url + (sv.verify ? " (facts to verify)" : "") + "\n";
    }
  }
  if (!plan.missing.empty()) out += "\nTo decide the rest, tell us: " + JoinNames(plan.missing) + "\n";
  out += "\n" + std::to_string(plan.eligible) + " eligible, " + std::to_string(plan.not_eligible) +
         " not eligible, " + std::to_string(plan.needs_information) + " need information\n";
  return out;
}

}  // namespace accord::journeys
