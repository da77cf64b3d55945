#include "journeys/api.h"

#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>
#include <vector>

#include "common/json.h"
#include "journeys/planner.h"
#include "web/html.h"
#include "web/pages.h"

namespace accord::journeys {
namespace {

constexpr std::string_view kBase = "/journeys";
constexpr size_t kMaxTextFact = 200;

http::Response JsonError(int status, std::string_view code, std::string_view message) {
  return http::JsonResponse(boost::json::object{{"error", code}, {"message", message}}, status);
}

http::Response Html(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.headers.Set("Content-Type", "text/html; charset=utf-8");
  r.body = std::move(body);
  return r;
}

http::Response NotFoundPage() {
  return Html(404, web::RenderError({"Page not found",
                                     "There is no life event at this address. Check the address, "
                                     "or start from the list of life events.",
                                     std::string(kBase), true}));
}

// Event ids are [a-z0-9-]{1,64}; anything else (including percent-encoding) is not an event.
bool IsEventId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return false;
    }
  }
  return true;
}

web::Eligibility ToView(Outcome o) {
  switch (o) {
    case Outcome::kEligible:
      return web::Eligibility::kEligible;
    case Outcome::kNotEligible:
      return web::Eligibility::kNotEligible;
    case Outcome::kNeedsInformation:
      break;
  }
  return web::Eligibility::kNeedsInformation;
}

void AddPlan(const Plan& plan, const Catalogue& catalogue, web::JourneyPage& page) {
  page.planned = true;
  page.eligible = plan.eligible;
  page.not_eligible = plan.not_eligible;
  page.needs_information = plan.needs_information;
  for (const PlannedStep& ps : plan.steps) {
    web::JourneyStepView step;
    step.number = ps.step->number;
    step.title = ps.step->title;
    step.optional = ps.step->optional;
    step.choose_one = ps.step->logic == "or";
    for (const PlannedService& s : ps.services) {
      const Service& sv = *s.service;
      web::JourneyServiceView v;
      v.name = sv.name;
      v.agency = sv.agency;
      v.country_code = sv.country;
      v.url = sv.url;
      v.summary = sv.summary;
      v.cost = sv.cost.text;
      v.status = ToView(s.outcome);
      v.reason = s.reason;
      if (s.deadline) {
        v.deadline = LongDate(*s.deadline) + (sv.deadline ? " (" + sv.deadline->text + ")" : "");
      }
      for (const std::string& m : s.missing)
        v.missing.push_back(AttributeLabel(catalogue.FindAttribute(m), m));
      step.services.push_back(std::move(v));
    }
    page.steps.push_back(std::move(step));
  }
}

}  // namespace

Status ValidateFacts(const boost::json::object& facts, const Catalogue& catalogue) {
  for (const auto& [key, value] : facts) {
    const std::string name(key);
    auto bad = [&](std::string_view what) {
      return InvalidArgument("facts." + name + ": " + std::string(what), "invalid_request");
    };
    if (name == kEventDateAttribute) return bad("set from \"date\"; do not send it as a fact");
    const Attribute* a = catalogue.FindAttribute(name);
    if (a == nullptr) return bad("not in the attribute vocabulary");
    if (value.is_null()) continue;
    if (a->type == "date") {
      if (!value.is_string() || !rules::ParseDate(value.get_string()))
        return bad("expected a date YYYY-MM-DD");
    } else if (a->type == "country") {
      const bool ok = value.is_string() && value.get_string().size() == 2 &&
                      std::isupper(static_cast<unsigned char>(value.get_string()[0])) &&
                      std::isupper(static_cast<unsigned char>(value.get_string()[1]));
      if (!ok) return bad("expected a two-letter country code such as \"GB\"");
    } else if (a->type == "number") {
      if (!value.is_number() || (value.is_double() && !std::isfinite(value.get_double()))) {
        return bad("expected a number");
      }
    } else if (a->type == "boolean") {
      if (!value.is_bool()) return bad("expected true or false");
    } else if (!value.is_string() || value.get_string().size() > kMaxTextFact) {
      return bad("expected a string of at most 200 bytes");
    }
  }
  return Status::Ok();
}

