#include "trust/registry.h"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>

namespace accord::trust {
namespace {

constexpr size_t kMaxFileBytes = 1 << 20;
constexpr size_t kMaxEntries = 256;      // frameworks, upstreams, services, rules, attributes
constexpr size_t kMaxListItems = 64;     // strings in a list, sources per attribute
constexpr size_t kMaxPurposeChars = 300;  // as OIDC4IDA's purpose

// Errors name "<file>: <key>: <problem>".
class Ctx {
 public:
  explicit Ctx(std::string file) : file_(std::move(file)) {}
  Status Err(std::string_view key, std::string_view problem) const {
    return InvalidArgument(file_ + ": " + std::string(key) + ": " + std::string(problem),
                           "bad_config");
  }

 private:
  std::string file_;
};

std::string Index(std::string_view key, size_t i) {
  return std::string(key) + "[" + std::to_string(i) + "]";
}

Status CheckKeys(const Ctx& c, const toml::table& t, const std::string& key,
                 std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, node] : t) {
    if (std::find(allowed.begin(), allowed.end(), name.str()) == allowed.end()) {
      return c.Err(key + "." + std::string(name.str()), "unknown key");
    }
  }
  return Status::Ok();
}

Status GetString(const Ctx& c, const toml::table& t, std::string_view name, const std::string& key,
                 bool required, std::string* out) {
  const toml::node* node = t.get(name);
  if (node == nullptr) {
    return required ? c.Err(key + "." + std::string(name), "required") : Status::Ok();
  }
  if (!node->is_string()) return c.Err(key + "." + std::string(name), "must be a string");
  *out = *node->value<std::string>();
  if (required && out->empty()) return c.Err(key + "." + std::string(name), "must not be empty");
  if (out->size() > 1024) return c.Err(key + "." + std::string(name), "longer than 1024");
  return Status::Ok();
}

Status GetStringList(const Ctx& c, const toml::table& t, std::string_view name,
                     const std::string& key, std::vector<std::string>* out) {
  const toml::node* node = t.get(name);
  if (node == nullptr) return Status::Ok();
  std::string k = key + "." + std::string(name);
  const toml::array* arr = node->as_array();
  if (arr == nullptr) return c.Err(k, "must be an array of strings");
  if (arr->size() > kMaxListItems) return c.Err(k, "more than 64 entries");
  for (size_t i = 0; i < arr->size(); ++i) {
    if (!(*arr)[i].is_string()) return c.Err(Index(k, i), "must be a string");
    out->push_back(*(*arr)[i].value<std::string>());
  }
  return Status::Ok();
}

// Calls fn(table, "name[i]") for each table of an optional array of tables.
template <typename Fn>
Status ForEachTable(const Ctx& c, const toml::table& t, std::string_view name,
                    const std::string& prefix, Fn fn) {
  const toml::node* node = t.get(name);
  if (node == nullptr) return Status::Ok();
  std::string k = prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
  const toml::array* arr = node->as_array();
  if (arr == nullptr) return c.Err(k, "must be an array of tables");
  if (arr->size() > kMaxEntries) return c.Err(k, "more than 256 entries");
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::table* item = (*arr)[i].as_table();
    if (item == nullptr) return c.Err(Index(k, i), "must be a table");
    ACCORD_RETURN_IF_ERROR(fn(*item, Index(k, i)));
  }
  return Status::Ok();
}

bool IsAlpha3(std::string_view s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

bool IsName(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
  });
}

Status ParseLevel(const Ctx& c, const toml::table& t, const std::string& key, Level* out) {
  std::string name;
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "level", key, true, &name));
  auto level = ParseLevelName(name);
  if (!level) return c.Err(key + ".level", "must be one of none, low, substantial, high");
  *out = *level;
  return Status::Ok();
}

Status ParseRule(const Ctx& c, const toml::table& t, const std::string& key, LevelRule* rule) {
  ACCORD_RETURN_IF_ERROR(CheckKeys(c, t, key, {"vot_all", "acr_in", "amr_any", "level", "evidence"}));
  ACCORD_RETURN_IF_ERROR(GetStringList(c, t, "vot_all", key, &rule->vot_all));
  ACCORD_RETURN_IF_ERROR(GetStringList(c, t, "acr_in", key, &rule->acr_in));
  ACCORD_RETURN_IF_ERROR(GetStringList(c, t, "amr_any", key, &rule->amr_any));
  if (rule->vot_all.empty() && rule->acr_in.empty() && rule->amr_any.empty()) {
    return c.Err(key, "needs at least one of vot_all, acr_in, amr_any");
  }
  ACCORD_RETURN_IF_ERROR(ParseLevel(c, t, key, &rule->level));
  return GetString(c, t, "evidence", key, false, &rule->evidence);
}

