// `accord consents list|revoke --config GATEWAY.toml`: the gateway's consent records for operators
// (docs/consents.md).
//
//   accord consents list   --config F [--client ID] [--subject SUB] [--limit N] [--json]
//   accord consents revoke --config F (--subject SUB --client ID | --consent CONSENT_ID)
//
// The store is opened as `accord serve` opens it (the config's [store], sealed by [datasec]).
// Subjects are the broker's local subjects ("b:" + HMAC): no personal data is printed.
// revoke has the effect of the person's "withdraw" on /consents (oidc/broker/consent_admin.h):
// the store revokes (erasing the sealed snapshot), and a consent_revoked event goes to the
// gateway's transparency log ([audit]). The log has a single writer, so revoke refuses to run
// while the gateway answers at its listen address (stop it first).
// Exit codes: 0 done, 1 not found / refused / store or log failure, 2 usage or config errors.
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/json.hpp>
#include <toml++/toml.h>

#include "app/commands.h"
#include "audit/audit_sink.h"
#include "audit/note_keys.h"
#include "audit/posix_log_storage.h"
#include "audit/tile_log.h"
#include "datasec/runtime_wiring.h"
#include "http/client.h"
#include "oidc/broker/consent_admin.h"
#include "oidc/provider/runtime.h"

