// `accord serve --config FILE [--config FILE ...]`: runs OpenID Providers and demo services until
// SIGINT/SIGTERM (docs/provider.md, docs/demo.md).
//
// Each --config is one listener:
//   - a provider config (docs/provider.md): Accord's OpenID Provider, or a sandbox national
//     provider (`profile = "onelogin" | "singpass"`). A provider config with [[upstreams]] and
//     [broker] is the gateway: its sign-in goes upstream through the connectors, is mapped by the
//     trust registry and released after consent (oidc/broker).
//   - a demo service config ([demo_service], src/demo): a relying party signing people in
//     through Accord.
//   - a witness config ([witness], app/witness_listener.h): a transparency-log witness cosigning
//     the checkpoints of the logs it names (the demo runs the UK's and Singapore's).
// Providers whose configs name the same SQLite file share one Store. Wiring per provider:
// config -> KEK -> Store -> KeyManager (keys created at first start) -> Authenticator (sandbox
// people, or the broker) -> back-channel logout worker -> Provider routes + /healthz /readyz
// /metrics + GOV.UK assets + journeys -> default filter chain -> http::Server. Prints one line per
// listener; logs no secrets or personal data.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include <toml++/toml.h>

#include "app/commands.h"
#include "app/store_metrics.h"
#include "app/witness_listener.h"
#include "audit/audit_sink.h"
#include "audit/change_recorder.h"
#include "audit/log_routes.h"
#include "audit/note_keys.h"
#include "audit/posix_log_storage.h"
#include "audit/tile_log.h"
#include "common/clock.h"
#include "datasec/retention.h"
#include "datasec/runtime_wiring.h"
#include "demo/demo_service.h"
#include "http/client.h"
#include "http/filters.h"
#include "http/ops.h"
#include "http/server.h"
#include "journeys/api.h"
#include "journeys/catalogue.h"
#include "oidc/broker/broker.h"
#include "oidc/broker/release_guard.h"
#include "oidc/connectors/config.h"
#include "oidc/provider/jwks_cache.h"
#include "oidc/provider/provider.h"
#include "oidc/provider/runtime.h"
#include "trust/registry.h"
#include "web/assets.h"

