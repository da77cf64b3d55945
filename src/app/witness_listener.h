// Transparency-log witnesses in `accord serve` (docs/audit.md, "Witnesses in `accord serve`";
// docs/demo.md, "Auditing the demo").
//
// 1. A witness listener: a config file whose only section is [witness]:
//
//      [witness]
//      address = "127.0.0.1"        # default 127.0.0.1
//      port = 8083                  # 0: any free port
//      skey_file = "witness-uk.skey"          # cosignature/v1 signer key (secret)
//      state_dir = "witness-uk"               # the latest cosigned checkpoint per log (durable)
//      log_vkey_files = ["audit.vkey"]        # the logs it witnesses (Ed25519 note vkeys)
//
//    serves c2sp.org/tlog-witness add-checkpoint under /witness/ (audit/log_routes.h) plus
//    /healthz /readyz /metrics. Relative paths are relative to the config file.
//
// 2. Required witnesses of the gateway's log, in the provider config's [audit] section:
//
//      [[audit.require_witness]]
//      vkey_file = "witness-uk.vkey"                 # cosignature/v1 verifier key
//      url = "http://127.0.0.1:8083/witness/"        # its tlog-witness submission prefix
//
//    A checkpoint is published only with a cosignature from EVERY listed witness; while one is
//    down or refuses, appends stay durable and the previous checkpoint stays published (the log
//    retries every second; audit/tile_log.h).
//
// Every problem is an InvalidArgument "bad_config" naming the offending key. No key material is
// ever logged. Thread safety: build at start-up, then read-only. Lifetime: a WitnessListener owns
// its storage and witness; the router it filled borrows them, so it must outlive the server.
#ifndef ACCORD_APP_WITNESS_LISTENER_H_
#define ACCORD_APP_WITNESS_LISTENER_H_

#include <memory>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "audit/http_witness_client.h"
#include "audit/posix_log_storage.h"
#include "audit/tile_log.h"
#include "audit/witness.h"
#include "common/status.h"
#include "http/client.h"
#include "http/filters.h"
#include "http/ops.h"
#include "http/server.h"

namespace accord::app {

inline constexpr size_t kMaxRequiredWitnesses = 8;
inline constexpr size_t kMaxWitnessedLogs = 16;

struct WitnessListener {
  std::string label;    // for the start-up line, e.g. witness "witness.uk.demo.example"
  std::string address;  // listen address
  std::unique_ptr<audit::PosixLogStorage> storage;
  std::unique_ptr<audit::Witness> witness;
};

// True when the config's root has a [witness] table.
bool IsWitnessConfig(const toml::table& root);

// Opens the witness of a [witness] config and adds its routes to `router` (plus the operational
// routes); creates the pipeline and the (not yet started) server.
Result<std::unique_ptr<WitnessListener>> BuildWitnessListener(
    const toml::table& root, const std::string& config_dir, http::Router& router,
    http::Registry& registry, http::ReadinessChecks& readiness,
    std::unique_ptr<http::Pipeline>* pipeline, std::unique_ptr<http::Server>* server);

// Reads [[audit.require_witness]] from the [audit] table into options->witnesses, with one
// HttpWitnessClient per witness appended to *clients (which must outlive the log). Sets
// options->on_publish to log each change of publication outcome to stderr.
Status AddRequiredWitnesses(const toml::table& audit, const std::string& config_dir,
                            const http::HttpClient& client, audit::TileLogOptions* options,
                            std::vector<std::unique_ptr<audit::HttpWitnessClient>>* clients);

}  // namespace accord::app

#endif  // ACCORD_APP_WITNESS_LISTENER_H_