Status ParseSource(const Ctx& c, const toml::table& t, const std::string& key,
                   AttributeMapping* mapping) {
  ACCORD_RETURN_IF_ERROR(CheckKeys(c, t, key, {"pointer", "join", "where"}));
  std::string pointer, join;
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "pointer", key, true, &pointer));
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "join", key, false, &join));
  std::vector<std::pair<std::string, std::string>> where;
  if (const toml::node* w = t.get("where")) {
    const toml::table* wt = w->as_table();
    if (wt == nullptr || wt->size() > 8) return c.Err(key + ".where", "must be a table of strings");
    for (const auto& [name, value] : *wt) {
      if (!value.is_string()) return c.Err(key + ".where." + std::string(name.str()), "must be a string");
      where.emplace_back(std::string(name.str()), *value.value<std::string>());
    }
  }
  auto source = AttributeSource::Make(pointer, std::move(join), std::move(where));
  if (!source.ok()) return c.Err(key, source.status().message());
  mapping->from.push_back(std::move(source).value());
  return Status::Ok();
}

Status ParseAttribute(const Ctx& c, const toml::table& t, const std::string& key,
                      AttributeMapping* mapping) {
  ACCORD_RETURN_IF_ERROR(CheckKeys(c, t, key, {"name", "classification", "format", "from"}));
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "name", key, true, &mapping->name));
  if (!IsName(mapping->name)) return c.Err(key + ".name", "must be [a-z0-9_-], 1 to 64 characters");
  std::string classification = "ordinary";
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "classification", key, false, &classification));
  if (classification == "high_risk") {
    mapping->classification = Classification::kHighRisk;
  } else if (classification != "ordinary") {
    return c.Err(key + ".classification", "must be ordinary or high_risk");
  }
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "format", key, false, &mapping->format));
  if (!mapping->format.empty() && mapping->format != "date") {
    return c.Err(key + ".format", "must be date when set");
  }
  ACCORD_RETURN_IF_ERROR(ForEachTable(c, t, "from", key, [&](const toml::table& s, const std::string& k) {
    return ParseSource(c, s, k, mapping);
  }));
  if (mapping->from.empty()) return c.Err(key + ".from", "needs at least one source");
  if (mapping->from.size() > kMaxListItems) return c.Err(key + ".from", "more than 64 sources");
  return Status::Ok();
}

Status ParseFramework(const Ctx& c, const toml::table& t, const std::string& key, Framework* f) {
  ACCORD_RETURN_IF_ERROR(CheckKeys(c, t, key, {"id", "name", "country", "ida_trust_framework",
                                               "assurance_terms", "levels", "attributes"}));
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "id", key, true, &f->id));
  if (!IsName(f->id)) return c.Err(key + ".id", "must be [a-z0-9_-], 1 to 64 characters");
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "name", key, true, &f->name));
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "country", key, false, &f->country));
  if (!f->country.empty() && !IsAlpha3(f->country)) {
    return c.Err(key + ".country", "must be ISO 3166-1 alpha-3 (e.g. GBR)");
  }
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "ida_trust_framework", key, true, &f->ida_trust_framework));
  if (const toml::node* terms = t.get("assurance_terms")) {
    const toml::table* tt = terms->as_table();
    if (tt == nullptr) return c.Err(key + ".assurance_terms", "must be a table");
    for (const auto& [name, value] : *tt) {
      std::string k = key + ".assurance_terms." + std::string(name.str());
      auto level = ParseLevelName(name.str());
      if (!level || *level == Level::kNone) return c.Err(k, "key must be low, substantial or high");
      if (!value.is_string() || value.value<std::string>()->empty()) {
        return c.Err(k, "must be a non-empty string");
      }
      f->assurance_terms[*level] = *value.value<std::string>();
    }
  }
  ACCORD_RETURN_IF_ERROR(ForEachTable(c, t, "levels", key, [&](const toml::table& r, const std::string& k) {
    LevelRule rule;
    ACCORD_RETURN_IF_ERROR(ParseRule(c, r, k, &rule));
    f->levels.push_back(std::move(rule));
    return Status::Ok();
  }));
  return ForEachTable(c, t, "attributes", key, [&](const toml::table& a, const std::string& k) {
    AttributeMapping mapping;
    ACCORD_RETURN_IF_ERROR(ParseAttribute(c, a, k, &mapping));
    for (const auto& other : f->attributes) {
      if (other.name == mapping.name) return c.Err(k + ".name", "duplicate attribute");
    }
    f->attributes.push_back(std::move(mapping));
    return Status::Ok();
  });
}

