#include "oidc/provider/runtime.h"

namespace accord::oidc {

std::vector<crypto::SignatureAlgorithm> IdTokenAlgorithms(const ProviderConfig& config) {
  std::vector<crypto::SignatureAlgorithm> algs = {crypto::SignatureAlgorithm::kEs256};
  for (const ClientConfig& c : config.clients) {
    if (c.id_token_alg == crypto::SignatureAlgorithm::kPs256) {
      algs.push_back(crypto::SignatureAlgorithm::kPs256);
      break;
    }
  }
  return algs;
}

Result<std::unique_ptr<ProviderRuntime>> ProviderRuntime::Open(const std::string& config_path,
                                                               bool ensure_keys,
                                                               const Clock& clock,
                                                               const StoreWrapper& wrap_store,
                                                               bool serving) {
  auto rt = std::make_unique<ProviderRuntime>();
  ACCORD_ASSIGN_OR_RETURN(rt->config, LoadConfigFile(config_path));
  rt->config.store.replay_journal = serving;
  ACCORD_ASSIGN_OR_RETURN(rt->kek, LoadKek(rt->config));
  ACCORD_ASSIGN_OR_RETURN(rt->store, store::OpenStore(rt->config.store));
  if (wrap_store) rt->store = wrap_store(std::move(rt->store));
  ACCORD_ASSIGN_OR_RETURN(rt->keys, KeyManager::Create(*rt->store, rt->kek.Clone(), clock,
                                                          rt->config.key_owner,
                                                          IdTokenAlgorithms(rt->config)));
  if (ensure_keys) ACCORD_RETURN_IF_ERROR(rt->keys->EnsureKeys());
  ACCORD_ASSIGN_OR_RETURN(rt->authenticator,
                          SandboxAuthenticator::FromFile(rt->config.people_file));
  return rt;
}

}  // namespace accord::oidc
