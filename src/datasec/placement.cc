#include "datasec/placement.h"

#include <set>

#include "datasec/internal/config_util.h"
#include "trust/registry.h"

namespace accord::datasec {
namespace {

using internal::ConfigError;

constexpr std::string_view kEnvFile = "environments.toml";

Status ParseEnvironment(const toml::table& t, const std::string& key, Environment* env) {
  for (const auto& [k, v] : t) {
    std::string_view s = k.str();
    if (s != "id" && s != "name" && s != "country" && s != "max_uk" &&
        s != "max_sg_classification" && s != "max_sg_sensitivity" && s != "description") {
      return ConfigError(kEnvFile, key + "." + std::string(s), "unknown key");
    }
  }
  ACCORD_ASSIGN_OR_RETURN(env->id, internal::RequireString(t, "id", kEnvFile, key));
  ACCORD_ASSIGN_OR_RETURN(env->name, internal::RequireString(t, "name", kEnvFile, key));
  ACCORD_ASSIGN_OR_RETURN(env->country, internal::RequireString(t, "country", kEnvFile, key));
  ACCORD_ASSIGN_OR_RETURN(std::string uk, internal::RequireString(t, "max_uk", kEnvFile, key));
  ACCORD_ASSIGN_OR_RETURN(std::string sgc,
                          internal::RequireString(t, "max_sg_classification", kEnvFile, key));
  ACCORD_ASSIGN_OR_RETURN(std::string sgs,
                          internal::RequireString(t, "max_sg_sensitivity", kEnvFile, key));
  auto m = ParseUkMarking(uk);
  if (!m) return ConfigError(kEnvFile, key + ".max_uk", "unknown UK marking \"" + uk + "\"");
  auto c = ParseSgClassification(sgc);
  if (!c) return ConfigError(kEnvFile, key + ".max_sg_classification", "unknown classification \"" + sgc + "\"");
  auto s = ParseSgSensitivity(sgs);
  if (!s) return ConfigError(kEnvFile, key + ".max_sg_sensitivity", "unknown sensitivity \"" + sgs + "\"");
  env->ceiling = Classification{*m, *c, *s};
  if (env->ceiling.IsNationalSecurity()) {
    return ConfigError(kEnvFile, key, "SECRET / Secret and above are never held by Accord");
  }
  if (env->id.empty()) return ConfigError(kEnvFile, key + ".id", "must not be empty");
  return Status::Ok();
}

bool IsKnownRecord(std::string_view name) {
  for (const char* r : kRecordTypes) {
    if (name == r) return true;
  }
  return false;
}

}  // namespace

Result<PlacementPolicy> PlacementPolicy::Load(const std::string& dir) {
  ACCORD_ASSIGN_OR_RETURN(std::string cls, internal::ReadBoundedFile(dir + "/classification.toml"));
  ACCORD_ASSIGN_OR_RETURN(std::string env, internal::ReadBoundedFile(dir + "/environments.toml"));
  return Parse(cls, env);
}

Result<PlacementPolicy> PlacementPolicy::Parse(std::string_view classification_toml,
                                               std::string_view environments_toml) {
  ACCORD_ASSIGN_OR_RETURN(ClassificationTable table,
                          ClassificationTable::Parse(classification_toml));
  PlacementPolicy policy(std::move(table));
  ACCORD_ASSIGN_OR_RETURN(toml::table root, internal::ParseTomlText(environments_toml, kEnvFile));
  for (const auto& [k, v] : root) {
    if (k != "environments" && k != "deployment" && k != "services") {
      return ConfigError(kEnvFile, k.str(), "unknown key");
    }
  }
  const toml::array* envs = root["environments"].as_array();
  if (envs == nullptr || envs->empty()) {
    return ConfigError(kEnvFile, "environments", "at least one [[environments]] is required");
  }
  for (size_t i = 0; i < envs->size(); ++i) {
    std::string key = "environments[" + std::to_string(i) + "]";
    const toml::table* t = (*envs)[i].as_table();
    if (t == nullptr) return ConfigError(kEnvFile, key, "must be a table");
    Environment env;
    ACCORD_RETURN_IF_ERROR(ParseEnvironment(*t, key, &env));
    if (policy.FindEnvironment(env.id) != nullptr) {
      return ConfigError(kEnvFile, key + ".id", "duplicate environment \"" + env.id + "\"");
    }
    policy.environments_.push_back(std::move(env));
  }

  const toml::table* dep = root["deployment"].as_table();
  if (dep == nullptr) return ConfigError(kEnvFile, "deployment", "missing [deployment] table");
  for (const auto& [k, v] : *dep) {
    if (k != "environment" && k != "keep") {
      return ConfigError(kEnvFile, "deployment." + std::string(k.str()), "unknown key");
    }
  }
  ACCORD_ASSIGN_OR_RETURN(std::string dep_env,
                          internal::RequireString(*dep, "environment", kEnvFile, "deployment"));
  bool found = false;
  for (size_t i = 0; i < policy.environments_.size(); ++i) {
    if (policy.environments_[i].id == dep_env) {
      policy.deployment_index_ = i;
      found = true;
    }
  }
  if (!found) {
    return ConfigError(kEnvFile, "deployment.environment", "unknown environment \"" + dep_env + "\"");
  }
  if (const toml::node* keep = dep->get("keep")) {
    const toml::array* arr = keep->as_array();
    if (arr == nullptr) return ConfigError(kEnvFile, "deployment.keep", "must be an array of strings");
    for (size_t i = 0; i < arr->size(); ++i) {
      const auto* s = (*arr)[i].as_string();
      std::string key = "deployment.keep[" + std::to_string(i) + "]";
      if (s == nullptr) return ConfigError(kEnvFile, key, "must be a string");
      if (!IsKnownRecord(s->get())) {
        return ConfigError(kEnvFile, key, "unknown record type \"" + s->get() + "\"");
      }
      policy.kept_.push_back(s->get());
    }
  } else {
    for (const char* r : kRecordTypes) policy.kept_.push_back(r);
  }

  if (const toml::node* services = root.get("services")) {
    const toml::table* st = services->as_table();
    if (st == nullptr) return ConfigError(kEnvFile, "services", "must be a table");
    for (const auto& [client_id, node] : *st) {
      std::string key = "services." + std::string(client_id.str());
      const toml::table* t = node.as_table();
      if (t == nullptr) return ConfigError(kEnvFile, key, "must be a table");
      for (const auto& [k, v] : *t) {
        if (k != "environment") return ConfigError(kEnvFile, key + "." + std::string(k.str()), "unknown key");
      }
      ACCORD_ASSIGN_OR_RETURN(std::string env, internal::RequireString(*t, "environment", kEnvFile, key));
      if (policy.FindEnvironment(env) == nullptr) {
        return ConfigError(kEnvFile, key + ".environment", "unknown environment \"" + env + "\"");
      }
      policy.services_[std::string(client_id.str())] = env;
    }
  }
  return policy;
}

const Environment* PlacementPolicy::FindEnvironment(std::string_view id) const {
  for (const auto& e : environments_) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

const Environment* PlacementPolicy::ServiceEnvironment(std::string_view client_id) const {
  auto it = services_.find(std::string(client_id));
  return it == services_.end() ? nullptr : FindEnvironment(it->second);
}

Status PlacementPolicy::Check(const Environment& env, ItemKind kind, std::string_view name,
                              StatusCode code, std::string_view where) const {
  Classification c = classification_.Classify(kind, name);
  std::string cls = classification_.ClassName(kind, name);
  if (cls.empty()) cls = "unclassified";
  std::string what = std::string(kind == ItemKind::kAttribute ? "attribute " : "record type ") +
                     std::string(name) + " (" + cls + ": " + c.ToString() + ")";
  if (c.IsNationalSecurity()) {
    return Status(code, what + " is SECRET or above: never " + std::string(where), "placement_denied");
  }
  if (!c.FitsWithin(env.ceiling)) {
    return Status(code,
                  what + " may not be " + std::string(where) + " environment " + env.id +
                      " (holds at most " + env.ceiling.ToString() + ")",
                  "placement_denied");
  }
  return Status::Ok();
}

Status PlacementPolicy::CheckPlacement(const Environment& env, ItemKind kind,
                                       std::string_view name) const {
  return Check(env, kind, name, StatusCode::kFailedPrecondition, "held in");
}

Status PlacementPolicy::CheckDeployment(const std::vector<std::string>& kept) const {
  for (const auto& record : kept) {
    ACCORD_RETURN_IF_ERROR(Check(deployment(), ItemKind::kRecord, record,
                                 StatusCode::kFailedPrecondition, "kept by this deployment in"));
  }
  return Status::Ok();
}

Status PlacementPolicy::CheckDeployment() const { return CheckDeployment(kept_); }

Status PlacementPolicy::CheckRelease(std::string_view client_id,
                                     std::string_view attribute) const {
  const Environment* env = ServiceEnvironment(client_id);
  if (env == nullptr) {
    return PermissionDenied("attribute " + std::string(attribute) + " not released: service " +
                                std::string(client_id) + " declares no hosting environment",
                            "placement_denied");
  }
  return Check(*env, ItemKind::kAttribute, attribute, StatusCode::kPermissionDenied,
               "released to service " + std::string(client_id) + " in");
}

std::vector<Violation> PlacementPolicy::Violations(const trust::TrustRegistry* registry) const {
  std::vector<Violation> out;
  std::set<std::string> attributes;
  for (const auto& [name, cls] : classification_.attributes()) attributes.insert(name);
  if (registry != nullptr) {
    for (const auto& f : registry->frameworks()) {
      for (const auto& a : f.attributes) {
        attributes.insert(a.name);
        bool high = a.classification == trust::Classification::kHighRisk;
        Classification c = classification_.Classify(ItemKind::kAttribute, a.name);
        if (high && c.sg_sensitivity < SgSensitivity::kSensitiveHigh) {
          out.push_back({"attribute:" + a.name,
                         "trust framework " + f.id + " marks it high-risk but it is classified " +
                             c.ToString()});
        }
      }
    }
    for (const auto& p : registry->policies()) {
      for (const auto& a : p.allowed_attributes) attributes.insert(a.name);
    }
  }
  for (const auto& a : attributes) (void)classification_.Classify(ItemKind::kAttribute, a);
  for (const auto& [name, cls] : classification_.attributes()) {
    if (classification_.classes().at(cls).IsNationalSecurity()) {
      out.push_back({"attribute:" + name, "classified SECRET or above: Accord never holds it"});
    }
  }
  for (const auto& item : classification_.Unclassified()) {
    out.push_back({item, "unclassified: treated as TOP SECRET / Top Secret / Sensitive (High)"});
  }
  for (const auto& record : kept_) {
    Status s = CheckPlacement(deployment(), ItemKind::kRecord, record);
    if (!s.ok()) out.push_back({"record:" + record, s.message()});
  }
  if (registry != nullptr) {
    for (const auto& p : registry->policies()) {
      if (ServiceEnvironment(p.client_id) == nullptr) {
        out.push_back({"service:" + p.client_id, "declares no hosting environment"});
        continue;
      }
      for (const auto& a : p.allowed_attributes) {
        Status s = CheckRelease(p.client_id, a.name);
        if (!s.ok()) out.push_back({"service:" + p.client_id + "/" + a.name, s.message()});
      }
    }
  }
  return out;
}

}  // namespace accord::datasec
