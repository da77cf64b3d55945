// ProviderRuntime: everything `accord serve` / `accord keys` open from a config file, in order:
// config (validated), KEK, Store (migrated), KeyManager (keys created at first start when asked),
// sandbox Authenticator.
//
// Lifetime: members reference each other; keep the runtime alive while any is used.
#ifndef ACCORD_OIDC_PROVIDER_RUNTIME_H_
#define ACCORD_OIDC_PROVIDER_RUNTIME_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "oidc/provider/authenticator.h"
#include "oidc/provider/config.h"
#include "oidc/provider/key_manager.h"
#include "store/store.h"

namespace accord::oidc {

// The ID token algorithms this provider's clients use: ES256 always, PS256 when any client has
// id_token_signed_response_alg = "PS256". The KeyManager keeps an active key for each.
std::vector<crypto::SignatureAlgorithm> IdTokenAlgorithms(const ProviderConfig& config);

struct ProviderRuntime {
  ProviderConfig config;
  crypto::SecretBytes kek;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<KeyManager> keys;
  std::unique_ptr<SandboxAuthenticator> authenticator;

  // Wraps the opened store before anything uses it (serve: datasec's SealingStore).
  using StoreWrapper = std::function<std::unique_ptr<store::Store>(std::unique_ptr<store::Store>)>;

  // `ensure_keys`: create signing keys at first start (serve) or only load (keys list).
  // `wrap_store` (optional) is applied before the KeyManager takes its reference to the store.
  // `serving`: the process answers token requests (accord serve): a SQLite store then keeps
  // its per-request jtis in the replay journal, whose lock it holds (store::StoreConfig).
  static Result<std::unique_ptr<ProviderRuntime>> Open(const std::string& config_path,
                                                       bool ensure_keys, const Clock& clock,
                                                       const StoreWrapper& wrap_store = {},
                                                       bool serving = false);
};

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_RUNTIME_H_