Status ParseService(const Ctx& c, const toml::table& t, const std::string& key, ServicePolicy* p) {
  ACCORD_RETURN_IF_ERROR(CheckKeys(c, t, key, {"client_id", "name", "country", "accepted_upstreams",
                                               "minimum_level", "trust_framework", "attributes"}));
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "client_id", key, true, &p->client_id));
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "name", key, true, &p->service_name));
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "country", key, true, &p->country));
  ACCORD_RETURN_IF_ERROR(GetStringList(c, t, "accepted_upstreams", key, &p->accepted_upstreams));
  std::string level = "low";
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "minimum_level", key, false, &level));
  auto parsed = ParseLevelName(level);
  if (!parsed) return c.Err(key + ".minimum_level", "must be one of low, substantial, high");
  p->minimum_level = *parsed;
  ACCORD_RETURN_IF_ERROR(GetString(c, t, "trust_framework", key, false, &p->trust_framework));
  return ForEachTable(c, t, "attributes", key, [&](const toml::table& a, const std::string& k) {
    ACCORD_RETURN_IF_ERROR(CheckKeys(c, a, k, {"name", "purpose", "essential"}));
    AttributeRequest r;
    ACCORD_RETURN_IF_ERROR(GetString(c, a, "name", k, true, &r.name));
    ACCORD_RETURN_IF_ERROR(GetString(c, a, "purpose", k, true, &r.purpose));
    if (const toml::node* e = a.get("essential")) {
      if (!e->is_boolean()) return c.Err(k + ".essential", "must be true or false");
      r.essential = *e->value<bool>();
    }
    p->allowed_attributes.push_back(std::move(r));
    return Status::Ok();
  });
}

Result<toml::table> ParseToml(const Ctx& c, std::string_view text) {
  if (text.size() > kMaxFileBytes) return c.Err("file", "larger than 1 MiB");
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& e) {
    return c.Err("line " + std::to_string(e.source().begin.line), e.description());
  }
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return NotFound(path.string() + ": cannot read", "bad_config");
  if (size > kMaxFileBytes) return InvalidArgument(path.string() + ": larger than 1 MiB", "bad_config");
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path.string() + ": cannot read", "bad_config");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Result<TrustRegistry> TrustRegistry::Load(const std::string& dir) {
  std::filesystem::path base(dir);
  ACCORD_ASSIGN_OR_RETURN(std::string frameworks, ReadFile(base / "frameworks.toml"));
  std::string services;
  if (std::filesystem::exists(base / "services.toml")) {
    ACCORD_ASSIGN_OR_RETURN(services, ReadFile(base / "services.toml"));
  }
  return Parse(frameworks, services);
}

Result<TrustRegistry> TrustRegistry::Parse(std::string_view frameworks_toml,
                                           std::string_view services_toml) {
  TrustRegistry reg;
  Ctx fc("frameworks.toml");
  ACCORD_ASSIGN_OR_RETURN(toml::table root, ParseToml(fc, frameworks_toml));
  ACCORD_RETURN_IF_ERROR(CheckKeys(fc, root, "(top level)", {"frameworks", "upstreams"}));
  ACCORD_RETURN_IF_ERROR(ForEachTable(fc, root, "frameworks", "", [&](const toml::table& t, const std::string& k) {
    Framework f;
    ACCORD_RETURN_IF_ERROR(ParseFramework(fc, t, k, &f));
    if (reg.FindFramework(f.id) != nullptr) return fc.Err(k + ".id", "duplicate framework");
    reg.frameworks_.push_back(std::move(f));
    return Status::Ok();
  }));
  if (reg.frameworks_.empty()) return fc.Err("frameworks", "at least one framework is required");
  ACCORD_RETURN_IF_ERROR(ForEachTable(fc, root, "upstreams", "", [&](const toml::table& t, const std::string& k) {
    ACCORD_RETURN_IF_ERROR(CheckKeys(fc, t, k, {"id", "framework", "country", "name"}));
    UpstreamDecl u;
    ACCORD_RETURN_IF_ERROR(GetString(fc, t, "id", k, true, &u.id));
    ACCORD_RETURN_IF_ERROR(GetString(fc, t, "framework", k, true, &u.framework));
    ACCORD_RETURN_IF_ERROR(GetString(fc, t, "country", k, true, &u.country));
    ACCORD_RETURN_IF_ERROR(GetString(fc, t, "name", k, true, &u.name));
    const Framework* f = reg.FindFramework(u.framework);
    if (f == nullptr) return fc.Err(k + ".framework", "unknown framework");
    if (!IsAlpha3(u.country)) return fc.Err(k + ".country", "must be ISO 3166-1 alpha-3");
    if (!f->country.empty() && f->country != u.country) {
      return fc.Err(k + ".country", "differs from the framework's country");
    }
    if (reg.FindUpstream(u.id) != nullptr) return fc.Err(k + ".id", "duplicate upstream");
    reg.upstreams_.push_back(std::move(u));
    return Status::Ok();
  }));
  if (services_toml.empty()) return reg;
  Ctx sc("services.toml");
  ACCORD_ASSIGN_OR_RETURN(toml::table services, ParseToml(sc, services_toml));
  ACCORD_RETURN_IF_ERROR(CheckKeys(sc, services, "(top level)", {"services"}));
  ACCORD_RETURN_IF_ERROR(ForEachTable(sc, services, "services", "", [&](const toml::table& t, const std::string& k) {
    ServicePolicy p;
    ACCORD_RETURN_IF_ERROR(ParseService(sc, t, k, &p));
    return reg.AddPolicyAt(std::move(p), "services.toml: " + k);
  }));
  return reg;
}