namespace accord::app {
namespace {

std::vector<std::string> g_config_paths;

// One listener and everything it owns.
struct Instance {
  std::string label;
  std::unique_ptr<datasec::StoreProtection> datasec;  // seals runtime->store: outlives it
  std::unique_ptr<oidc::ProviderRuntime> runtime;
  std::unique_ptr<datasec::RetentionSweeper> sweeper;  // over runtime->store
  std::unique_ptr<oidc::JwksCache> jwks_cache;
  std::unique_ptr<oidc::BackchannelLogoutWorker> logout_worker;
  std::optional<trust::TrustRegistry> trust;
  std::unique_ptr<audit::PosixLogStorage> log_storage;
  std::vector<std::unique_ptr<audit::HttpWitnessClient>> witness_clients;  // [audit] require_witness
  std::unique_ptr<audit::TileLog> log;
  std::unique_ptr<audit::TileLogAuditSink> audit_sink;
  std::string audit_dir, trust_dir;
  // key_rotated / policy_changed into the log (audit/change_recorder.h); stops before the log.
  std::unique_ptr<audit::ChangeRecorder> change_recorder;
  std::unique_ptr<oidc::broker::Broker> broker;
  std::unique_ptr<oidc::broker::ReleaseGuard> release_guard;  // placement check before consent
  std::unique_ptr<oidc::Provider> provider;
  std::unique_ptr<demo::DemoService> demo;
  std::unique_ptr<WitnessListener> witness;  // a [witness] config (app/witness_listener.h)
  std::optional<journeys::Catalogue> catalogue;
  http::Router router;
  http::Registry registry;
  http::ReadinessChecks readiness;
  std::unique_ptr<http::Pipeline> pipeline;
  std::unique_ptr<http::Server> server;
};

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read config file " + path, "bad_config");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Resolve(const std::string& dir, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute() || dir.empty()) return path;
  return (std::filesystem::path(dir) / path).lexically_normal().string();
}

Status AddWebRoutes(Instance& in, const std::string& config_dir, bool journeys) {
  ACCORD_ASSIGN_OR_RETURN(std::string assets_dir, web::ResolveAssetsDir("", config_dir));
  ACCORD_RETURN_IF_ERROR(web::AddAssetRoutes(in.router, assets_dir));
  if (!journeys) return Status::Ok();
  std::string data_dir = web::FindUnderRoots("data", config_dir);
  ACCORD_ASSIGN_OR_RETURN(journeys::Catalogue catalogue,
                          journeys::Catalogue::Load(data_dir.empty() ? "data" : data_dir));
  in.catalogue.emplace(std::move(catalogue));
  return journeys::AddJourneyRoutes(in.router, *in.catalogue);
}

// The gateway's transparency log ([audit] dir, skey_file): every release, consent grant and
// revocation is appended (durably) before it happens, and the log is served read-only under /log/.
Status OpenAuditLog(Instance& in, const toml::table& root, const std::string& config_dir,
                    const http::HttpClient& client) {
  const toml::table* audit = root["audit"].as_table();
  if (audit == nullptr) return Status::Ok();
  std::string dir = Resolve(config_dir, (*audit)["dir"].value_or(std::string()));
  std::string skey_file = Resolve(config_dir, (*audit)["skey_file"].value_or(std::string()));
  if (dir.empty() || skey_file.empty()) {
    return InvalidArgument("audit: dir and skey_file are required", "bad_config");
  }
  ACCORD_ASSIGN_OR_RETURN(std::string skey, ReadFile(skey_file));
  while (!skey.empty() && (skey.back() == '\n' || skey.back() == '\r')) skey.pop_back();
  auto vkey = audit::VerifierKeyFromSignerKey(skey);
  if (!vkey.ok()) return InvalidArgument("audit.skey_file: not a signed-note signer key", "bad_config");
  std::filesystem::create_directories(dir);
  in.audit_dir = dir;
  ACCORD_ASSIGN_OR_RETURN(in.log_storage, audit::PosixLogStorage::Open(dir));
  audit::TileLogOptions options;
  options.origin = vkey->substr(0, vkey->find('+'));
  ACCORD_ASSIGN_OR_RETURN(options.signer, audit::NewNoteSigner(skey));
  ACCORD_ASSIGN_OR_RETURN(options.verifier, audit::NewNoteVerifier(*vkey));
  ACCORD_RETURN_IF_ERROR(AddRequiredWitnesses(*audit, config_dir, client, &options, &in.witness_clients));
  ACCORD_ASSIGN_OR_RETURN(in.log, audit::TileLog::Open(in.log_storage.get(), std::move(options)));
  in.audit_sink = std::make_unique<audit::TileLogAuditSink>(in.log.get());
  return audit::AddLogRoutes(in.router, *in.log);
}

// The gateway's broker: [[upstreams]] through the connectors, [broker] trust_dir.
Status BuildBroker(Instance& in, const toml::table& root, const std::string& config_dir,
                   std::shared_ptr<const http::HttpClient> client, const Clock& clock) {
  const toml::array* ups = root["upstreams"].as_array();
  if (ups == nullptr) return Status::Ok();
  ACCORD_ASSIGN_OR_RETURN(auto upstreams, oidc::connectors::ParseUpstreams(*ups, config_dir));
  std::string trust_dir = Resolve(config_dir, root["broker"]["trust_dir"].value_or(
                                                  std::string("../data/trust")));
  ACCORD_ASSIGN_OR_RETURN(trust::TrustRegistry registry, trust::TrustRegistry::Load(trust_dir));
  in.trust.emplace(std::move(registry));
  in.trust_dir = trust_dir;
  oidc::broker::BrokerDeps deps;
  deps.store = in.runtime->store.get();
  deps.clock = &clock;
  deps.trust = &*in.trust;
  deps.root_secret = &in.runtime->kek;
  deps.secure_cookies = in.runtime->config.tls();
  ACCORD_RETURN_IF_ERROR(OpenAuditLog(in, root, config_dir, *client));
  deps.audit = in.audit_sink.get();
  for (auto& u : upstreams) {
    ACCORD_ASSIGN_OR_RETURN(auto connector,
                            oidc::connectors::MakeConnector(std::move(u), {client, &clock}));
    deps.connectors.push_back(std::move(connector));
  }
  ACCORD_ASSIGN_OR_RETURN(in.broker, oidc::broker::Broker::Create(std::move(deps)));
  return Status::Ok();
}

Status BuildProvider(Instance& in, const std::string& path, const toml::table& root,
                     std::shared_ptr<const http::HttpClient> client, const Clock& clock) {
  const std::string config_dir = std::filesystem::path(path).parent_path().string();
  // Data security ([datasec], datasec/runtime_wiring.h): placement checked before the store is
  // opened (refuses to start), the store sealed before the KeyManager references it, retention.
  ACCORD_ASSIGN_OR_RETURN(in.datasec, datasec::OpenStoreProtection(root, config_dir, &clock));
  ACCORD_ASSIGN_OR_RETURN(in.runtime,
                          oidc::ProviderRuntime::Open(
                              path, true, clock,
                              [&in](auto s) { return in.datasec->Seal(std::move(s)); },
                              /*serving=*/true));
  oidc::ProviderRuntime& r = *in.runtime;
  in.sweeper = std::make_unique<datasec::RetentionSweeper>(r.store.get(), &clock,
                                                           in.datasec->sweep_interval());
  in.label = "issuer " + r.config.issuer;
  in.jwks_cache = std::make_unique<oidc::JwksCache>(oidc::JwksCache::HttpFetcher(client), clock);
  // Back-channel logout deliveries run on their own thread, never in a request.
  in.logout_worker = std::make_unique<oidc::BackchannelLogoutWorker>(
      *r.store, clock, oidc::BackchannelLogoutWorker::HttpPoster(client));
  ACCORD_RETURN_IF_ERROR(BuildBroker(in, root, config_dir, client, clock));
  oidc::ProviderDeps deps{&r.config,
                          r.store.get(),
                          r.keys.get(),
                          in.broker ? static_cast<const oidc::Authenticator*>(in.broker.get())
                                    : r.authenticator.get(),
                          &clock,
                          &r.kek,
                          in.jwks_cache.get()};
  deps.logout_worker = in.logout_worker.get();
  deps.metrics = &in.registry;  // per-client token and error counters
  if (in.broker) {
    deps.claims_source = in.broker.get();
    deps.consent_gate = in.broker.get();
    if (const datasec::PlacementPolicy* placement = in.datasec->placement()) {
      ACCORD_ASSIGN_OR_RETURN(in.release_guard, oidc::broker::ReleaseGuard::Create(
                                                    {in.broker.get(), placement, &*in.trust,
                                                     in.audit_sink.get(), &clock}));
      deps.consent_gate = in.release_guard.get();
    }
  }
  for (const std::string& line : in.datasec->Report(in.trust ? &*in.trust : nullptr)) {
    std::cerr << "accord serve: " << in.label << ": datasec: " << line << "\n";
  }
  ACCORD_ASSIGN_OR_RETURN(in.provider, oidc::Provider::Create(deps));
  if (in.audit_sink) {
    // The gateway's signing keys and trust policy, logged when first seen (fail closed at start).
    audit::ChangeRecorder::Options changes;
    changes.state_file = (std::filesystem::path(in.audit_dir) / "recorded-changes.json").string();
    changes.policy_dir = in.trust_dir;
    oidc::KeyManager* keys = r.keys.get();
    changes.list_kids = [keys]() -> Result<std::vector<std::string>> {
      ACCORD_ASSIGN_OR_RETURN(std::vector<oidc::KeyInfo> infos, keys->List());
      std::vector<std::string> kids;
      for (const oidc::KeyInfo& k : infos) kids.push_back(k.kid);
      return kids;
    };
    const datasec::KeyRing* keks = &in.datasec->keks();  // reloaded in place (StartReload)
    changes.current_kek_id = [keks]() -> Result<std::string> { return keks->CurrentKekId(); };
    ACCORD_ASSIGN_OR_RETURN(in.change_recorder, audit::ChangeRecorder::Start(
                                                    std::move(changes), in.audit_sink.get(), &clock));
  }
  if (in.broker) {
    in.broker->Attach(in.provider.get());
    if (in.release_guard) in.release_guard->Attach(in.provider.get());
    ACCORD_RETURN_IF_ERROR(in.broker->AddRoutes(in.router));
  }
  store::Store* store = r.store.get();
  in.readiness.Add("store", [store] { return store->CheckHealth(); });
  AddStoreMetrics(in.registry, *store);  // write batching, group syncs, checkpoints
  ACCORD_RETURN_IF_ERROR(in.provider->AddRoutes(in.router));
  ACCORD_RETURN_IF_ERROR(http::AddOperationalRoutes(in.router, in.registry, in.readiness));
  // GOV.UK Frontend assets under /assets/; the journeys API and pages on Accord itself.
  ACCORD_RETURN_IF_ERROR(AddWebRoutes(in, config_dir, r.config.profile == "accord"));
  http::DefaultFilterOptions filter_options;
  filter_options.security.tls = r.config.tls();
  in.pipeline = std::make_unique<http::Pipeline>(
      in.router, http::DefaultFilters(in.router, in.registry, filter_options));
  http::ServerOptions options;
  options.address = r.config.listen_address;
  options.port = r.config.listen_port;
  options.threads = r.config.threads;
  options.worker_threads = r.config.worker_threads;
  options.handler_concurrency = r.config.handler_concurrency;
  options.metrics = &in.registry;
  if (r.config.tls()) options.tls = http::TlsOptions{r.config.tls_cert_file, r.config.tls_key_file};
  ACCORD_ASSIGN_OR_RETURN(in.server, http::Server::Create(options, *in.pipeline));
  return Status::Ok();
}

Status BuildDemo(Instance& in, const std::string& path, std::string_view text,
                 std::shared_ptr<const http::HttpClient> client, const Clock& clock) {
  const std::string config_dir = std::filesystem::path(path).parent_path().string();
  ACCORD_ASSIGN_OR_RETURN(demo::DemoServiceConfig config,
                          demo::ParseDemoServiceConfig(text, config_dir));
  in.label = "demo service \"" + config.name + "\"";
  http::ServerOptions options;
  options.address = config.address;
  options.port = config.port;
  options.threads = 1;
  options.metrics = &in.registry;
  ACCORD_ASSIGN_OR_RETURN(in.demo, demo::DemoService::Create(std::move(config), {client, &clock}));
  ACCORD_RETURN_IF_ERROR(in.demo->AddRoutes(in.router));
  ACCORD_RETURN_IF_ERROR(http::AddOperationalRoutes(in.router, in.registry, in.readiness));
  ACCORD_RETURN_IF_ERROR(AddWebRoutes(in, config_dir, false));
  in.pipeline = std::make_unique<http::Pipeline>(
      in.router, http::DefaultFilters(in.router, in.registry, http::DefaultFilterOptions{}));
  ACCORD_ASSIGN_OR_RETURN(in.server, http::Server::Create(options, *in.pipeline));
  return Status::Ok();
}

Status Build(Instance& in, const std::string& path,
             std::shared_ptr<const http::HttpClient> client, const Clock& clock) {
  ACCORD_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  if (demo::IsDemoServiceConfig(text)) return BuildDemo(in, path, text, client, clock);
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(path + ": " + std::string(e.description()), "bad_config");
  }
  if (IsWitnessConfig(root)) {  // a transparency-log witness ([witness])
    const std::string config_dir = std::filesystem::path(path).parent_path().string();
    ACCORD_ASSIGN_OR_RETURN(in.witness, BuildWitnessListener(root, config_dir, in.router, in.registry,
                                                             in.readiness, &in.pipeline, &in.server));
    in.label = in.witness->label;
    return Status::Ok();
  }
  return BuildProvider(in, path, root, std::move(client), clock);
}

