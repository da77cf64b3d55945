#include "datasec/classification.h"

#include <algorithm>
#include <array>
#include <utility>

#include "datasec/internal/config_util.h"

namespace accord::datasec {
namespace {

constexpr std::array<std::string_view, 4> kUkNames = {"OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET",
                                                      "TOP SECRET"};
constexpr std::array<std::string_view, 7> kSgClassNames = {
    "Official (Open)", "Official (Closed)",  "Restricted", "Confidential (Cloud-Eligible)",
    "Confidential",    "Secret",             "Top Secret"};
constexpr std::array<std::string_view, 3> kSgSensitivityNames = {
    "Non-Sensitive", "Sensitive (Normal)", "Sensitive (High)"};

template <typename E, size_t N>
std::optional<E> ParseName(const std::array<std::string_view, N>& names, std::string_view text) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

std::string KindPrefix(ItemKind kind) { return kind == ItemKind::kAttribute ? "attribute:" : "record:"; }

}  // namespace

std::string_view Name(UkMarking m) { return kUkNames[static_cast<size_t>(m)]; }
std::string_view Name(SgClassification c) { return kSgClassNames[static_cast<size_t>(c)]; }
std::string_view Name(SgSensitivity s) { return kSgSensitivityNames[static_cast<size_t>(s)]; }

std::optional<UkMarking> ParseUkMarking(std::string_view text) {
  return ParseName<UkMarking>(kUkNames, text);
}
std::optional<SgClassification> ParseSgClassification(std::string_view text) {
  return ParseName<SgClassification>(kSgClassNames, text);
}
std::optional<SgSensitivity> ParseSgSensitivity(std::string_view text) {
  return ParseName<SgSensitivity>(kSgSensitivityNames, text);
}

bool Classification::FitsWithin(const Classification& ceiling) const {
  return uk <= ceiling.uk && sg_classification <= ceiling.sg_classification &&
         sg_sensitivity <= ceiling.sg_sensitivity;
}

bool Classification::IsNationalSecurity() const {
  return uk >= UkMarking::kSecret || sg_classification >= SgClassification::kSecret;
}

std::string Classification::ToString() const {
  std::string out(Name(uk));
  out += " / ";
  out += Name(sg_classification);
  out += " / ";
  out += Name(sg_sensitivity);
  return out;
}

Classification Max(const Classification& a, const Classification& b) {
  return Classification{std::max(a.uk, b.uk), std::max(a.sg_classification, b.sg_classification),
                        std::max(a.sg_sensitivity, b.sg_sensitivity)};
}

ClassificationTable::ClassificationTable() : mu_(std::make_unique<std::mutex>()) {}
ClassificationTable::ClassificationTable(ClassificationTable&&) noexcept = default;
ClassificationTable& ClassificationTable::operator=(ClassificationTable&&) noexcept = default;
ClassificationTable::~ClassificationTable() = default;

Result<ClassificationTable> ClassificationTable::Load(const std::string& dir) {
  ACCORD_ASSIGN_OR_RETURN(std::string text,
                          internal::ReadBoundedFile(dir + "/classification.toml"));
  return Parse(text, "classification.toml");
}

Result<ClassificationTable> ClassificationTable::Parse(std::string_view toml_text,
                                                       std::string_view file) {
  using internal::ConfigError;
  ACCORD_ASSIGN_OR_RETURN(toml::table root, internal::ParseTomlText(toml_text, file));
  ClassificationTable table;
  for (const auto& [key, node] : root) {
    if (key != "classes" && key != "attributes" && key != "records") {
      return ConfigError(file, key.str(), "unknown key");
    }
  }
  const toml::table* classes = root["classes"].as_table();
  if (classes == nullptr || classes->empty()) {
    return ConfigError(file, "classes", "at least one class table is required");
  }
  for (const auto& [name, node] : *classes) {
    std::string key = "classes." + std::string(name.str());
    const toml::table* t = node.as_table();
    if (t == nullptr) return ConfigError(file, key, "must be a table");
    for (const auto& [k, v] : *t) {
      if (k != "uk" && k != "sg_classification" && k != "sg_sensitivity" && k != "description") {
        return ConfigError(file, key + "." + std::string(k.str()), "unknown key");
      }
    }
    ACCORD_ASSIGN_OR_RETURN(std::string uk, internal::RequireString(*t, "uk", file, key));
    ACCORD_ASSIGN_OR_RETURN(std::string sgc,
                            internal::RequireString(*t, "sg_classification", file, key));
    ACCORD_ASSIGN_OR_RETURN(std::string sgs,
                            internal::RequireString(*t, "sg_sensitivity", file, key));
    auto m = ParseUkMarking(uk);
    if (!m) return ConfigError(file, key + ".uk", "unknown UK marking \"" + uk + "\"");
    auto c = ParseSgClassification(sgc);
    if (!c) return ConfigError(file, key + ".sg_classification", "unknown classification \"" + sgc + "\"");
    auto s = ParseSgSensitivity(sgs);
    if (!s) return ConfigError(file, key + ".sg_sensitivity", "unknown sensitivity \"" + sgs + "\"");
    table.classes_[std::string(name.str())] = Classification{*m, *c, *s};
  }
  for (auto [section, out] : {std::pair{"attributes", &table.attributes_},
                              std::pair{"records", &table.records_}}) {
    const toml::node* node = root.get(section);
    if (node == nullptr) continue;
    const toml::table* t = node->as_table();
    if (t == nullptr) return ConfigError(file, section, "must be a table");
    for (const auto& [name, v] : *t) {
      std::string key = std::string(section) + "." + std::string(name.str());
      const auto* cls = v.as_string();
      if (cls == nullptr) return ConfigError(file, key, "must be a class name (string)");
      if (table.classes_.count(cls->get()) == 0) {
        return ConfigError(file, key, "unknown class \"" + cls->get() + "\"");
      }
      (*out)[std::string(name.str())] = cls->get();
    }
  }
  return table;
}

bool ClassificationTable::IsClassified(ItemKind kind, std::string_view name) const {
  const auto& items = kind == ItemKind::kAttribute ? attributes_ : records_;
  return items.find(std::string(name)) != items.end();
}

std::string ClassificationTable::ClassName(ItemKind kind, std::string_view name) const {
  const auto& items = kind == ItemKind::kAttribute ? attributes_ : records_;
  auto it = items.find(std::string(name));
  return it == items.end() ? std::string() : it->second;
}

Classification ClassificationTable::Classify(ItemKind kind, std::string_view name) const {
  std::string cls = ClassName(kind, name);
  if (!cls.empty()) return classes_.at(cls);
  std::lock_guard<std::mutex> lock(*mu_);
  if (unclassified_.size() < 10000) unclassified_.insert(KindPrefix(kind) + std::string(name));
  return Classification::MostRestrictive();
}

std::vector<std::string> ClassificationTable::Unclassified() const {
  std::set<std::string> out;
  {
    std::lock_guard<std::mutex> lock(*mu_);
    out = unclassified_;
  }
  for (const char* record : kRecordTypes) {
    if (records_.count(record) == 0) out.insert(KindPrefix(ItemKind::kRecord) + record);
  }
  return std::vector<std::string>(out.begin(), out.end());
}

}  // namespace accord::datasec
