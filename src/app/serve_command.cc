// `accord serve --config FILE`: runs the OpenID Provider (docs/provider.md) until SIGINT/SIGTERM.
//
// Wiring: config -> KEK -> Store -> KeyManager (keys created at first start) -> sandbox
// Authenticator -> Provider routes + /healthz /readyz /metrics -> default filter chain ->
// http::Server. Prints one line with the URL it listens on; logs no secrets or personal data.
#include <iostream>

#include "app/commands.h"
#include "common/clock.h"
#include "http/client.h"
#include "http/filters.h"
#include "http/ops.h"
#include "http/server.h"
#include "oidc/provider/jwks_cache.h"
#include "oidc/provider/provider.h"
#include "oidc/provider/runtime.h"

namespace accord::app {
namespace {

std::string g_config_path;

int RunServe() {
  const Clock& clock = SystemClock::Instance();
  auto rt = oidc::ProviderRuntime::Open(g_config_path, /*ensure_keys=*/true, clock);
  if (!rt.ok()) {
    std::cerr << "accord serve: " << rt.status().message() << "\n";
    return 1;
  }
  oidc::ProviderRuntime& r = **rt;
  auto http_client = http::HttpClient::Create();
  if (!http_client.ok()) {
    std::cerr << "accord serve: " << http_client.status().message() << "\n";
    return 1;
  }
  oidc::JwksCache jwks_cache(
      oidc::JwksCache::HttpFetcher(std::shared_ptr<const http::HttpClient>(std::move(*http_client))),
      clock);
  auto provider = oidc::Provider::Create({&r.config, r.store.get(), r.keys.get(),
                                          r.authenticator.get(), &clock, &r.kek, &jwks_cache});
  if (!provider.ok()) {
    std::cerr << "accord serve: " << provider.status().message() << "\n";
    return 1;
  }
  http::Router router;
  http::Registry registry;
  http::ReadinessChecks readiness;
  store::Store* store = r.store.get();
  readiness.Add("store", [store] { return store->CheckHealth(); });
  Status routes = (*provider)->AddRoutes(router);
  if (routes.ok()) routes = http::AddOperationalRoutes(router, registry, readiness);
  if (!routes.ok()) {
    std::cerr << "accord serve: " << routes.message() << "\n";
    return 1;
  }
  http::DefaultFilterOptions filter_options;
  filter_options.security.tls = r.config.tls();
  http::Pipeline pipeline(router, http::DefaultFilters(router, registry, filter_options));
  http::ServerOptions options;
  options.address = r.config.listen_address;
  options.port = r.config.listen_port;
  options.threads = r.config.threads;
  options.metrics = &registry;
  if (r.config.tls()) options.tls = http::TlsOptions{r.config.tls_cert_file, r.config.tls_key_file};
  auto server = http::Server::Create(options, pipeline);
  if (!server.ok()) {
    std::cerr << "accord serve: " << server.status().message() << "\n";
    return 1;
  }
  std::cout << "accord serve: issuer " << r.config.issuer << " listening on "
            << (r.config.tls() ? "https://" : "http://") << r.config.listen_address << ":"
            << (*server)->port() << std::endl;
  Status ran = (*server)->RunUntilSignal();
  if (!ran.ok()) {
    std::cerr << "accord serve: " << ran.message() << "\n";
    return 1;
  }
  std::cout << "accord serve: stopped" << std::endl;
  return 0;
}

void Register(CLI::App& app) {
  CLI::App* serve = app.add_subcommand("serve", "Run the OpenID Provider (FAPI 2.0 / OIDC)");
  serve->add_option("--config", g_config_path, "Provider config file (TOML)")->required();
  serve->callback([] { SetCommandAction(RunServe); });
}

const CommandRegistrar kRegistrar("serve", &Register);

}  // namespace
}  // namespace accord::app
