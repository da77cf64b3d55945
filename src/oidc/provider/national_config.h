// The national-profile keys of the provider config (docs/sandboxes.md, docs/provider.md):
//   profile = "onelogin"            # "accord" (default) | "onelogin" | "singpass"
//   key_owner = "sandbox-uk"        # owner of the signing keys in the store (default "accord")
//   [onelogin]                      # profile "onelogin" only
//   did = "did:web:127.0.0.1%3A8081"            # default: did:web of the issuer's host:port
//   identity_issuer = "http://127.0.0.1:8081/"  # iss of the core identity JWT (default issuer + "/")
//   identity_key_owner = "sandbox-uk-identity"  # default key_owner + "-identity"
// and the per-profile client rules: scopes allowed per profile; a singpass-profile client is a
// fapi2 client whose inline jwks holds one EC P-256 key with use "enc".
//
// Errors: InvalidArgument "bad_config" naming the key, like ParseConfig.
#ifndef ACCORD_OIDC_PROVIDER_NATIONAL_CONFIG_H_
#define ACCORD_OIDC_PROVIDER_NATIONAL_CONFIG_H_

#include <toml++/toml.h>

#include "common/status.h"
#include "oidc/provider/config.h"

namespace accord::oidc {

// Called by ParseConfig after the clients are parsed; fills the profile members of `cfg`.
Status ParseNationalConfig(const toml::table& root, ProviderConfig* cfg);

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_NATIONAL_CONFIG_H_