int RunServe() {
  const Clock& clock = SystemClock::Instance();
  auto http_client = http::HttpClient::Create();
  if (!http_client.ok()) {
    std::cerr << "accord serve: " << http_client.status().message() << "\n";
    return 1;
  }
  std::shared_ptr<const http::HttpClient> client(std::move(*http_client));
  std::vector<std::unique_ptr<Instance>> instances;
  for (const std::string& path : g_config_paths) {
    auto in = std::make_unique<Instance>();
    Status built = Build(*in, path, client, clock);
    if (!built.ok()) {
      std::cerr << "accord serve: " << path << ": " << built.message() << "\n";
      return 1;
    }
    instances.push_back(std::move(in));
  }
  for (const auto& in : instances) {
    std::cout << "accord serve: " << in->label << " listening on "
              << (in->server->tls() ? "https://" : "http://")
              << (in->runtime ? in->runtime->config.listen_address
                  : in->demo ? in->demo->config().address : in->witness->address)
              << ":" << in->server->port() << std::endl;
    if (in->logout_worker) in->logout_worker->Start();
    if (in->sweeper) in->sweeper->Start();
    if (in->datasec) in->datasec->StartReload();
  }
  // The first listener waits for the signal; the others are started and stopped around it.
  for (size_t i = 1; i < instances.size(); ++i) instances[i]->server->Start();
  Status ran = instances[0]->server->RunUntilSignal();
  for (size_t i = 1; i < instances.size(); ++i) instances[i]->server->Stop();
  for (size_t i = 1; i < instances.size(); ++i) instances[i]->server->Wait();
  for (const auto& in : instances) {
    if (in->logout_worker) in->logout_worker->Stop();
    if (in->sweeper) in->sweeper->Stop();
    if (in->datasec) in->datasec->StopReload();
    if (in->log) in->log->Close();
  }
  if (!ran.ok()) {
    std::cerr << "accord serve: " << ran.message() << "\n";
    return 1;
  }
  std::cout << "accord serve: stopped" << std::endl;
  return 0;
}

void Register(CLI::App& app) {
  CLI::App* serve = app.add_subcommand(
      "serve", "Run OpenID Providers (gateway, sandboxes) and demo services, one per --config");
  serve->add_option("--config", g_config_paths,
                    "Provider or demo-service config file (TOML); repeat for several listeners")
      ->required();
  serve->callback([] { SetCommandAction(RunServe); });
}

const CommandRegistrar kRegistrar("serve", &Register);

}  // namespace
}  // namespace accord::app
