// Data security for a running provider (`accord serve`, docs/security.md "Wiring into serve"):
// the [datasec] section of a provider config, the KEK ring that seals its store, the start-up
// placement check, and the background KEK-file reload.
//
// Config (provider TOML; every key optional except policy_dir when the section is present):
//   [datasec]
//   policy_dir    = "../../data/datasec"      # classification/environments/retention.toml
//   environment   = "sg-geofenced-dedicated"  # where THIS store runs (default: [deployment])
//   kek_file      = "..."                     # KEK ring file (kek_provider.h format, 0600) ...
//   kek_env       = "ACCORD_FIELD_KEKS"       # ... or variable "id:b64u[,id:b64u...]"
//   sweep_interval = "60s"                    # retention sweeper and KEK-file reload cadence
// Without kek_file/kek_env the provider's own [keys] kek_file / kek_env is the ring's only KEK
// ("default"). Give [datasec] its own kek_file to rotate with `accord keys rotate-kek` (a rotated
// file holds several KEKs, which [keys] cannot read). Without a [datasec] section the store is
// still sealed (default retention) but no placement policy is checked (Report() says so).
//
// Start-up (StoreProtection::Open): every record type the deployment keeps and every attribute
// the store's sessions may hold must fit the store's environment, else FailedPrecondition
// "placement_denied" naming the record type / attribute, its class and the environment: the
// server must refuse to start.
//
// Lifetime: a StoreProtection must outlive every store Seal() returned and every thread using
// them. Thread safety: after Open, const methods are safe concurrently; StartReload/StopReload
// from one thread.
#ifndef ACCORD_DATASEC_RUNTIME_WIRING_H_
#define ACCORD_DATASEC_RUNTIME_WIRING_H_

#include <toml++/toml.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "datasec/kek_provider.h"
#include "datasec/placement.h"
#include "datasec/retention.h"
#include "store/store.h"

namespace accord::trust {
class TrustRegistry;
}

namespace accord::datasec {

struct DatasecSettings {
  bool configured = false;   // a [datasec] section was present
  std::string policy_dir;    // resolved against the config's directory
  std::string environment;   // "" = environments.toml [deployment].environment
  std::string kek_file;      // KEK ring file, or the provider's [keys] kek_file
  std::string kek_env;       // variable name, or the provider's [keys] kek_env
  int64_t sweep_interval_seconds = 60;
};

// Reads root["datasec"] (optional) and the [keys] fallback. Relative paths resolve against
// `base_dir`. Errors: InvalidArgument "bad_config", "datasec.<key>: <problem>".
Result<DatasecSettings> ParseDatasecSettings(const toml::table& root, std::string_view base_dir);

// Reads a KEK ring from `kek_file` or the variable `kek_env` (exactly one set). A variable
// holding one bare base64url key (the provider's kek_env format) is KEK "default".
Result<std::unique_ptr<KeyRing>> LoadKeyRing(const DatasecSettings& settings);

class StoreProtection {
 public:
  // `held_attributes`: attributes this provider's sessions may hold (the trust frameworks'
  // attributes for the gateway; empty for a sandbox). `clock` must outlive the object.
  static Result<std::unique_ptr<StoreProtection>> Open(
      const DatasecSettings& settings, const std::vector<std::string>& held_attributes,
      const Clock* clock);
  ~StoreProtection();  // StopReload()s

  // The SealingStore over `inner` (personal-data fields sealed, retention clamps applied).
  std::unique_ptr<store::Store> Seal(std::unique_ptr<store::Store> inner) const;

  // Lines to print at start-up: the environment, unclassified items (treated as most
  // restrictive) and every other violation of the policy; no personal data, no key bytes.
  std::vector<std::string> Report(const trust::TrustRegistry* registry) const;

  // Re-reads the KEK file every sweep interval so a KEK staged by `accord keys rotate-kek
  // --stage` reaches this server before anything is sealed under it (never drops a KEK).
  // No-op for an environment-variable ring.
  void StartReload();
  void StopReload();

  const PlacementPolicy* placement() const { return placement_ ? &*placement_ : nullptr; }
  const Environment* environment() const { return environment_; }
  const KeyRing& keks() const { return *keks_; }
  const RetentionPolicy& retention() const { return retention_; }
  std::chrono::milliseconds sweep_interval() const { return interval_; }
  int64_t reload_failures() const { return reload_failures_.load(); }

 private:
  StoreProtection() = default;
  void ReloadLoop();

  DatasecSettings settings_;
  std::unique_ptr<KeyRing> keks_;
  RetentionPolicy retention_;
  std::optional<PlacementPolicy> placement_;
  const Environment* environment_ = nullptr;  // points into *placement_
  const Clock* clock_ = nullptr;
  std::chrono::milliseconds interval_{60000};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread reload_thread_;
  std::atomic<int64_t> reload_failures_{0};
};

// What `accord serve` calls for each provider config, before its store is opened: the settings
// (ParseDatasecSettings), and, for the gateway (a [broker] section), the attributes its sessions
// hold: every attribute of the trust frameworks in [broker] trust_dir (default ../data/trust).
Result<std::unique_ptr<StoreProtection>> OpenStoreProtection(const toml::table& root,
                                                             std::string_view base_dir,
                                                             const Clock* clock);

}  // namespace accord::datasec

#endif  // ACCORD_DATASEC_RUNTIME_WIRING_H_
