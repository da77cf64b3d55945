#include "datasec/runtime_wiring.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "datasec/sealing_store.h"
#include "trust/registry.h"

namespace accord::datasec {
namespace {

Status KeyError(std::string_view key, std::string_view what) {
  return InvalidArgument("datasec." + std::string(key) + ": " + std::string(what), "bad_config");
}

std::string Resolve(std::string_view base_dir, const std::string& path) {
  if (path.empty() || base_dir.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(base_dir) / path).lexically_normal().string();
}

// t[name] as a string into *out (absent: unchanged). Errors name "datasec.<name>".
Status GetString(const toml::table& t, std::string_view name, std::string* out) {
  const toml::node* n = t.get(name);
  if (n == nullptr) return Status::Ok();
  const auto* s = n->as_string();
  if (s == nullptr) return KeyError(name, "must be a string");
  if (s->get().empty()) return KeyError(name, "must not be empty");
  *out = s->get();
  return Status::Ok();
}

std::string KnownEnvironments(const PlacementPolicy& policy) {
  std::string out;
  for (const auto& e : policy.environments()) out += (out.empty() ? "" : ", ") + e.id;
  return out;
}

}  // namespace

Result<DatasecSettings> ParseDatasecSettings(const toml::table& root, std::string_view base_dir) {
  DatasecSettings s;
  if (const toml::node* node = root.get("datasec")) {
    const toml::table* t = node->as_table();
    if (t == nullptr) return InvalidArgument("datasec: must be a table", "bad_config");
    s.configured = true;
    for (const auto& [k, v] : *t) {
      std::string_view key = k.str();
      if (key != "policy_dir" && key != "environment" && key != "kek_file" && key != "kek_env" &&
          key != "sweep_interval") {
        return KeyError(key, "unknown key");
      }
    }
    ACCORD_RETURN_IF_ERROR(GetString(*t, "policy_dir", &s.policy_dir));
    if (s.policy_dir.empty()) return KeyError("policy_dir", "required");
    s.policy_dir = Resolve(base_dir, s.policy_dir);
    ACCORD_RETURN_IF_ERROR(GetString(*t, "environment", &s.environment));
    ACCORD_RETURN_IF_ERROR(GetString(*t, "kek_file", &s.kek_file));
    ACCORD_RETURN_IF_ERROR(GetString(*t, "kek_env", &s.kek_env));
    if (!s.kek_file.empty() && !s.kek_env.empty()) {
      return KeyError("kek_file", "give at most one of datasec.kek_file and datasec.kek_env");
    }
    s.kek_file = Resolve(base_dir, s.kek_file);
    std::string interval;
    ACCORD_RETURN_IF_ERROR(GetString(*t, "sweep_interval", &interval));
    if (!interval.empty()) {
      auto seconds = ParseDuration(interval);
      if (!seconds.ok() || *seconds > 86400) {
        return KeyError("sweep_interval", "expected a duration from \"1s\" to \"1d\"");
      }
      s.sweep_interval_seconds = *seconds;
    }
  }
  if (s.kek_file.empty() && s.kek_env.empty()) {
    // The provider's own KEK ([keys]; its parser requires exactly one of the two).
    if (const toml::table* keys = root["keys"].as_table()) {
      s.kek_file = Resolve(base_dir, (*keys)["kek_file"].value_or(std::string()));
      s.kek_env = (*keys)["kek_env"].value_or(std::string());
    }
    if (s.kek_file.empty() == s.kek_env.empty()) {
      return KeyError("kek_file", "no KEK: set datasec.kek_file, datasec.kek_env or [keys]");
    }
  }
  return s;
}

Result<std::unique_ptr<KeyRing>> LoadKeyRing(const DatasecSettings& settings) {
  if (!settings.kek_file.empty()) return LoadKeyRingFile(settings.kek_file);
  const char* value = std::getenv(settings.kek_env.c_str());
  if (value == nullptr) {
    return InvalidArgument("environment variable " + settings.kek_env + " is not set", "bad_kek");
  }
  std::string spec(value);
  while (!spec.empty() && (spec.back() == '\n' || spec.back() == ' ')) spec.pop_back();
  // base64url has no ':', so a bare key is the provider's single-KEK format.
  if (spec.find(':') == std::string::npos) spec = "default:" + spec;
  auto ring = ParseKeyRingSpec(spec);
  std::fill(spec.begin(), spec.end(), '\0');
  if (!ring.ok()) {
    return InvalidArgument("environment variable " + settings.kek_env + ": not a KEK ring",
                           "bad_kek");
  }
  return ring;
}

Result<std::unique_ptr<StoreProtection>> StoreProtection::Open(
    const DatasecSettings& settings, const std::vector<std::string>& held_attributes,
    const Clock* clock) {
  std::unique_ptr<StoreProtection> p(new StoreProtection());
  p->settings_ = settings;
  p->clock_ = clock;
  p->interval_ = std::chrono::milliseconds(settings.sweep_interval_seconds * 1000);
  ACCORD_ASSIGN_OR_RETURN(p->keks_, LoadKeyRing(settings));
  if (!settings.configured) return p;
  ACCORD_ASSIGN_OR_RETURN(p->retention_, RetentionPolicy::Load(settings.policy_dir));
  ACCORD_ASSIGN_OR_RETURN(PlacementPolicy policy, PlacementPolicy::Load(settings.policy_dir));
  p->placement_.emplace(std::move(policy));
  const PlacementPolicy& placement = *p->placement_;
  p->environment_ = &placement.deployment();
  if (!settings.environment.empty()) {
    p->environment_ = placement.FindEnvironment(settings.environment);
    if (p->environment_ == nullptr) {
      return KeyError("environment", "unknown environment \"" + settings.environment +
                                         "\" (known: " + KnownEnvironments(placement) + ")");
    }
  }
  const std::string prefix =
      "this store's environment " + p->environment_->id + " cannot hold what it keeps: ";
  for (const auto& record : placement.kept_records()) {
    Status s = placement.CheckPlacement(*p->environment_, ItemKind::kRecord, record);
    if (!s.ok()) return FailedPrecondition(prefix + s.message(), "placement_denied");
  }
  for (const auto& attribute : held_attributes) {
    Status s = placement.CheckPlacement(*p->environment_, ItemKind::kAttribute, attribute);
    if (!s.ok()) return FailedPrecondition(prefix + s.message(), "placement_denied");
  }
  return p;
}

StoreProtection::~StoreProtection() { StopReload(); }

std::unique_ptr<store::Store> StoreProtection::Seal(std::unique_ptr<store::Store> inner) const {
  return std::make_unique<SealingStore>(std::move(inner), keks_.get(), retention_, clock_);
}

std::vector<std::string> StoreProtection::Report(const trust::TrustRegistry* registry) const {
  std::vector<std::string> lines;
  lines.push_back("fields sealed under KEK " + keks_->CurrentKekId() + " (" +
                  std::to_string(keks_->Ids().size()) + " held)");
  if (!placement_) {
    lines.push_back("no [datasec] section: placement policy not checked");
    return lines;
  }
  lines.push_back("store environment " + environment_->id + " holds at most " +
                  environment_->ceiling.ToString());
  std::vector<Violation> violations = placement_->Violations(registry);
  for (const auto& item : placement_->classification().Unclassified()) {
    lines.push_back("unclassified " + item + ": treated as TOP SECRET / Top Secret / "
                    "Sensitive (High), never placed or released");
  }
  for (const auto& v : violations) {
    if (v.message.rfind("unclassified", 0) == 0) continue;  // listed above
    lines.push_back("policy violation " + v.subject + ": " + v.message);
  }
  return lines;
}

void StoreProtection::StartReload() {
  if (settings_.kek_file.empty() || reload_thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  reload_thread_ = std::thread([this] { ReloadLoop(); });
}

void StoreProtection::StopReload() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (reload_thread_.joinable()) reload_thread_.join();
}

void StoreProtection::ReloadLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
    lock.unlock();
    if (!ReloadKeyRingFile(settings_.kek_file, keks_.get()).ok()) ++reload_failures_;
    lock.lock();
  }
}

Result<std::unique_ptr<StoreProtection>> OpenStoreProtection(const toml::table& root,
                                                             std::string_view base_dir,
                                                             const Clock* clock) {
  ACCORD_ASSIGN_OR_RETURN(DatasecSettings settings, ParseDatasecSettings(root, base_dir));
  std::vector<std::string> held;
  if (settings.configured && root.get("broker") != nullptr) {
    std::string trust_dir =
        Resolve(base_dir, root["broker"]["trust_dir"].value_or(std::string("../data/trust")));
    ACCORD_ASSIGN_OR_RETURN(trust::TrustRegistry registry, trust::TrustRegistry::Load(trust_dir));
    std::set<std::string> names;
    for (const auto& f : registry.frameworks()) {
      for (const auto& a : f.attributes) names.insert(a.name);
    }
    held.assign(names.begin(), names.end());
  }
  return StoreProtection::Open(settings, held, clock);
}

}  // namespace accord::datasec
