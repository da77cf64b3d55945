#include "oidc/connectors/config.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <algorithm>
#include <cctype>
#include "oidc/connectors/core_identity.h"
#include "oidc/connectors/discovery.h"

namespace accord::oidc::connectors {
namespace {

constexpr size_t kMaxUpstreams = 64;
constexpr size_t kMaxListItems = 32;
constexpr size_t kMaxKeyFileBytes = 64 * 1024;

Status ConfigError(std::string_view key, std::string_view problem) {
  return InvalidArgument(std::string(key) + ": " + std::string(problem), "bad_config");
}

std::string Key(std::string_view prefix, std::string_view name) {
  return std::string(prefix) + "." + std::string(name);
}

bool HasScope(std::string_view scope, std::string_view wanted) {
  size_t pos = 0;
  while (pos <= scope.size()) {
    size_t space = scope.find(' ', pos);
    if (scope.substr(pos, space == std::string_view::npos ? scope.npos : space - pos) == wanted) {
      return true;
    }
    if (space == std::string_view::npos) break;
    pos = space + 1;
  }
  return false;
}

bool IsP256(const jose::Jwk& key) {
  return key.type() == crypto::KeyType::kEc && key.curve() == crypto::Curve::kP256;
}

Status GetString(const toml::table& t, std::string_view name, std::string_view prefix,
                 std::string* out) {
  const toml::node* node = t.get(name);
  if (node == nullptr) return Status::Ok();
  auto v = node->value<std::string>();
  if (!node->is_string() || !v) return ConfigError(Key(prefix, name), "must be a string");
  *out = *v;
  return Status::Ok();
}

Status GetBool(const toml::table& t, std::string_view name, std::string_view prefix, bool* out) {
  const toml::node* node = t.get(name);
  if (node == nullptr) return Status::Ok();
  if (!node->is_boolean()) return ConfigError(Key(prefix, name), "must be a boolean");
  *out = *node->value<bool>();
  return Status::Ok();
}

Status GetInt(const toml::table& t, std::string_view name, std::string_view prefix, int64_t* out) {
  const toml::node* node = t.get(name);
  if (node == nullptr) return Status::Ok();
  if (!node->is_integer()) return ConfigError(Key(prefix, name), "must be an integer");
  *out = *node->value<int64_t>();
  return Status::Ok();
}

Status GetStringList(const toml::table& t, std::string_view name, std::string_view prefix,
                     std::vector<std::string>* out) {
  const toml::node* node = t.get(name);
  if (node == nullptr) return Status::Ok();
  const toml::array* arr = node->as_array();
  if (arr == nullptr || arr->size() > kMaxListItems) {
    return ConfigError(Key(prefix, name), "must be a short array of strings");
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    auto v = (*arr)[i].value<std::string>();
    if (!(*arr)[i].is_string() || !v) {
      return ConfigError(Key(prefix, name) + "[" + std::to_string(i) + "]", "must be a string");
    }
    out->push_back(*v);
  }
  return Status::Ok();
}

// Reads a private JWK file; errors name the key, never the content.
Result<jose::Jwk> LoadPrivateJwk(const std::string& key, const std::string& file,
                                 std::string_view base_dir) {
  std::filesystem::path path(file);
  if (path.is_relative() && !base_dir.empty()) path = std::filesystem::path(base_dir) / path;
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConfigError(key, "cannot read the file");
  std::string text(kMaxKeyFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxKeyFileBytes) return ConfigError(key, "file too large");
  Result<jose::Jwk> jwk = jose::Jwk::Parse(text);
  std::fill(text.begin(), text.end(), '\0');
  if (!jwk.ok()) return ConfigError(key, "not a valid JWK (" + jwk.status().reason() + ")");
  if (!jwk->has_private_key()) return ConfigError(key, "must hold a private JWK");
  return jwk;
}

}  // namespace

std::string_view UpstreamKindName(UpstreamKind kind) {
  switch (kind) {
    case UpstreamKind::kOneLogin: return "onelogin";
    case UpstreamKind::kSingpass: return "singpass";
    case UpstreamKind::kGeneric: return "generic";
  }
  return "generic";
}

std::string UpstreamConfig::DiscoveryUrl() const {
  if (!discovery_url.empty()) return discovery_url;
  return issuer + "/.well-known/openid-configuration";
}

Status ValidateUpstream(const UpstreamConfig& c, std::string_view prefix) {
  if (c.id.empty() || c.id.size() > 64) return ConfigError(Key(prefix, "id"), "required, 1 to 64 characters");
  for (char ch : c.id) {
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_')) {
      return ConfigError(Key(prefix, "id"), "letters, digits, '-' and '_' only");
    }
  }
  if (!c.country.empty() && (c.country.size() != 3 || !std::isupper(static_cast<unsigned char>(c.country[0])) ||
                             !std::isupper(static_cast<unsigned char>(c.country[1])) ||
                             !std::isupper(static_cast<unsigned char>(c.country[2])))) {
    return ConfigError(Key(prefix, "country"), "must be an ISO 3166-1 alpha-3 code");
  }
  std::string problem = CheckEndpointUrl(c.issuer);
  if (c.issuer.find('?') != std::string::npos) problem = "must not have a query";
  if (!problem.empty()) return ConfigError(Key(prefix, "issuer"), problem);
  if (!c.discovery_url.empty()) {
    problem = CheckEndpointUrl(c.discovery_url);
    if (!problem.empty()) return ConfigError(Key(prefix, "discovery_url"), problem);
  }
  if (c.client_id.empty() || c.client_id.size() > 256) {
    return ConfigError(Key(prefix, "client_id"), "required, 1 to 256 characters");
  }
  problem = CheckEndpointUrl(c.redirect_uri);
  if (!problem.empty()) return ConfigError(Key(prefix, "redirect_uri"), problem);
  if (!HasScope(c.scope, "openid")) return ConfigError(Key(prefix, "scope"), "must include openid");
  if (c.timeout_ms < 100 || c.timeout_ms > kMaxTimeoutMs) {
    return ConfigError(Key(prefix, "timeout_ms"), "must be between 100 and 60000");
  }
  if (c.clock_skew_seconds < 0 || c.clock_skew_seconds > 300) {
    return ConfigError(Key(prefix, "clock_skew_seconds"), "must be between 0 and 300");
  }
  if (c.login_lifetime_seconds < 60 || c.login_lifetime_seconds > 3600) {
    return ConfigError(Key(prefix, "login_lifetime_seconds"), "must be between 60 and 3600");
  }
  if (!c.signing_key.has_private_key()) {
    return ConfigError(Key(prefix, "signing_key_file"), "must hold a private JWK");
  }
  if (c.encryption_key) {
    if (!c.encryption_key->has_private_key() || !IsP256(*c.encryption_key)) {
      return ConfigError(Key(prefix, "encryption_key_file"), "must hold a private EC P-256 JWK");
    }
  }
  switch (c.kind) {
    case UpstreamKind::kOneLogin:
      if (c.signing_key.type() != crypto::KeyType::kRsa) {
        return ConfigError(Key(prefix, "signing_key_file"), "One Login client keys are RSA");
      }
      if (!c.did_document_url.empty() || !c.core_identity_issuer.empty()) {
        problem = CheckEndpointUrl(c.did_document_url);
        if (!problem.empty()) return ConfigError(Key(prefix, "did_document_url"), problem);
        if (c.core_identity_issuer.empty()) {
          return ConfigError(Key(prefix, "core_identity_issuer"), "required with did_document_url");
        }
      }
      for (const std::string& claim : c.userinfo_claims) {
        if (claim == kCoreIdentityClaim && c.did_document_url.empty()) {
          return ConfigError(Key(prefix, "did_document_url"),
                             "required when the core identity JWT is requested");
        }
      }
      break;
    case UpstreamKind::kSingpass:
      if (!IsP256(c.signing_key)) {
        return ConfigError(Key(prefix, "signing_key_file"), "Singpass client keys are EC P-256");
      }
      if (!c.encryption_key) {
        return ConfigError(Key(prefix, "encryption_key_file"), "required for Singpass");
      }
      if (!c.use_par || !c.use_dpop) {
        return ConfigError(Key(prefix, "use_par"), "Singpass (FAPI 2.0) needs PAR and DPoP");
      }
      break;
    case UpstreamKind::kGeneric:
      if (!IsP256(c.signing_key) && c.signing_key.type() != crypto::KeyType::kRsa) {
        return ConfigError(Key(prefix, "signing_key_file"), "must be EC P-256 or RSA");
      }
      break;
  }
  return Status::Ok();
}

