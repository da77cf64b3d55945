#include "journeys/catalogue.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "common/json.h"
#include "journeys/fields.h"
#include "rules/dates.h"

namespace accord::journeys {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxFileBytes = 256 * 1024;
constexpr size_t kMaxFiles = 1000;
constexpr int kMaxDeadlineDays = 3660;
constexpr JsonLimits kCatalogueJson{.max_bytes = kMaxFileBytes, .max_depth = 48};

bool IsId(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool IsMonth(std::string_view s) {
  return s.size() == 7 && rules::ParseDate(std::string(s) + "-01").has_value();
}

Result<boost::json::object> ParseFile(const CatalogueFile& f) {
  auto parsed = ParseJsonObject(f.text, kCatalogueJson);
  if (!parsed.ok()) {
    return InvalidArgument(f.name + ": $: " + parsed.status().message(), "bad_catalogue");
  }
  return std::move(parsed).value();
}

Result<std::vector<Attribute>> ParseVocabulary(const CatalogueFile& f) {
  ACCORD_ASSIGN_OR_RETURN(auto root, ParseFile(f));
  Fields top(root, f.name, "$");
  ACCORD_RETURN_IF_ERROR(top.OnlyKeys({"attributes"}));
  const auto* attrs = top.Get("attributes");
  if (attrs == nullptr || !attrs->is_object()) return top.Error("attributes", "expected an object");
  std::vector<Attribute> out;
  for (const auto& [k, v] : attrs->get_object()) {
    std::string name(k.data(), k.size());
    std::string path = top.PathOf("attributes") + "." + name;
    if (!v.is_object()) return InvalidArgument(f.name + ": " + path + ": expected an object", "bad_catalogue");
    Fields a(v.get_object(), f.name, path);
    ACCORD_RETURN_IF_ERROR(a.OnlyKeys({"type", "source", "description"}));
    Attribute attr;
    attr.name = name;
    ACCORD_ASSIGN_OR_RETURN(attr.type, a.String("type"));
    ACCORD_ASSIGN_OR_RETURN(attr.source, a.String("source"));
    ACCORD_ASSIGN_OR_RETURN(attr.description, a.String("description"));
    static const std::set<std::string> kTypes = {"date", "country", "number", "boolean", "string"};
    if (!kTypes.count(attr.type)) return a.Error("type", "expected date, country, number, boolean or string");
    if (attr.source != "identity" && attr.source != "answer") {
      return a.Error("source", "expected identity or answer");
    }
    out.push_back(std::move(attr));
  }
  return out;
}

Result<Service> ParseService(const CatalogueFile& f, const std::vector<Attribute>& vocabulary) {
  ACCORD_ASSIGN_OR_RETURN(auto root, ParseFile(f));
  Fields s(root, f.name, "$");
  ACCORD_RETURN_IF_ERROR(s.OnlyKeys({"id", "name", "agency", "country", "url", "checked", "verify",
                                     "summary", "cost", "channel", "deadline", "prerequisites",
                                     "attributes", "eligibility"}));
  Service out;
  out.file = f.name;
  ACCORD_ASSIGN_OR_RETURN(out.id, s.String("id"));
  if (!IsId(out.id)) return s.Error("id", "expected lowercase letters, digits and '-'");
  ACCORD_ASSIGN_OR_RETURN(out.name, s.String("name"));
  ACCORD_ASSIGN_OR_RETURN(out.agency, s.String("agency"));
  ACCORD_ASSIGN_OR_RETURN(out.country, s.String("country"));
  if (out.country != "GB" && out.country != "SG") return s.Error("country", "expected GB or SG");
  ACCORD_ASSIGN_OR_RETURN(out.url, s.String("url"));
  if (out.url.rfind("https://", 0) != 0) return s.Error("url", "expected an https:// URL");
  ACCORD_ASSIGN_OR_RETURN(out.checked, s.String("checked"));
  if (!IsMonth(out.checked)) return s.Error("checked", "expected YYYY-MM");
  ACCORD_ASSIGN_OR_RETURN(out.verify, s.Bool("verify", false));
  ACCORD_ASSIGN_OR_RETURN(out.summary, s.String("summary"));
  ACCORD_ASSIGN_OR_RETURN(out.channel, s.String("channel"));
  static const std::set<std::string> kChannels = {"online", "post", "phone", "in_person", "employer",
                                                  "automatic"};
  if (!kChannels.count(out.channel)) {
    return s.Error("channel", "expected online, post, phone, in_person, employer or automatic");
  }

  const auto* cost = s.Get("cost");
  if (cost == nullptr || !cost->is_object()) return s.Error("cost", "expected an object");
  Fields c(cost->get_object(), f.name, s.PathOf("cost"));
  ACCORD_RETURN_IF_ERROR(c.OnlyKeys({"text", "amount", "currency"}));
  ACCORD_ASSIGN_OR_RETURN(out.cost.text, c.String("text"));
  if (const auto* amount = c.Get("amount")) {
    if (!amount->is_number() || amount->to_number<double>() < 0) {
      return c.Error("amount", "expected a non-negative number");
    }
    out.cost.amount = amount->to_number<double>();
    ACCORD_ASSIGN_OR_RETURN(out.cost.currency, c.String("currency"));
    if (out.cost.currency != "GBP" && out.cost.currency != "SGD") {
      return c.Error("currency", "expected GBP or SGD");
    }
  } else if (c.Get("currency") != nullptr) {
    return c.Error("currency", "only allowed with amount");
  }

  if (const auto* d = s.Get("deadline")) {
    if (!d->is_object()) return s.Error("deadline", "expected an object");
    Fields dl(d->get_object(), f.name, s.PathOf("deadline"));
    ACCORD_RETURN_IF_ERROR(dl.OnlyKeys({"days", "text"}));
    const auto* days = dl.Get("days");
    if (days == nullptr || !days->is_int64() || days->get_int64() < -kMaxDeadlineDays ||
        days->get_int64() > kMaxDeadlineDays) {
      return dl.Error("days", "expected a whole number of days within 10 years");
    }
    Deadline deadline;
    deadline.days = static_cast<int>(days->get_int64());
    ACCORD_ASSIGN_OR_RETURN(deadline.text, dl.String("text"));
    out.deadline = deadline;
  }
  ACCORD_ASSIGN_OR_RETURN(out.prerequisites, s.Strings("prerequisites"));
  ACCORD_ASSIGN_OR_RETURN(out.attributes, s.Strings("attributes"));
  for (size_t i = 0; i < out.attributes.size(); ++i) {
    const std::string& a = out.attributes[i];
    bool known = std::any_of(vocabulary.begin(), vocabulary.end(),
                             [&](const Attribute& v) { return v.name == a; });
    if (!known) {
      return s.Error("attributes[" + std::to_string(i) + "]",
                     "\"" + a + "\" is not in the vocabulary (vocabulary.json)");
    }
  }
  const auto* rule = s.Get("eligibility");
  if (rule == nullptr) return s.Error("eligibility", "required");
  ACCORD_ASSIGN_OR_RETURN(out.eligibility, rules::Rule::Compile(*rule, f.name, s.PathOf("eligibility")));
  for (const std::string& var : out.eligibility.variables()) {
    if (var == kEventDateAttribute) continue;
    if (std::find(out.attributes.begin(), out.attributes.end(), var) == out.attributes.end()) {
      return s.Error("eligibility", "reads \"" + var + "\", which is not listed in $.attributes");
    }
  }
  return out;
}

Result<LifeEvent> ParseEvent(const CatalogueFile& f) {
  ACCORD_ASSIGN_OR_RETURN(auto root, ParseFile(f));
  Fields e(root, f.name, "$");
  ACCORD_RETURN_IF_ERROR(e.OnlyKeys({"id", "name", "description", "event_date_label", "steps"}));
  LifeEvent out;
  out.file = f.name;
  ACCORD_ASSIGN_OR_RETURN(out.id, e.String("id"));
  if (!IsId(out.id)) return e.Error("id", "expected lowercase letters, digits and '-'");
  ACCORD_ASSIGN_OR_RETURN(out.name, e.String("name"));
  ACCORD_ASSIGN_OR_RETURN(out.description, e.String("description"));
  ACCORD_ASSIGN_OR_RETURN(out.event_date_label, e.String("event_date_label"));
  const auto* steps = e.Get("steps");
  if (steps == nullptr || !steps->is_array() || steps->get_array().empty()) {
    return e.Error("steps", "expected a non-empty array");
  }
  const auto& a = steps->get_array();
  for (size_t i = 0; i < a.size(); ++i) {
    std::string path = e.PathOf("steps") + "[" + std::to_string(i) + "]";
    if (!a[i].is_object()) return InvalidArgument(f.name + ": " + path + ": expected an object", "bad_catalogue");
    Fields st(a[i].get_object(), f.name, path);
    ACCORD_RETURN_IF_ERROR(st.OnlyKeys({"title", "logic", "optional", "services"}));
    Step step;
    step.number = static_cast<int>(i + 1);
    ACCORD_ASSIGN_OR_RETURN(step.title, st.String("title"));
    ACCORD_ASSIGN_OR_RETURN(step.logic, st.String("logic"));
    if (step.logic != "and" && step.logic != "or") return st.Error("logic", "expected \"and\" or \"or\"");
    ACCORD_ASSIGN_OR_RETURN(step.optional, st.Bool("optional", false));
    ACCORD_ASSIGN_OR_RETURN(step.services, st.Strings("services"));
    if (step.services.empty()) return st.Error("services", "expected at least one service id");
    out.steps.push_back(std::move(step));
  }
  return out;
}

Status CheckPrerequisiteCycles(const std::vector<Service>& services) {
  std::unordered_map<std::string, const Service*> by_id;
  for (const auto& s : services) by_id[s.id] = &s;
  std::unordered_map<std::string, int> state;  // 1 visiting, 2 done
  std::function<Status(const Service&)> visit = [&](const Service& s) -> Status {
    state[s.id] = 1;
    for (size_t i = 0; i < s.prerequisites.size(); ++i) {
      const std::string& p = s.prerequisites[i];
      auto it = by_id.find(p);
      std::string where = s.file + ": $.prerequisites[" + std::to_string(i) + "]: ";
      if (it == by_id.end()) return InvalidArgument(where + "unknown service \"" + p + "\"", "bad_catalogue");
      if (state[p] == 1) return InvalidArgument(where + "prerequisite cycle through \"" + p + "\"", "bad_catalogue");
      if (state[p] == 0) ACCORD_RETURN_IF_ERROR(visit(*it->second));
    }
    state[s.id] = 2;
    return Status::Ok();
  };
  for (const auto& s : services) {
    if (state[s.id] == 0) ACCORD_RETURN_IF_ERROR(visit(s));
  }
  return Status::Ok();
}

Status CheckEvent(const LifeEvent& e, const Catalogue& c) {
  std::unordered_map<std::string, size_t> position;
  size_t order = 0;
  for (size_t i = 0; i < e.steps.size(); ++i) {
    for (size_t j = 0; j < e.steps[i].services.size(); ++j) {
      const std::string& id = e.steps[i].services[j];
      std::string where = e.file + ": $.steps[" + std::to_string(i) + "].services[" + std::to_string(j) + "]: ";
      if (c.FindService(id) == nullptr) return InvalidArgument(where + "unknown service \"" + id + "\"", "bad_catalogue");
      if (!position.emplace(id, order++).second) {
        return InvalidArgument(where + "service \"" + id + "\" appears twice", "bad_catalogue");
      }
    }
  }
  for (size_t i = 0; i < e.steps.size(); ++i) {
    for (size_t j = 0; j < e.steps[i].services.size(); ++j) {
      const std::string& id = e.steps[i].services[j];
      for (const std::string& p : c.FindService(id)->prerequisites) {
        auto it = position.find(p);
        if (it != position.end() && it->second > position[id]) {
          return InvalidArgument(e.file + ": $.steps[" + std::to_string(i) + "].services[" +
                                     std::to_string(j) + "]: \"" + id + "\" needs \"" + p +
                                     "\", which comes later in this journey",
                                 "bad_catalogue");
        }
      }
    }
  }
  return Status::Ok();
}

Result<std::string> ReadBounded(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return NotFound(path.string() + ": cannot read", "catalogue_unreadable");
  if (size > kMaxFileBytes) return OutOfRange(path.string() + ": larger than 256 KiB", "too_large");
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path.string() + ": cannot read", "catalogue_unreadable");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::vector<CatalogueFile>> ReadDir(const fs::path& dir) {
  std::vector<fs::path> paths;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json" && it->is_regular_file()) paths.push_back(it->path());
    if (paths.size() > kMaxFiles) return OutOfRange(dir.string() + ": too many files", "too_large");
  }
  if (ec) return NotFound(dir.string() + ": cannot list directory", "catalogue_unreadable");
  std::sort(paths.begin(), paths.end());
  std::vector<CatalogueFile> out;
  for (const auto& p : paths) {
    ACCORD_ASSIGN_OR_RETURN(std::string text, ReadBounded(p));
    out.push_back(CatalogueFile{p.string(), std::move(text)});
  }
  return out;
}

}  // namespace