Result<PlanRequest> ParsePlanRequest(std::string_view body, const Catalogue& catalogue,
                                     const JourneyApiOptions& options) {
  auto parsed =
      ParseJsonObject(body, JsonLimits{.max_bytes = options.max_body_bytes, .max_depth = 8});
  if (!parsed.ok()) {
    return InvalidArgument("the body must be one JSON object: " + parsed.status().message(),
                           "invalid_json");
  }
  PlanRequest out;
  for (const auto& [key, value] : *parsed) {
    if (key != "date" && key != "facts") {
      return InvalidArgument("unknown member \"" + std::string(key) + "\" (expected date, facts)",
                             "invalid_request");
    }
  }
  const boost::json::value* date = parsed->if_contains("date");
  if (date == nullptr || !date->is_string()) {
    return InvalidArgument("date: required, a string YYYY-MM-DD", "invalid_request");
  }
  std::optional<rules::Date> d = rules::ParseDate(date->get_string());
  if (!d) return InvalidArgument("date: expected a real date YYYY-MM-DD", "invalid_request");
  out.date = *d;
  if (const boost::json::value* facts = parsed->if_contains("facts")) {
    if (!facts->is_object()) return InvalidArgument("facts: expected an object", "invalid_request");
    if (facts->get_object().size() > options.max_facts) {
      return InvalidArgument("facts: more than " + std::to_string(options.max_facts) + " facts",
                             "invalid_request");
    }
    out.facts = facts->get_object();
  }
  ACCORD_RETURN_IF_ERROR(ValidateFacts(out.facts, catalogue));
  return out;
}

boost::json::object EventsToJson(const Catalogue& catalogue) {
  boost::json::array events;
  for (const LifeEvent& e : catalogue.events()) {
    std::string page = std::string(kBase) + "/" + e.id;
    events.push_back(boost::json::object{{"id", e.id},
                                         {"name", e.name},
                                         {"description", e.description},
                                         {"event_date_label", e.event_date_label},
                                         {"page", page},
                                         {"plan", page + "/plan"}});
  }
  return boost::json::object{{"events", std::move(events)}};
}

web::JourneyPage BuildJourneyPage(const LifeEvent& event, const Catalogue& catalogue,
                                  const http::Params* form, const boost::json::object& identity,
                                  int* status) {
  return BuildJourneyPage(event, catalogue, ReadAnswersForm(event, catalogue, form, identity),
                          identity, status);
}

web::JourneyPage BuildJourneyPage(const LifeEvent& event, const Catalogue& catalogue,
                                  AnswersForm read, const boost::json::object& identity,
                                  int* status) {
  *status = 200;
  web::JourneyPage page;
  page.event_id = event.id;
  page.event_name = event.name;
  page.description = event.description;
  page.event_date_label = event.event_date_label;
  page.form_action = std::string(kBase) + "/" + event.id;
  page.event_date = std::move(read.event_date);
  page.errors = std::move(read.errors);
  for (const auto& [key, value] : identity) {
    const Attribute* a = catalogue.FindAttribute(key);
    page.identity_facts.push_back({AttributeLabel(a, key), FactDisplay(a, value)});
  }
  for (const Attribute* a : read.attributes) {
    if (const boost::json::value* v = read.answers.facts.if_contains(a->name)) {
      page.answer_facts.push_back({AttributeLabel(a, a->name), FactDisplay(a, *v)});
    }
  }
  boost::json::object facts = std::move(read.answers.facts);
  for (const auto& [key, value] : identity) facts[key] = value;

  std::vector<web::JourneyQuestion>& questions = read.questions;
  if (!page.errors.empty()) *status = 400;
  if (page.errors.empty() && read.answers.event_date) {
    Planner planner(catalogue);
    auto plan = planner.PlanJourney(event.id, *read.answers.event_date, facts);
    if (!plan.ok()) {
      *status = 500;
      page.errors.push_back(
          {page.event_date.name + "-day", "Your steps could not be worked out. Try again later."});
    } else {
      AddPlan(*plan, catalogue, page);
      // Questions the plan needs come first, in the order the plan asks for them.
      for (const std::string& m : plan->missing) {
        for (web::JourneyQuestion& q : questions) {
          if (!q.needed && q.name == std::string(kFactFieldPrefix) + m) {
            q.needed = true;
            page.questions.push_back(q);
          }
        }
      }
    }
  }
  for (web::JourneyQuestion& q : questions) {
    if (!q.needed) page.questions.push_back(std::move(q));
  }
  return page;
}

