// `accord keys list|rotate --config FILE`: the provider's signing keys (no key material printed).
//
// rotate [--alg ES256|PS256]: per algorithm (default: every algorithm in use), the current `next`
// key becomes active, the old active of that algorithm retires (still published until it expires
// from the JWKS) and a new `next` is created, so a key is published before it signs.
// A running `accord serve` picks the change up within oidc::kReloadSeconds.
#include <iostream>
#include <optional>

#include "app/commands.h"
#include "common/clock.h"
#include "oidc/provider/runtime.h"

namespace accord::app {
namespace {

std::string g_keys_config;
std::string g_keys_alg;

int PrintKeys(oidc::KeyManager& keys) {
  auto list = keys.List();
  if (!list.ok()) {
    std::cerr << "accord keys: " << list.status().message() << "\n";
    return 1;
  }
  std::cout << "kid\talg\tstatus\tcreated_at\tactivates_at\tretires_at\n";
  for (const auto& k : *list) {
    std::cout << k.kid << "\t" << k.algorithm << "\t" << oidc::KeyStatusName(k.status) << "\t"
              << k.created_at << "\t" << k.activates_at << "\t" << k.retires_at << "\n";
  }
  return 0;
}

int Run(bool rotate) {
  // list only reads; rotate needs the keys of the first start to exist.
  auto rt = oidc::ProviderRuntime::Open(g_keys_config, /*ensure_keys=*/rotate,
                                        SystemClock::Instance());
  if (!rt.ok()) {
    std::cerr << "accord keys: " << rt.status().message() << "\n";
    return 1;
  }
  if (rotate) {
    std::optional<crypto::SignatureAlgorithm> alg;
    if (!g_keys_alg.empty()) alg = g_keys_alg == "PS256" ? crypto::SignatureAlgorithm::kPs256
                                                         : crypto::SignatureAlgorithm::kEs256;
    Status rotated = (*rt)->keys->Rotate(alg);
    if (!rotated.ok()) {
      std::cerr << "accord keys: " << rotated.message() << "\n";
      return 1;
    }
  }
  return PrintKeys(*(*rt)->keys);
}

void Register(CLI::App& app) {
  CLI::App* keys = app.add_subcommand("keys", "The OpenID Provider's signing keys");
  keys->require_subcommand(1);
  CLI::App* list = keys->add_subcommand("list", "List signing keys and their states");
  list->add_option("--config", g_keys_config, "Provider config file (TOML)")->required();
  list->callback([] { SetCommandAction([] { return Run(false); }); });
  CLI::App* rotate =
      keys->add_subcommand("rotate", "Per algorithm: activate the next key and create a new one");
  rotate->add_option("--config", g_keys_config, "Provider config file (TOML)")->required();
  rotate->add_option("--alg", g_keys_alg, "Rotate only this algorithm's keys (default: all in use)")
      ->check(CLI::IsMember({"ES256", "PS256"}));
  rotate->callback([] { SetCommandAction([] { return Run(true); }); });
}

const CommandRegistrar kRegistrar("keys", &Register);

}  // namespace
}  // namespace accord::app
