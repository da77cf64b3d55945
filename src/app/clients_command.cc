// `accord clients list --config FILE`: the registered clients of the provider config (validated
// as at start-up). Prints ids, profiles and redirect URIs; never keys.
#include <iostream>

#include "app/commands.h"
#include "oidc/provider/config.h"

namespace accord::app {
namespace {

std::string g_clients_config;

int RunList() {
  auto config = oidc::LoadConfigFile(g_clients_config);
  if (!config.ok()) {
    std::cerr << "accord clients: " << config.status().message() << "\n";
    return 1;
  }
  std::cout << "client_id\tprofile\tredirect_uris\n";
  for (const auto& c : config->clients) {
    std::cout << c.client_id << "\t" << oidc::ProfileName(c.profile) << "\t";
    for (size_t i = 0; i < c.redirect_uris.size(); ++i) {
      std::cout << (i ? " " : "") << c.redirect_uris[i];
    }
    std::cout << "\n";
  }
  return 0;
}

void Register(CLI::App& app) {
  CLI::App* clients = app.add_subcommand("clients", "The OpenID Provider's registered clients");
  clients->require_subcommand(1);
  CLI::App* list = clients->add_subcommand("list", "List clients from the config file");
  list->add_option("--config", g_clients_config, "Provider config file (TOML)")->required();
  list->callback([] { SetCommandAction(RunList); });
}

const CommandRegistrar kRegistrar("clients", &Register);

}  // namespace
}  // namespace accord::app