Status AddJourneyRoutes(http::Router& router, const Catalogue& catalogue,
                        JourneyApiOptions options) {
  const Catalogue* cat = &catalogue;
  auto opts = std::make_shared<const JourneyApiOptions>(std::move(options));
  auto identity_of = [opts](const http::Request& r) {
    return opts->identity_facts ? opts->identity_facts(r) : boost::json::object{};
  };
  http::RouteOptions page_options;
  page_options.sensitive = true;  // pages and plans may show personal data
  page_options.content_security_policy = std::string(web::kPageCsp);
  page_options.max_body_bytes = opts->max_body_bytes;

  ACCORD_RETURN_IF_ERROR(
      router.Add("journeys", "GET", std::string(kBase),
                 [cat](const http::Request&) { return http::JsonResponse(EventsToJson(*cat)); }));
  ACCORD_RETURN_IF_ERROR(router.AddPrefix(
      "journey_page", "GET", std::string(kBase) + "/",
      [cat, identity_of](const http::Request& r) {
        std::string_view id = std::string_view(r.path).substr(kBase.size() + 1);
        const LifeEvent* event = IsEventId(id) ? cat->FindEvent(id) : nullptr;
        if (event == nullptr) return NotFoundPage();
        int status = 200;
        web::JourneyPage page = BuildJourneyPage(*event, *cat, nullptr, identity_of(r), &status);
        return Html(status, web::RenderJourney(page));
      },
      page_options));
  return router.AddPrefix(
      "journey_post", "POST", std::string(kBase) + "/",
      [cat, opts, identity_of](const http::Request& r) {
        std::string_view rest = std::string_view(r.path).substr(kBase.size() + 1);
        const bool api = rest.ends_with("/plan");
        std::string_view id = api ? rest.substr(0, rest.size() - 5) : rest;
        const LifeEvent* event = IsEventId(id) ? cat->FindEvent(id) : nullptr;
        if (api) {
          if (r.body.size() > opts->max_body_bytes) {
            return JsonError(413, "too_large",
                             "the body is over " + std::to_string(opts->max_body_bytes) + " bytes");
          }
          if (event == nullptr) {
            return JsonError(404, "unknown_event",
                             "no life event \"" + std::string(id) + "\"; GET /journeys lists them");
          }
          auto type = r.headers.Get("Content-Type");
          if (!type || !(type->starts_with("application/json") &&
                         (type->size() == 16 || (*type)[16] == ';' || (*type)[16] == ' '))) {
            return JsonError(415, "unsupported_media_type", "send Content-Type: application/json");
          }
          auto request = ParsePlanRequest(r.body, *cat, *opts);
          if (!request.ok()) {
            return JsonError(400, request.status().reason(), request.status().message());
          }
          Planner planner(*cat);
          auto plan = planner.PlanJourney(event->id, request->date, request->facts);
          if (!plan.ok()) return JsonError(500, "plan_failed", "the plan could not be computed");
          return http::JsonResponse(PlanToJson(*plan));
        }
        if (event == nullptr) return NotFoundPage();
        const auto& form = r.Form(http::FormLimits{.max_bytes = opts->max_body_bytes, .max_params = 256});
        if (!form.ok() || form->FirstDuplicate()) {
          return Html(400, web::RenderError({"There is a problem",
                                             "The form could not be read. Go back and try again.",
                                             std::string(kBase) + "/" + event->id, true}));
        }
        int status = 200;
        web::JourneyPage page = BuildJourneyPage(*event, *cat, &*form, identity_of(r), &status);
        return Html(status, web::RenderJourney(page));
      },
      page_options);
}

}  // namespace accord::journeys