namespace accord::app {
namespace {

struct ConsentArgs {
  std::string config, client, subject, consent_id;
  int limit = 1000;
  bool json = false;
};

ConsentArgs& Args() {
  static ConsentArgs* args = new ConsentArgs();
  return *args;
}

int Fail(int code, std::string_view what) {
  std::cerr << "accord consents: " << what << "\n";
  return code;
}

std::string Resolve(const std::string& dir, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute() || dir.empty()) return path;
  return (std::filesystem::path(dir) / path).lexically_normal().string();
}

std::string IsoTime(int64_t seconds) {
  if (seconds == 0) return "-";
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

// Everything a consents command needs, opened as `accord serve` opens it.
struct Gateway {
  toml::table root;
  std::string dir;
  std::unique_ptr<datasec::StoreProtection> protection;
  std::unique_ptr<oidc::ProviderRuntime> runtime;
  std::unique_ptr<oidc::Provider> provider;
  std::unique_ptr<audit::PosixLogStorage> log_storage;
  std::unique_ptr<audit::TileLog> log;
  std::unique_ptr<audit::TileLogAuditSink> sink;

  ~Gateway() {
    sink.reset();
    log.reset();  // closes the log (pending appends are already durable: Record waits)
  }
};

Status OpenGateway(const std::string& path, Gateway* g) {
  try {
    g->root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(path + ": " + std::string(e.description()), "bad_config");
  }
  g->dir = std::filesystem::path(path).parent_path().string();
  if (g->root["upstreams"].as_array() == nullptr) {
    return InvalidArgument(path + ": not a gateway config (no [[upstreams]])", "bad_config");
  }
  const Clock& clock = SystemClock::Instance();
  ACCORD_ASSIGN_OR_RETURN(datasec::DatasecSettings settings,
                          datasec::ParseDatasecSettings(g->root, g->dir));
  ACCORD_ASSIGN_OR_RETURN(g->protection, datasec::StoreProtection::Open(settings, {}, &clock));
  const datasec::StoreProtection* protection = g->protection.get();
  ACCORD_ASSIGN_OR_RETURN(
      g->runtime,
      oidc::ProviderRuntime::Open(path, false, clock, [protection](auto inner) {
        return protection->Seal(std::move(inner));
      }));
  oidc::ProviderDeps deps{&g->runtime->config,        g->runtime->store.get(),
                          g->runtime->keys.get(),     g->runtime->authenticator.get(),
                          &clock,                     &g->runtime->kek};
  ACCORD_ASSIGN_OR_RETURN(g->provider, oidc::Provider::Create(deps));
  return Status::Ok();
}

// The gateway's transparency log ([audit] dir, skey_file), as serve opens it.
Status OpenLog(Gateway* g) {
  const toml::table* audit = g->root["audit"].as_table();
  if (audit == nullptr) return Status::Ok();
  std::string dir = Resolve(g->dir, (*audit)["dir"].value_or(std::string()));
  std::string skey_file = Resolve(g->dir, (*audit)["skey_file"].value_or(std::string()));
  if (dir.empty() || skey_file.empty()) {
    return InvalidArgument("audit: dir and skey_file are required", "bad_config");
  }
  std::ifstream in(skey_file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string skey = ss.str();
  while (!skey.empty() && (skey.back() == '\n' || skey.back() == '\r')) skey.pop_back();
  auto vkey = audit::VerifierKeyFromSignerKey(skey);
  if (!in || !vkey.ok()) return InvalidArgument("audit.skey_file: not a signer key", "bad_config");
  std::filesystem::create_directories(dir);
  ACCORD_ASSIGN_OR_RETURN(g->log_storage, audit::PosixLogStorage::Open(dir));
  audit::TileLogOptions options;
  options.origin = vkey->substr(0, vkey->find('+'));
  ACCORD_ASSIGN_OR_RETURN(options.signer, audit::NewNoteSigner(skey));
  ACCORD_ASSIGN_OR_RETURN(options.verifier, audit::NewNoteVerifier(*vkey));
  ACCORD_ASSIGN_OR_RETURN(g->log, audit::TileLog::Open(g->log_storage.get(), std::move(options)));
  g->sink = std::make_unique<audit::TileLogAuditSink>(g->log.get());
  return Status::Ok();
}

// True when something answers /healthz at the gateway's listen address.
bool GatewayRunning(const oidc::ProviderConfig& config) {
  auto client = http::HttpClient::Create();
  if (!client.ok()) return false;
  http::ClientRequest request;
  request.url = std::string(config.tls() ? "https://" : "http://") + config.listen_address + ":" +
                std::to_string(config.listen_port) + "/healthz";
  request.connect_timeout = std::chrono::milliseconds(500);
  request.total_timeout = std::chrono::milliseconds(1000);
  auto response = (*client)->Fetch(request);
  return response.ok();
}

boost::json::object ToJson(const oidc::broker::ConsentView& v) {
  boost::json::array attributes, scopes;
  for (const auto& a : v.attributes) attributes.emplace_back(a);
  for (const auto& s : v.scopes) scopes.emplace_back(s);
  boost::json::object o{{"consent_id", v.consent_id},
                        {"client_id", v.client_id},
                        {"subject", v.subject},
                        {"scopes", std::move(scopes)},
                        {"attributes", std::move(attributes)},
                        {"granted_at", IsoTime(v.granted_at)}};
  o["revoked_at"] = v.revoked_at == 0 ? boost::json::value(nullptr)
                                      : boost::json::value(IsoTime(v.revoked_at));
  return o;
}

int RunList(const ConsentArgs& a) {
  Gateway g;
  if (Status s = OpenGateway(a.config, &g); !s.ok()) return Fail(2, s.message());
  oidc::broker::ConsentAdmin admin(*g.runtime->store, SystemClock::Instance(), *g.provider,
                                   g.runtime->kek, nullptr);
  auto list = admin.List(a.client, a.subject, a.limit);
  if (!list.ok()) return Fail(1, list.status().message());
  if (a.json) {
    boost::json::array out;
    for (const auto& v : *list) out.emplace_back(ToJson(v));
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  std::cout << "consent_id\tclient_id\tsubject\tattributes\tgranted_at\trevoked_at\n";
  for (const auto& v : *list) {
    std::cout << v.consent_id << "\t" << v.client_id << "\t" << v.subject << "\t"
              << (v.attributes.empty() ? "-" : Join(v.attributes, ",")) << "\t"
              << IsoTime(v.granted_at) << "\t" << IsoTime(v.revoked_at) << "\n";
  }
  return 0;
}

int RunRevoke(const ConsentArgs& a) {
  bool by_id = !a.consent_id.empty();
  if (by_id == (!a.subject.empty() || !a.client.empty()) ||
      (!by_id && (a.subject.empty() || a.client.empty()))) {
    return Fail(2, "give --consent ID, or both --subject and --client");
  }
  Gateway g;
  if (Status s = OpenGateway(a.config, &g); !s.ok()) return Fail(2, s.message());
  if (g.root["audit"].as_table() != nullptr && GatewayRunning(g.runtime->config)) {
    return Fail(1, "the gateway is running and is its transparency log's only writer: stop it, "
                   "or let the person withdraw on /consents");
  }
  if (Status s = OpenLog(&g); !s.ok()) return Fail(2, s.message());
  oidc::broker::ConsentAdmin admin(*g.runtime->store, SystemClock::Instance(), *g.provider,
                                   g.runtime->kek, g.sink.get());
  auto revoked = by_id ? admin.RevokeById(a.consent_id) : admin.Revoke(a.subject, a.client);
  if (!revoked.ok()) {
    if (revoked.status().reason() == "not_found") return Fail(1, "no live consent matches");
    return Fail(1, revoked.status().message());
  }
  std::cout << "revoked " << revoked->consent_id << " (" << revoked->client_id << ")\n";
  return 0;
}

void Register(CLI::App& app) {
  CLI::App* consents = app.add_subcommand("consents", "The gateway's consent records");
  consents->require_subcommand(1);
  CLI::App* list = consents->add_subcommand("list", "List consents (no personal data)");
  list->add_option("--config", Args().config, "Gateway config file (TOML)")->required();
  list->add_option("--client", Args().client, "Only this service's consents");
  list->add_option("--subject", Args().subject, "Only this local subject's consents");
  list->add_option("--limit", Args().limit, "At most this many (1..1000)")
      ->check(CLI::Range(1, 1000));
  list->add_flag("--json", Args().json, "One JSON array");
  list->callback([] { SetCommandAction([] { return RunList(Args()); }); });
  CLI::App* revoke = consents->add_subcommand("revoke", "Withdraw a consent, as the person can");
  revoke->add_option("--config", Args().config, "Gateway config file (TOML)")->required();
  revoke->add_option("--subject", Args().subject, "Local subject (with --client)");
  revoke->add_option("--client", Args().client, "Service client_id (with --subject)");
  revoke->add_option("--consent", Args().consent_id, "Consent id (from list)");
  revoke->callback([] { SetCommandAction([] { return RunRevoke(Args()); }); });
}

const CommandRegistrar kRegistrar("consents", &Register);

}  // namespace
}  // namespace accord::app
