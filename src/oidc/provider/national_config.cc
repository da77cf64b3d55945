#include "oidc/provider/national_config.h"

#include <set>

#include "oidc/provider/did_document.h"
#include "oidc/provider/national_profile.h"

namespace accord::oidc {
namespace {

Status ConfigError(std::string_view key, std::string_view problem) {
  return InvalidArgument(std::string(key) + ": " + std::string(problem), "bad_config");
}

Status ReadString(const toml::table& t, std::string_view name, std::string_view key,
                  std::string* out) {
  const toml::node* node = t.get(name);
  if (node == nullptr) return Status::Ok();
  auto value = node->value<std::string>();
  if (!node->is_string() || !value || value->empty() || value->size() > 255) {
    return ConfigError(key, "must be a non-empty string (at most 255 bytes)");
  }
  *out = *value;
  return Status::Ok();
}

bool ValidOwner(std::string_view owner) {
  if (owner.empty() || owner.size() > 64) return false;
  for (char c : owner) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

const std::set<std::string>& ScopesFor(std::string_view profile) {
  static const std::set<std::string> kAccord = {"openid", "profile", "birthdate", "offline_access"};
  static const std::set<std::string> kOneLogin = {"openid", "email", "phone", "offline_access"};
  static const std::set<std::string> kSingpass = {"openid", "user.identity", "name", "dob", "email",
                                                  "mobileno"};
  if (profile == kProfileOneLogin) return kOneLogin;
  if (profile == kProfileSingpass) return kSingpass;
  return kAccord;
}

}  // namespace

Status ParseNationalConfig(const toml::table& root, ProviderConfig* cfg) {
  ACCORD_RETURN_IF_ERROR(ReadString(root, "profile", "profile", &cfg->profile));
  if (cfg->profile != kProfileAccord && cfg->profile != kProfileOneLogin &&
      cfg->profile != kProfileSingpass) {
    return ConfigError("profile", "must be \"accord\", \"onelogin\" or \"singpass\"");
  }
  ACCORD_RETURN_IF_ERROR(ReadString(root, "key_owner", "key_owner", &cfg->key_owner));
  if (!ValidOwner(cfg->key_owner)) {
    return ConfigError("key_owner", "1 to 64 characters of a-z, 0-9, '-' and '_'");
  }
  const toml::node* onelogin = root.get("onelogin");
  if (onelogin != nullptr && cfg->profile != kProfileOneLogin) {
    return ConfigError("onelogin", "only with profile = \"onelogin\"");
  }
  if (cfg->profile == kProfileOneLogin) {
    if (onelogin != nullptr) {
      const toml::table* t = onelogin->as_table();
      if (t == nullptr) return ConfigError("onelogin", "must be a table");
      for (const auto& [name, node] : *t) {
        static const std::set<std::string, std::less<>> kKeys = {"did", "identity_issuer",
                                                                 "identity_key_owner"};
        (void)node;
        if (!kKeys.contains(name.str())) {
          return ConfigError("onelogin." + std::string(name.str()), "unknown key");
        }
      }
      ACCORD_RETURN_IF_ERROR(ReadString(*t, "did", "onelogin.did", &cfg->onelogin_did));
      ACCORD_RETURN_IF_ERROR(ReadString(*t, "identity_issuer", "onelogin.identity_issuer",
                                        &cfg->onelogin_identity_issuer));
      ACCORD_RETURN_IF_ERROR(ReadString(*t, "identity_key_owner", "onelogin.identity_key_owner",
                                        &cfg->onelogin_identity_key_owner));
    }
    if (cfg->onelogin_did.empty()) {
      auto did = DidWebForUrl(cfg->issuer);
      if (!did.ok()) return ConfigError("onelogin.did", did.status().message());
      cfg->onelogin_did = *did;
    }
    Status did_ok = CheckDidWeb(cfg->onelogin_did);
    if (!did_ok.ok()) return ConfigError("onelogin.did", did_ok.message());
    if (cfg->onelogin_identity_issuer.empty()) cfg->onelogin_identity_issuer = cfg->issuer + "/";
    if (cfg->onelogin_identity_key_owner.empty()) {
      cfg->onelogin_identity_key_owner = cfg->key_owner + "-identity";
    }
    if (!ValidOwner(cfg->onelogin_identity_key_owner) ||
        cfg->onelogin_identity_key_owner == cfg->key_owner) {
      return ConfigError("onelogin.identity_key_owner",
                         "1 to 64 characters of a-z, 0-9, '-' and '_', not key_owner");
    }
  }
  const std::set<std::string>& allowed = ScopesFor(cfg->profile);
  for (size_t i = 0; i < cfg->clients.size(); ++i) {
    const ClientConfig& c = cfg->clients[i];
    std::string key = "clients[" + std::to_string(i) + "]";
    for (size_t j = 0; j < c.scopes.size(); ++j) {
      if (!allowed.contains(c.scopes[j])) {
        return ConfigError(key + ".scopes[" + std::to_string(j) + "]",
                           "not a scope of profile \"" + cfg->profile + "\"");
      }
    }
    if (cfg->profile == kProfileSingpass) {
      if (c.profile != ClientProfile::kFapi2) {
        return ConfigError(key + ".profile", "a singpass-profile provider has fapi2 clients only");
      }
      if (!c.jwks_uri.empty()) {
        return ConfigError(key + ".jwks_uri",
                           "singpass-profile clients give an inline jwks (with a use=enc key)");
      }
      auto enc = ClientEncryptionKey(c);
      if (!enc.ok()) {
        return ConfigError(key + ".jwks", enc.status().message() +
                                              " (the ID token is encrypted to it)");
      }
    }
  }
  return Status::Ok();
}

}  // namespace accord::oidc