Result<Catalogue> Catalogue::Load(const fs::path& dir) {
  ACCORD_ASSIGN_OR_RETURN(std::string vocabulary, ReadBounded(dir / "vocabulary.json"));
  ACCORD_ASSIGN_OR_RETURN(auto services, ReadDir(dir / "services"));
  ACCORD_ASSIGN_OR_RETURN(auto events, ReadDir(dir / "events"));
  return Build(CatalogueFile{(dir / "vocabulary.json").string(), std::move(vocabulary)}, services, events);
}

Result<Catalogue> Catalogue::Build(const CatalogueFile& vocabulary,
                                   const std::vector<CatalogueFile>& services,
                                   const std::vector<CatalogueFile>& events) {
  Catalogue c;
  c.attributes_ = std::make_shared<std::vector<Attribute>>();
  c.services_ = std::make_shared<std::vector<Service>>();
  c.events_ = std::make_shared<std::vector<LifeEvent>>();
  ACCORD_ASSIGN_OR_RETURN(*c.attributes_, ParseVocabulary(vocabulary));
  for (const auto& f : services) {
    ACCORD_ASSIGN_OR_RETURN(Service s, ParseService(f, *c.attributes_));
    if (c.FindService(s.id) != nullptr) {
      return InvalidArgument(f.name + ": $.id: duplicate service id \"" + s.id + "\"", "bad_catalogue");
    }
    c.services_->push_back(std::move(s));
  }
  ACCORD_RETURN_IF_ERROR(CheckPrerequisiteCycles(*c.services_));
  for (const auto& f : events) {
    ACCORD_ASSIGN_OR_RETURN(LifeEvent e, ParseEvent(f));
    if (c.FindEvent(e.id) != nullptr) {
      return InvalidArgument(f.name + ": $.id: duplicate life event id \"" + e.id + "\"", "bad_catalogue");
    }
    ACCORD_RETURN_IF_ERROR(CheckEvent(e, c));
    c.events_->push_back(std::move(e));
  }
  return c;
}

const Service* Catalogue::FindService(std::string_view id) const {
  for (const auto& s : *services_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const LifeEvent* Catalogue::FindEvent(std::string_view id) const {
  for (const auto& e : *events_) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

const Attribute* Catalogue::FindAttribute(std::string_view name) const {
  for (const auto& a : *attributes_) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

}  // namespace accord::journeys
