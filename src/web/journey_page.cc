#include "web/journey_page.h"

#include "web/html.h"
#include "web/pages.h"

namespace accord::web {
namespace {

std::string StatusTag(Eligibility status) {
  switch (status) {
    case Eligibility::kEligible:
      return Tag("Eligible", TagColour::kGreen);
    case Eligibility::kNotEligible:
      return Tag("Not eligible", TagColour::kRed);
    case Eligibility::kNeedsInformation:
      break;
  }
  return Tag("Needs information", TagColour::kYellow);
}

std::string ServiceCard(const JourneyServiceView& s) {
  std::vector<SummaryRow> rows;
  rows.push_back({"Status", StatusTag(s.status)});
  if (!s.reason.empty()) rows.push_back({"Why", HtmlEscape(s.reason)});
  if (!s.missing.empty()) {
    std::string list = "<ul class=\"govuk-list govuk-list--bullet\">\n";
    for (const std::string& m : s.missing) list += "<li>" + HtmlEscape(m) + "</li>\n";
    list += "</ul>";
    rows.push_back({"We need to know", list});
  }
  if (!s.deadline.empty()) rows.push_back({"Deadline", HtmlEscape(s.deadline)});
  if (!s.cost.empty()) rows.push_back({"Cost", HtmlEscape(s.cost)});
  rows.push_back({"Run by", HtmlEscape(s.agency + " (" + CountryName(s.country_code) + ")")});
  std::string about;
  if (!s.summary.empty()) about += "<p class=\"govuk-body\">" + HtmlEscape(s.summary) + "</p>\n";
  if (!s.url.empty()) {
    about += "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"" + HtmlEscape(s.url) +
             "\">Read the official guidance<span class=\"govuk-visually-hidden\"> about " +
             HtmlEscape(s.name) + "</span></a></p>";
  }
  if (!about.empty()) rows.push_back({"About", about});
  return SummaryCard(s.name, rows);
}

std::string Step(const JourneyStepView& step) {
  std::string out =
      "<li class=\"govuk-!-margin-bottom-8\">\n<h2 class=\"govuk-heading-m\">"
      "<span class=\"govuk-caption-m\">Step " +
      std::to_string(step.number) + (step.optional ? " (optional)" : "") + "</span>" +
      HtmlEscape(step.title) + "</h2>\n";
  if (step.choose_one && step.services.size() > 1) {
    out += "<p class=\"govuk-body\">You need one of these.</p>\n";
  }
  for (const JourneyServiceView& s : step.services) out += ServiceCard(s);
  out += "</li>\n";
  return out;
}

std::string Question(const JourneyQuestion& q) {
  std::string hint = q.hint;
  switch (q.kind) {
    case JourneyQuestion::Kind::kDate:
      return DateInput({q.name, q.label, hint, q.error, q.day, q.month, q.year});
    case JourneyQuestion::Kind::kYesNo: {
      RadiosField radios;
      radios.name = q.name;
      radios.legend = q.label;
      radios.hint = hint;
      radios.error = q.error;
      radios.inline_items = true;
      radios.items = {{"yes", "Yes", "", q.value == "yes"}, {"no", "No", "", q.value == "no"}};
      return Radios(radios);
    }
    case JourneyQuestion::Kind::kNumber:
      return TextInput(
          {q.name, q.label, hint, q.error, q.value, "govuk-input--width-10", "decimal", "off"});
    case JourneyQuestion::Kind::kCountry:
      if (hint.empty()) hint = "A two-letter country code, for example GB or SG";
      return TextInput(
          {q.name, q.label, hint, q.error, q.value, "govuk-input--width-2", "", "off"});
    case JourneyQuestion::Kind::kText:
      break;
  }
  return TextInput({q.name, q.label, hint, q.error, q.value, "govuk-input--width-20", "", "off"});
}

std::string Counts(const JourneyPage& page) {
  auto services = [](int n) { return std::to_string(n) + (n == 1 ? " service" : " services"); };
  std::string text = services(page.eligible) + " you are eligible for, " +
                     std::to_string(page.not_eligible) + " not eligible, " +
                     std::to_string(page.needs_information) + " that need more information.";
  std::string body;
  if (page.needs_information > 0) {
    body =
        "<p class=\"govuk-body\"><a class=\"govuk-notification-banner__link\" "
        "href=\"#questions\">Answer the questions</a> to work out the rest.</p>\n";
  }
  return NotificationBanner(text, /*success=*/false, body);
}

std::vector<SummaryRow> FactRows(const std::vector<IdentityFactView>& facts) {
  std::vector<SummaryRow> rows;
  for (const IdentityFactView& f : facts) rows.push_back({f.label, HtmlEscape(f.value)});
  return rows;
}

// What the steps are based on: the verified identity and the answers, apart.
std::string Facts(const JourneyPage& page) {
  const bool answers = page.planned && !page.answer_facts.empty();
  if (page.identity_facts.empty() && !answers) return "";
  std::string out =
      "<h2 class=\"govuk-heading-m\" id=\"facts\">What your steps are based on</h2>\n";
  if (!page.identity_facts.empty()) {
    out += "<p class=\"govuk-body\">From your verified identity, shared through Accord as you "
           "agreed. You do not need to tell us these again.</p>\n";
    if (!page.identity_source.empty()) {
      out += "<p class=\"govuk-body\">" + HtmlEscape(page.identity_source) + "</p>\n";
    }
    out += SummaryCard("From your verified identity", FactRows(page.identity_facts));
  }
  if (answers) {
    out += SummaryCard("From your answers", FactRows(page.answer_facts));
  }
  return out;
}

}  // namespace

std::string RenderJourney(const JourneyPage& page) {
  std::string body = ErrorSummary(page.errors);
  body += "<span class=\"govuk-caption-l\">" + HtmlEscape(page.caption) +
          "</span>\n<h1 class=\"govuk-heading-l\">" +
          HtmlEscape(page.event_name) + "</h1>\n<p class=\"govuk-body-l\">" +
          HtmlEscape(page.description) + "</p>\n";
  if (page.planned) {
    body += Counts(page);
    body += "<ol class=\"govuk-list\">\n";
    for (const JourneyStepView& step : page.steps) body += Step(step);
    body += "</ol>\n";
  }
  body += Facts(page);
  body += "<h2 class=\"govuk-heading-m\" id=\"questions\">" +
          std::string(page.planned ? "Change your answers" : "Tell us about your situation") +
          "</h2>\n";
  body += "<form method=\"post\" action=\"" + HtmlEscape(page.form_action) + "\" novalidate>\n";
  if (!page.csrf_token.empty()) body += CsrfField(page.csrf_token) + "\n";
  JourneyQuestion date = page.event_date;
  date.kind = JourneyQuestion::Kind::kDate;
  body += Question(date);
  bool needed_heading = false, other_heading = false;
  for (const JourneyQuestion& q : page.questions) {
    if (q.needed && !needed_heading) {
      body += "<h3 class=\"govuk-heading-s\">Needed to work out your steps</h3>\n";
      needed_heading = true;
    } else if (!q.needed && needed_heading && !other_heading) {
      body += "<h3 class=\"govuk-heading-s\">Your other answers</h3>\n";
      other_heading = true;
    }
    body += Question(q);
  }
  body += Button(page.planned ? "Update my steps" : "Show my steps") + "</form>\n";
  Layout layout;
  layout.title = page.event_name;
  layout.has_error = !page.errors.empty();
  layout.body_html =
      "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n" + body +
      "</div>\n</div>";
  return RenderLayout(layout);
}

}  // namespace accord::web
