#include "oidc/provider/config.h"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "common/base64url.h"
#include "oidc/provider/national_config.h"

namespace accord::oidc {
namespace {

constexpr size_t kMaxConfigBytes = 1 << 20;
constexpr size_t kMaxClients = 1000;
constexpr size_t kMaxListItems = 100;

Status ConfigError(std::string_view key, std::string_view problem) {
  return InvalidArgument(std::string(key) + ": " + std::string(problem), "bad_config");
}

std::string Resolve(std::string_view base_dir, const std::string& path) {
  if (path.empty() || base_dir.empty() || path.front() == '/' || path == ":memory:") return path;
  return (std::filesystem::path(base_dir) / path).lexically_normal().string();
}

// Reads an optional string; error when present with another type.
Status GetString(const toml::table& t, std::string_view name, std::string_view key,
                 std::string* out) {
  const toml::node* node = t.get(name);
  if (node == nullptr) return Status::Ok();
  auto value = node->value<std::string>();
  if (!node->is_string() || !value) return ConfigError(key, "must be a string");
  *out = *value;
  return Status::Ok();
}

Status GetInt(const toml::table& t, std::string_view name, std::string_view key, int64_t min,
              int64_t max, int64_t* out) {
  const toml::node* node = t.get(name);
  if (node == nullptr) return Status::Ok();
  if (!node->is_integer()) return ConfigError(key, "must be an integer");
  int64_t v = *node->value<int64_t>();
  if (v < min || v > max) {
    return ConfigError(key, "must be between " + std::to_string(min) + " and " +
                                std::to_string(max));
  }
  *out = v;
  return Status::Ok();
}

Status GetStringList(const toml::table& t, std::string_view name, std::string_view key,
                     std::vector<std::string>* out) {
  const toml::node* node = t.get(name);
  if (node == nullptr) return Status::Ok();
  const toml::array* arr = node->as_array();
  if (arr == nullptr) return ConfigError(key, "must be an array of strings");
  if (arr->size() > kMaxListItems) return ConfigError(key, "too many entries");
  for (size_t i = 0; i < arr->size(); ++i) {
    auto v = (*arr)[i].value<std::string>();
    if (!(*arr)[i].is_string() || !v) {
      return ConfigError(std::string(key) + "[" + std::to_string(i) + "]", "must be a string");
    }
    out->push_back(*v);
  }
  return Status::Ok();
}

bool IsLocalHost(std::string_view host) {
  return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

// Checks an issuer / endpoint style URL: https (or http on localhost), no query, no fragment.
std::string CheckHttpsUrl(std::string_view uri, bool allow_query) {
  auto parsed = boost::urls::parse_uri(uri);
  if (!parsed) return "must be an absolute https URL (http allowed only for localhost)";
  std::string scheme(parsed->scheme());
  std::string host(parsed->encoded_host_address());
  if (host.empty()) return "must be an absolute https URL (http allowed only for localhost)";
  if (scheme != "https" && !(scheme == "http" && IsLocalHost(host))) {
    return "must be an absolute https URL (http allowed only for localhost)";
  }
  if (parsed->has_fragment()) return "must not have a fragment";
  if (!allow_query && parsed->has_query()) return "must not have a query";
  if (parsed->has_userinfo()) return "must not have user information";
  return "";
}

Result<ClientConfig> ParseClient(const toml::table& t, const std::string& key,
                                 std::string_view base_dir) {
  ClientConfig c;
  ACCORD_RETURN_IF_ERROR(GetString(t, "client_id", key + ".client_id", &c.client_id));
  if (c.client_id.empty() || c.client_id.size() > 128) {
    return ConfigError(key + ".client_id", "required, 1 to 128 characters");
  }
  for (char ch : c.client_id) {
    if (ch <= 0x20 || ch >= 0x7f) return ConfigError(key + ".client_id", "must be printable ASCII");
  }
  std::string profile = "oidc";
  ACCORD_RETURN_IF_ERROR(GetString(t, "profile", key + ".profile", &profile));
  if (profile == "fapi2") {
    c.profile = ClientProfile::kFapi2;
  } else if (profile == "oidc") {
    c.profile = ClientProfile::kOidc;
  } else {
    return ConfigError(key + ".profile", "must be \"fapi2\" or \"oidc\"");
  }
  ACCORD_RETURN_IF_ERROR(GetStringList(t, "redirect_uris", key + ".redirect_uris",
                                       &c.redirect_uris));
  if (c.redirect_uris.empty()) return ConfigError(key + ".redirect_uris", "at least one required");
  for (size_t i = 0; i < c.redirect_uris.size(); ++i) {
    std::string problem = CheckRedirectUri(c.redirect_uris[i]);
    if (!problem.empty()) {
      return ConfigError(key + ".redirect_uris[" + std::to_string(i) + "]", problem);
    }
  }
  std::string jwks_text, jwks_file, jwks_uri;
  ACCORD_RETURN_IF_ERROR(GetString(t, "jwks", key + ".jwks", &jwks_text));
  ACCORD_RETURN_IF_ERROR(GetString(t, "jwks_file", key + ".jwks_file", &jwks_file));
  ACCORD_RETURN_IF_ERROR(GetString(t, "jwks_uri", key + ".jwks_uri", &jwks_uri));
  int sources = !jwks_text.empty() + !jwks_file.empty() + !jwks_uri.empty();
  if (sources != 1) {
    return ConfigError(key + ".jwks", "exactly one of jwks, jwks_file or jwks_uri is required");
  }
  if (!jwks_uri.empty()) {
    std::string problem = CheckHttpsUrl(jwks_uri, true);
    if (!problem.empty()) return ConfigError(key + ".jwks_uri", problem);
    c.jwks_uri = jwks_uri;
  }
  std::string jwks_key = key + (jwks_text.empty() ? ".jwks_file" : ".jwks");
  if (!jwks_file.empty()) {
    std::ifstream in(Resolve(base_dir, jwks_file), std::ios::binary);
    if (!in) return ConfigError(jwks_key, "cannot read the file");
    std::ostringstream ss;
    ss << in.rdbuf();
    jwks_text = ss.str();
  }
  auto jwks = c.jwks_uri.empty() ? jose::Jwks::ParsePublic(jwks_text) : Result<jose::Jwks>(jose::Jwks());
  if (!jwks.ok()) {
    return ConfigError(jwks_key, "not a public JWK Set (" + jwks.status().reason() + ")");
  }
  if (c.jwks_uri.empty() && jwks->empty()) return ConfigError(jwks_key, "holds no usable key");
  c.jwks = std::move(*jwks);

  ACCORD_RETURN_IF_ERROR(GetStringList(t, "scopes", key + ".scopes", &c.scopes));
  if (c.scopes.empty()) c.scopes = {"openid"};
  if (std::find(c.scopes.begin(), c.scopes.end(), "openid") == c.scopes.end()) {
    return ConfigError(key + ".scopes", "must include \"openid\"");
  }
  static const std::set<std::string> kKnownScopes = {"openid", "profile", "birthdate",
                                                     "offline_access", "email", "phone",
                                                     "user.identity", "name", "dob", "mobileno"};
  for (size_t i = 0; i < c.scopes.size(); ++i) {
    if (!kKnownScopes.contains(c.scopes[i])) {
      return ConfigError(key + ".scopes[" + std::to_string(i) + "]",
                         "unknown scope (known: openid, profile, birthdate, offline_access, email, phone, "
                         "user.identity, name, mobileno)");
    }
  }
  ACCORD_RETURN_IF_ERROR(GetStringList(t, "claims", key + ".claims", &c.claims));
  static const std::set<std::string> kKnownClaims = {
      "sub", "given_name", "family_name", "name", "birthdate", "nationality", "email",
      "email_verified", "phone_number", "phone_number_verified",
      "https://vocab.account.gov.uk/v1/coreIdentityJWT"};
  for (size_t i = 0; i < c.claims.size(); ++i) {
    if (!kKnownClaims.contains(c.claims[i])) {
      return ConfigError(key + ".claims[" + std::to_string(i) + "]", "unknown claim");
    }
  }
  ACCORD_RETURN_IF_ERROR(GetString(t, "sector_identifier", key + ".sector_identifier",
                                   &c.sector_identifier));
  if (c.sector_identifier.empty()) {
    auto parsed = boost::urls::parse_uri(c.redirect_uris[0]);
    c.sector_identifier = std::string(parsed->encoded_host());
  }
  std::string alg = "ES256";
  ACCORD_RETURN_IF_ERROR(GetString(t, "id_token_signed_response_alg",
                                   key + ".id_token_signed_response_alg", &alg));
  if (alg == "ES256") {
    c.id_token_alg = crypto::SignatureAlgorithm::kEs256;
  } else if (alg == "PS256") {
    c.id_token_alg = crypto::SignatureAlgorithm::kPs256;
  } else {
    return ConfigError(key + ".id_token_signed_response_alg", "must be \"ES256\" or \"PS256\"");
  }
  ACCORD_RETURN_IF_ERROR(GetStringList(t, "post_logout_redirect_uris",
                                       key + ".post_logout_redirect_uris",
                                       &c.post_logout_redirect_uris));
  for (size_t i = 0; i < c.post_logout_redirect_uris.size(); ++i) {
    std::string problem = CheckRedirectUri(c.post_logout_redirect_uris[i]);
    if (!problem.empty()) {
      return ConfigError(key + ".post_logout_redirect_uris[" + std::to_string(i) + "]", problem);
    }
  }
  ACCORD_RETURN_IF_ERROR(GetString(t, "backchannel_logout_uri", key + ".backchannel_logout_uri",
                                   &c.backchannel_logout_uri));
  if (!c.backchannel_logout_uri.empty()) {
    std::string problem = CheckHttpsUrl(c.backchannel_logout_uri, true);
    if (!problem.empty()) return ConfigError(key + ".backchannel_logout_uri", problem);
  }
  for (const auto& [name, node] : t) {
    static const std::set<std::string, std::less<>> kKeys = {
        "client_id", "profile", "redirect_uris", "jwks", "jwks_file", "jwks_uri", "scopes",
        "claims", "sector_identifier", "id_token_signed_response_alg",
        "post_logout_redirect_uris", "backchannel_logout_uri"};
    (void)node;
    if (!kKeys.contains(name.str())) return ConfigError(key + "." + std::string(name.str()), "unknown key");
  }
  return c;
}

Status ParseTop(const toml::table& root, std::string_view base_dir, ProviderConfig* cfg) {
  for (const auto& [name, node] : root) {
    static const std::set<std::string, std::less<>> kKeys = {"issuer", "server", "store", "keys",
                                                             "sandbox", "tokens", "clients",
                                                             "profile", "key_owner", "onelogin",
                                                             // the gateway's, read by `accord
                                                             // serve` (oidc/broker, connectors)
                                                             "upstreams", "broker", "audit",
                                                             // data security (runtime_wiring.h)
                                                             "datasec"};
    (void)node;
    if (!kKeys.contains(name.str())) return ConfigError(name.str(), "unknown key");
  }
  ACCORD_RETURN_IF_ERROR(GetString(root, "issuer", "issuer", &cfg->issuer));
  if (cfg->issuer.empty()) return ConfigError("issuer", "required");
  std::string problem = CheckHttpsUrl(cfg->issuer, false);
  if (!problem.empty()) return ConfigError("issuer", problem);
  if (cfg->issuer.back() == '/') return ConfigError("issuer", "must not end with '/'");

  if (const toml::table* server = root["server"].as_table()) {
    ACCORD_RETURN_IF_ERROR(GetString(*server, "address", "server.address", &cfg->listen_address));
    int64_t port = cfg->listen_port, threads = cfg->threads, workers = cfg->worker_threads;
    int64_t concurrency = cfg->handler_concurrency;
    ACCORD_RETURN_IF_ERROR(GetInt(*server, "port", "server.port", 0, 65535, &port));
    ACCORD_RETURN_IF_ERROR(GetInt(*server, "threads", "server.threads", 1, 64, &threads));
    ACCORD_RETURN_IF_ERROR(
        GetInt(*server, "worker_threads", "server.worker_threads", 0, 1024, &workers));
    cfg->listen_port = static_cast<uint16_t>(port);
    cfg->threads = static_cast<int>(threads);
    ACCORD_RETURN_IF_ERROR(GetInt(*server, "handler_concurrency", "server.handler_concurrency",
                                  0, 1024, &concurrency));
    cfg->worker_threads = static_cast<int>(workers);
    cfg->handler_concurrency = static_cast<int>(concurrency);
    ACCORD_RETURN_IF_ERROR(GetString(*server, "tls_cert_file", "server.tls_cert_file",
                                     &cfg->tls_cert_file));
    ACCORD_RETURN_IF_ERROR(GetString(*server, "tls_key_file", "server.tls_key_file",
                                     &cfg->tls_key_file));
    if (cfg->tls_cert_file.empty() != cfg->tls_key_file.empty()) {
      return ConfigError("server.tls_key_file", "tls_cert_file and tls_key_file go together");
    }
    cfg->tls_cert_file = Resolve(base_dir, cfg->tls_cert_file);
    cfg->tls_key_file = Resolve(base_dir, cfg->tls_key_file);
  } else if (root.contains("server")) {
    return ConfigError("server", "must be a table");
  }

  if (const toml::table* st = root["store"].as_table()) {
    std::string sqlite_path, postgres;
    ACCORD_RETURN_IF_ERROR(GetString(*st, "sqlite_path", "store.sqlite_path", &sqlite_path));
    ACCORD_RETURN_IF_ERROR(GetString(*st, "postgres", "store.postgres", &postgres));
    if (!sqlite_path.empty() && !postgres.empty()) {
      return ConfigError("store.postgres", "give sqlite_path or postgres, not both");
    }
    if (!postgres.empty()) {
      cfg->store.kind = store::StoreKind::kPostgres;
      cfg->store.postgres_conninfo = postgres;
    } else if (!sqlite_path.empty()) {
      cfg->store.sqlite_path = sqlite_path;
    }
  } else if (root.contains("store")) {
    return ConfigError("store", "must be a table");
  }
  cfg->store.sqlite_path = Resolve(base_dir, cfg->store.sqlite_path);

  if (const toml::table* keys = root["keys"].as_table()) {
    ACCORD_RETURN_IF_ERROR(GetString(*keys, "kek_file", "keys.kek_file", &cfg->kek_file));
    ACCORD_RETURN_IF_ERROR(GetString(*keys, "kek_env", "keys.kek_env", &cfg->kek_env));
  }
  if (cfg->kek_file.empty() == cfg->kek_env.empty()) {
    return ConfigError("keys", "exactly one of keys.kek_file or keys.kek_env is required");
  }
  cfg->kek_file = Resolve(base_dir, cfg->kek_file);

  if (const toml::table* sandbox = root["sandbox"].as_table()) {
    ACCORD_RETURN_IF_ERROR(GetString(*sandbox, "people_file", "sandbox.people_file",
                                     &cfg->people_file));
  }
  cfg->people_file = Resolve(base_dir, cfg->people_file);

  if (const toml::table* tokens = root["tokens"].as_table()) {
    ACCORD_RETURN_IF_ERROR(GetInt(*tokens, "access_token_lifetime", "tokens.access_token_lifetime",
                                  30, 3600, &cfg->access_token_lifetime));
    ACCORD_RETURN_IF_ERROR(GetInt(*tokens, "refresh_token_lifetime",
                                  "tokens.refresh_token_lifetime", 60, 90 * 86400,
                                  &cfg->refresh_token_lifetime));
    ACCORD_RETURN_IF_ERROR(GetInt(*tokens, "session_lifetime", "tokens.session_lifetime", 60,
                                  86400, &cfg->session_lifetime));
  }

  const toml::array* clients = root["clients"].as_array();
  if (clients == nullptr || clients->empty()) {
    return ConfigError("clients", "at least one [[clients]] entry is required");
  }
  if (clients->size() > kMaxClients) return ConfigError("clients", "too many clients");
  std::set<std::string> ids;
  for (size_t i = 0; i < clients->size(); ++i) {
    std::string key = "clients[" + std::to_string(i) + "]";
    const toml::table* t = (*clients)[i].as_table();
    if (t == nullptr) return ConfigError(key, "must be a table");
    ACCORD_ASSIGN_OR_RETURN(ClientConfig client, ParseClient(*t, key, base_dir));
    if (!ids.insert(client.client_id).second) {
      return ConfigError(key + ".client_id", "duplicate client_id");
    }
    cfg->clients.push_back(std::move(client));
  }
  return ParseNationalConfig(root, cfg);  // profile, key_owner, [onelogin]
}

}  // namespace

std::string_view ProfileName(ClientProfile profile) {
  return profile == ClientProfile::kFapi2 ? "fapi2" : "oidc";
}

bool ClientConfig::AllowsScope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

bool ClientConfig::AllowsRedirectUri(std::string_view uri) const {
  return std::find(redirect_uris.begin(), redirect_uris.end(), uri) != redirect_uris.end();
}

const ClientConfig* ProviderConfig::FindClient(std::string_view client_id) const {
  for (const auto& c : clients) {
    if (c.client_id == client_id) return &c;
  }
  return nullptr;
}

std::string CheckRedirectUri(std::string_view uri) {
  if (uri.size() > 2048) return "too long";
  return CheckHttpsUrl(uri, true);
}

Result<ProviderConfig> ParseConfig(std::string_view toml_text, std::string_view base_dir) {
  if (toml_text.size() > kMaxConfigBytes) return ConfigError("config", "larger than 1 MiB");
  toml::table root;
  try {
    root = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    return ConfigError("config", "line " + std::to_string(e.source().begin.line) + ": " +
                                     std::string(e.description()));
  }
  ProviderConfig cfg;
  ACCORD_RETURN_IF_ERROR(ParseTop(root, base_dir, &cfg));
  return cfg;
}

Result<ProviderConfig> LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read config file " + path, "bad_config");
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string base = std::filesystem::path(path).parent_path().string();
  return ParseConfig(ss.str(), base);
}

Result<crypto::SecretBytes> LoadKek(const ProviderConfig& config) {
  std::string text, source;
  if (!config.kek_env.empty()) {
    source = "environment variable " + config.kek_env;
    const char* v = std::getenv(config.kek_env.c_str());
    if (v == nullptr) return InvalidArgument(source + " is not set", "bad_kek");
    text = v;
  } else {
    source = "file " + config.kek_file;
    std::ifstream in(config.kek_file, std::ios::binary);
    if (!in) return InvalidArgument("cannot read KEK " + source, "bad_kek");
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  auto decoded = Base64UrlDecode(text);
  std::fill(text.begin(), text.end(), '\0');
  if (!decoded.ok() || decoded->size() != 32) {
    return InvalidArgument("KEK in " + source + " must be 32 bytes, base64url", "bad_kek");
  }
  return crypto::SecretBytes::Adopt(std::move(*decoded));
}

}  // namespace accord::oidc