const Framework* TrustRegistry::FindFramework(std::string_view id) const {
  for (const auto& f : frameworks_) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

const UpstreamDecl* TrustRegistry::FindUpstream(std::string_view id) const {
  for (const auto& u : upstreams_) {
    if (u.id == id) return &u;
  }
  return nullptr;
}

const ServicePolicy* TrustRegistry::FindPolicy(std::string_view client_id) const {
  for (const auto& p : policies_) {
    if (p.client_id == client_id) return &p;
  }
  return nullptr;
}

Result<CommonIdentity> TrustRegistry::Map(const Assertion& a) const {
  const UpstreamDecl* upstream = FindUpstream(a.upstream_id);
  if (upstream == nullptr) return NotFound("upstream is not declared", "unknown_upstream");
  const Framework* framework = FindFramework(upstream->framework);
  if (framework == nullptr) return Internal("upstream framework vanished");
  return MapAssertion(*framework, *upstream, a);
}

Status TrustRegistry::AddPolicy(ServicePolicy p) {
  std::string key = "service " + p.client_id;
  return AddPolicyAt(std::move(p), key);
}

Status TrustRegistry::AddPolicyAt(ServicePolicy p, const std::string& key) {
  auto err = [&](std::string_view member, std::string_view problem) {
    return InvalidArgument(key + "." + std::string(member) + ": " + std::string(problem), "bad_config");
  };
  if (p.client_id.empty() || p.client_id.size() > 128) return err("client_id", "1 to 128 characters");
  if (FindPolicy(p.client_id) != nullptr) {
    return AlreadyExists(key + ".client_id: a policy for this client already exists", "bad_config");
  }
  if (policies_.size() >= kMaxEntries) return err("client_id", "more than 256 services");
  if (p.service_name.empty()) return err("name", "required");
  if (!IsAlpha3(p.country)) return err("country", "must be ISO 3166-1 alpha-3");
  if (p.minimum_level == Level::kNone) return err("minimum_level", "must be low, substantial or high");
  if (p.accepted_upstreams.empty()) return err("accepted_upstreams", "at least one upstream");
  std::vector<const Framework*> sources;
  for (size_t i = 0; i < p.accepted_upstreams.size(); ++i) {
    const UpstreamDecl* u = FindUpstream(p.accepted_upstreams[i]);
    if (u == nullptr) return err(Index("accepted_upstreams", i), "unknown upstream");
    sources.push_back(FindFramework(u->framework));
  }
  if (!p.trust_framework.empty()) {
    const Framework* f = FindFramework(p.trust_framework);
    if (f == nullptr) return err("trust_framework", "unknown framework");
    if (p.ida_trust_framework.empty()) p.ida_trust_framework = f->ida_trust_framework;
    if (p.assurance_terms.empty()) p.assurance_terms = f->assurance_terms;
  }
  for (size_t i = 0; i < p.allowed_attributes.size(); ++i) {
    const AttributeRequest& r = p.allowed_attributes[i];
    std::string k = Index("attributes", i);
    if (r.purpose.empty() || r.purpose.size() > kMaxPurposeChars) {
      return err(k + ".purpose", "1 to 300 characters");
    }
    for (size_t j = 0; j < i; ++j) {
      if (p.allowed_attributes[j].name == r.name) return err(k + ".name", "duplicate attribute");
    }
    bool produced = false;
    for (const Framework* f : sources) {
      for (const auto& m : f->attributes) {
        if (m.name != r.name) continue;
        produced = true;
        if (m.classification == Classification::kHighRisk && f->country != p.country) {
          return err(k + ".name", "high-risk attribute (national identifier class) may not be "
                                  "released to a service outside its issuing country");
        }
      }
    }
    if (!produced) return err(k + ".name", "no accepted upstream's framework provides it");
  }
  policies_.push_back(std::move(p));
  return Status::Ok();
}

}  // namespace accord::trust
