// Catalogue: the services of both governments and the life events composed from them, loaded from
// JSON files and validated once (format: docs/rules.md, "Catalogue format").
//
//   <dir>/vocabulary.json      the attribute vocabulary rules may read
//   <dir>/services/*.json      one service each, with its JsonLogic eligibility rule
//   <dir>/events/*.json        one life event each: numbered steps of services (GOV.UK step-by-step)
//
// Every error names the file and the JSON path, e.g.
//   data/services/sg-employment-pass.json: $.eligibility.and[1]: unknown operator "<<"
// Validation covers field types, ids, countries (GB/SG), dates, attributes against the vocabulary,
// the rule's variables against the service's attributes, prerequisites (known ids, no cycles) and,
// in each event, that a prerequisite inside the event comes before the service that needs it.
//
// Lifetime and thread safety: a Catalogue is immutable after Load/Build and may be shared by
// threads; the Service and LifeEvent pointers it returns live as long as it does.
#ifndef ACCORD_JOURNEYS_CATALOGUE_H_
#define ACCORD_JOURNEYS_CATALOGUE_H_

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "rules/rule.h"

namespace accord::journeys {

struct Cost {
  std::string text;               // always present, e.g. "Free", "S$18 for the digital certificate"
  std::optional<double> amount;   // when there is one headline figure
  std::string currency;           // "GBP" or "SGD" when amount is set
};

struct Deadline {
  int days = 0;      // relative to the event date (negative: before it)
  std::string text;  // e.g. "within 42 days of the birth"
};

struct Service {
  std::string id;
  std::string name;
  std::string agency;
  std::string country;  // "GB" or "SG"
  std::string url;      // the source page
  std::string checked;  // YYYY-MM when the facts were checked
  bool verify = false;  // the reference marks the facts as needing checking
  std::string summary;
  Cost cost;
  std::string channel;  // online | post | phone | in_person | employer | automatic
  std::optional<Deadline> deadline;
  std::vector<std::string> prerequisites;  // service ids
  std::vector<std::string> attributes;     // vocabulary names the rule needs, in asking order
  rules::Rule eligibility;
  std::string file;
};

struct Step {
  int number = 0;        // 1-based position
  std::string title;
  std::string logic;     // "and": do all of these; "or": choose one
  bool optional = false;
  std::vector<std::string> services;
};

struct LifeEvent {
  std::string id;
  std::string name;
  std::string description;
  std::string event_date_label;  // what the event date means, e.g. "the date of the birth"
  std::vector<Step> steps;
  std::string file;
};

struct Attribute {
  std::string name;
  std::string type;    // date | country | number | boolean | string
  std::string source;  // identity | answer
  std::string description;
};

// One catalogue file already read into memory (`name` appears in errors).
struct CatalogueFile {
  std::string name;
  std::string text;
};

class Catalogue {
 public:
  // Reads and validates `dir` (file size and count bounded).
  static Result<Catalogue> Load(const std::filesystem::path& dir);
  // Validates files already in memory (pure; used by Load and tests).
  static Result<Catalogue> Build(const CatalogueFile& vocabulary,
                                 const std::vector<CatalogueFile>& services,
                                 const std::vector<CatalogueFile>& events);

  const Service* FindService(std::string_view id) const;
  const LifeEvent* FindEvent(std::string_view id) const;
  const Attribute* FindAttribute(std::string_view name) const;
  const std::vector<Service>& services() const { return *services_; }
  const std::vector<LifeEvent>& events() const { return *events_; }
  const std::vector<Attribute>& attributes() const { return *attributes_; }

 private:
  std::shared_ptr<std::vector<Service>> services_;
  std::shared_ptr<std::vector<LifeEvent>> events_;
  std::shared_ptr<std::vector<Attribute>> attributes_;
};

// The attribute the planner sets to the event date (YYYY-MM-DD); rules may read it.
inline constexpr std::string_view kEventDateAttribute = "event_date";

}  // namespace accord::journeys

#endif  // ACCORD_JOURNEYS_CATALOGUE_H_