Result<std::vector<UpstreamConfig>> ParseUpstreams(const toml::array& upstreams,
                                                   std::string_view base_dir) {
  if (upstreams.size() > kMaxUpstreams) return ConfigError("upstreams", "too many entries");
  std::vector<UpstreamConfig> out;
  std::set<std::string> ids;
  for (size_t i = 0; i < upstreams.size(); ++i) {
    const std::string prefix = "upstreams[" + std::to_string(i) + "]";
    const toml::table* t = upstreams[i].as_table();
    if (t == nullptr) return ConfigError(prefix, "must be a table");
    std::string kind_name = "generic", signing_file, encryption_file;
    ACCORD_RETURN_IF_ERROR(GetString(*t, "kind", prefix, &kind_name));
    UpstreamKind kind;
    if (kind_name == "onelogin") {
      kind = UpstreamKind::kOneLogin;
    } else if (kind_name == "singpass") {
      kind = UpstreamKind::kSingpass;
    } else if (kind_name == "generic") {
      kind = UpstreamKind::kGeneric;
    } else {
      return ConfigError(Key(prefix, "kind"), "must be \"onelogin\", \"singpass\" or \"generic\"");
    }
    ACCORD_RETURN_IF_ERROR(GetString(*t, "signing_key_file", prefix, &signing_file));
    if (signing_file.empty()) return ConfigError(Key(prefix, "signing_key_file"), "required");
    ACCORD_ASSIGN_OR_RETURN(jose::Jwk signing_key,
                            LoadPrivateJwk(Key(prefix, "signing_key_file"), signing_file, base_dir));
    UpstreamConfig c(std::move(signing_key));
    c.kind = kind;
    c.country = kind == UpstreamKind::kOneLogin ? "GBR" : kind == UpstreamKind::kSingpass ? "SGP" : "";
    c.scope = "openid";
    c.use_par = c.use_dpop = kind == UpstreamKind::kSingpass;
    ACCORD_RETURN_IF_ERROR(GetString(*t, "encryption_key_file", prefix, &encryption_file));
    if (!encryption_file.empty()) {
      ACCORD_ASSIGN_OR_RETURN(c.encryption_key, LoadPrivateJwk(Key(prefix, "encryption_key_file"),
                                                               encryption_file, base_dir));
    }
    for (const auto& [name, target] :
         std::initializer_list<std::pair<std::string_view, std::string*>>{
             {"id", &c.id}, {"country", &c.country}, {"issuer", &c.issuer},
             {"discovery_url", &c.discovery_url}, {"client_id", &c.client_id},
             {"redirect_uri", &c.redirect_uri}, {"scope", &c.scope}, {"vtr", &c.vtr},
             {"did_document_url", &c.did_document_url},
             {"core_identity_issuer", &c.core_identity_issuer}, {"acr_values", &c.acr_values}}) {
      ACCORD_RETURN_IF_ERROR(GetString(*t, name, prefix, target));
    }
    ACCORD_RETURN_IF_ERROR(GetStringList(*t, "userinfo_claims", prefix, &c.userinfo_claims));
    ACCORD_RETURN_IF_ERROR(GetBool(*t, "use_par", prefix, &c.use_par));
    ACCORD_RETURN_IF_ERROR(GetBool(*t, "use_dpop", prefix, &c.use_dpop));
    int64_t timeout = c.timeout_ms;
    ACCORD_RETURN_IF_ERROR(GetInt(*t, "timeout_ms", prefix, &timeout));
    if (timeout < 100 || timeout > kMaxTimeoutMs) {
      return ConfigError(Key(prefix, "timeout_ms"), "must be between 100 and 60000");
    }
    c.timeout_ms = static_cast<int>(timeout);
    ACCORD_RETURN_IF_ERROR(GetInt(*t, "clock_skew_seconds", prefix, &c.clock_skew_seconds));
    ACCORD_RETURN_IF_ERROR(GetInt(*t, "login_lifetime_seconds", prefix, &c.login_lifetime_seconds));
    ACCORD_RETURN_IF_ERROR(ValidateUpstream(c, prefix));
    if (!ids.insert(c.id).second) return ConfigError(Key(prefix, "id"), "duplicate id");
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace accord::oidc::connectors
