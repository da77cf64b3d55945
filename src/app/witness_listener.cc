#include "app/witness_listener.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

#include "audit/log_routes.h"
#include "audit/note_keys.h"

namespace accord::app {
namespace {

constexpr size_t kMaxKeyFileBytes = 4096;

Status ConfigError(const std::string& key, const std::string& problem) {
  return InvalidArgument(key + ": " + problem, "bad_config");
}

std::string Resolve(const std::string& dir, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute() || dir.empty()) return path;
  return (std::filesystem::path(dir) / path).lexically_normal().string();
}

// A one-line key file (trailing newlines removed). The error names the config key, never the
// file's content.
Result<std::string> ReadKeyFile(const std::string& key, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConfigError(key, "cannot read " + path);
  std::string data;
  data.resize(kMaxKeyFileBytes + 1);
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(in.gcount()));
  if (data.size() > kMaxKeyFileBytes) return ConfigError(key, path + " is too large for a key");
  while (!data.empty() && (data.back() == '\n' || data.back() == '\r')) data.pop_back();
  return data;
}

Result<std::string> RequiredString(const toml::table& table, const std::string& prefix,
                                   const char* name) {
  const toml::node* node = table.get(name);
  if (node == nullptr) return ConfigError(prefix + name, "is required");
  const auto* value = node->as_string();
  if (value == nullptr || value->get().empty()) {
    return ConfigError(prefix + name, "must be a non-empty string");
  }
  return value->get();
}

Status CheckKnownKeys(const toml::table& table, const std::string& prefix,
                      const std::set<std::string, std::less<>>& known) {
  for (const auto& entry : table) {
    const std::string_view name = entry.first.str();
    if (known.count(name) == 0) return ConfigError(prefix + std::string(name), "unknown setting");
  }
  return Status::Ok();
}

// The verifier key in a file, which must be of `type`.
Result<std::unique_ptr<audit::NoteVerifier>> ReadVerifierKey(const std::string& key,
                                                             const std::string& path,
                                                             audit::NoteKeyType type) {
  ACCORD_ASSIGN_OR_RETURN(std::string vkey, ReadKeyFile(key, path));
  auto parsed_type = audit::VerifierKeyType(vkey);
  auto verifier = audit::NewNoteVerifier(vkey);
  if (!parsed_type.ok() || !verifier.ok()) {
    return ConfigError(key, path + " does not hold a signed-note verifier key (vkey)");
  }
  if (*parsed_type != type) {
    return ConfigError(key, path + (type == audit::NoteKeyType::kCosignatureV1
                                        ? " is not a witness (cosignature/v1) key: make one "
                                          "with `accord audit keygen --witness`"
                                        : " is not a log (Ed25519 note) key"));
  }
  return std::move(*verifier);
}

bool IsHttpUrl(std::string_view url) {
  const bool scheme = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  return scheme && url.find_first_of("?# \t\r\n") == std::string_view::npos &&
         url.size() > std::string_view("https://").size() && url.size() <= 2048;
}

}  // namespace

bool IsWitnessConfig(const toml::table& root) { return root["witness"].as_table() != nullptr; }

Result<std::unique_ptr<WitnessListener>> BuildWitnessListener(
    const toml::table& root, const std::string& config_dir, http::Router& router,
    http::Registry& registry, http::ReadinessChecks& readiness,
    std::unique_ptr<http::Pipeline>* pipeline, std::unique_ptr<http::Server>* server) {
  ACCORD_RETURN_IF_ERROR(CheckKnownKeys(root, "", {"witness"}));
  const toml::table& w = *root["witness"].as_table();
  ACCORD_RETURN_IF_ERROR(CheckKnownKeys(
      w, "witness.", {"address", "port", "skey_file", "state_dir", "log_vkey_files"}));
  auto listener = std::make_unique<WitnessListener>();

  http::ServerOptions options;
  options.threads = 1;
  options.metrics = &registry;
  if (const toml::node* a = w.get("address")) {
    if (a->as_string() == nullptr) return ConfigError("witness.address", "must be a string");
    options.address = a->as_string()->get();
  }
  if (const toml::node* p = w.get("port")) {
    const auto* port = p->as_integer();
    if (port == nullptr || port->get() < 0 || port->get() > 65535) {
      return ConfigError("witness.port", "must be an integer 0..65535");
    }
    options.port = static_cast<uint16_t>(port->get());
  }
  listener->address = options.address;

  ACCORD_ASSIGN_OR_RETURN(std::string skey_file, RequiredString(w, "witness.", "skey_file"));
  ACCORD_ASSIGN_OR_RETURN(std::string skey,
                          ReadKeyFile("witness.skey_file", Resolve(config_dir, skey_file)));
  auto vkey = audit::VerifierKeyFromSignerKey(skey);
  if (!vkey.ok()) return ConfigError("witness.skey_file", "does not hold a signed-note signer key");
  auto type = audit::VerifierKeyType(*vkey);
  if (!type.ok() || *type != audit::NoteKeyType::kCosignatureV1) {
    return ConfigError("witness.skey_file",
                       "is not a witness (cosignature/v1) key: make one with "
                       "`accord audit keygen --witness`");
  }
  auto signer = audit::NewNoteSigner(skey);
  if (!signer.ok()) return ConfigError("witness.skey_file", "does not hold a usable signer key");

  const toml::array* files = w["log_vkey_files"].as_array();
  if (files == nullptr || files->empty() || files->size() > kMaxWitnessedLogs) {
    return ConfigError("witness.log_vkey_files", "must list 1.." +
                                                     std::to_string(kMaxWitnessedLogs) +
                                                     " files holding the vkeys of the logs witnessed");
  }
  std::vector<audit::WitnessedLog> logs;
  std::set<std::string, std::less<>> origins;
  for (size_t i = 0; i < files->size(); ++i) {
    const std::string key = "witness.log_vkey_files[" + std::to_string(i) + "]";
    const auto* file = (*files)[i].as_string();
    if (file == nullptr || file->get().empty()) return ConfigError(key, "must be a file name");
    ACCORD_ASSIGN_OR_RETURN(auto log_key, ReadVerifierKey(key, Resolve(config_dir, file->get()),
                                                          audit::NoteKeyType::kEd25519));
    if (!origins.insert(log_key->name()).second) {
      return ConfigError(key, "log " + log_key->name() + " is listed twice");
    }
    // The origin of the demo's logs is their key name (as `accord serve` and `accord audit` use).
    logs.push_back({log_key->name(), std::move(log_key)});
  }

  ACCORD_ASSIGN_OR_RETURN(std::string state_dir, RequiredString(w, "witness.", "state_dir"));
  state_dir = Resolve(config_dir, state_dir);
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) return ConfigError("witness.state_dir", "cannot create " + state_dir);
  ACCORD_ASSIGN_OR_RETURN(listener->storage, audit::PosixLogStorage::Open(state_dir));
  ACCORD_ASSIGN_OR_RETURN(listener->witness, audit::Witness::Open(listener->storage.get(),
                                                                  std::move(*signer),
                                                                  std::move(logs)));
  listener->label = "witness \"" + vkey->substr(0, vkey->find('+')) + "\" (" +
                    std::string(audit::kDefaultWitnessPrefix) + ")";

  ACCORD_RETURN_IF_ERROR(audit::AddWitnessRoutes(router, *listener->witness));
  ACCORD_RETURN_IF_ERROR(http::AddOperationalRoutes(router, registry, readiness));
  *pipeline = std::make_unique<http::Pipeline>(
      router, http::DefaultFilters(router, registry, http::DefaultFilterOptions{}));
  ACCORD_ASSIGN_OR_RETURN(*server, http::Server::Create(options, **pipeline));
  return listener;
}

Status AddRequiredWitnesses(const toml::table& audit, const std::string& config_dir,
                            const http::HttpClient& client, audit::TileLogOptions* options,
                            std::vector<std::unique_ptr<audit::HttpWitnessClient>>* clients) {
  const toml::node* node = audit.get("require_witness");
  if (node == nullptr) return Status::Ok();
  const toml::array* list = node->as_array();
  if (list == nullptr || list->size() > kMaxRequiredWitnesses) {
    return ConfigError("audit.require_witness",
                       "must be a list of at most " + std::to_string(kMaxRequiredWitnesses) +
                           " { vkey_file, url } tables");
  }
  std::set<std::string, std::less<>> names;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string prefix = "audit.require_witness[" + std::to_string(i) + "].";
    const toml::table* t = (*list)[i].as_table();
    if (t == nullptr) return ConfigError(prefix.substr(0, prefix.size() - 1), "must be a table");
    ACCORD_RETURN_IF_ERROR(CheckKnownKeys(*t, prefix, {"vkey_file", "url"}));
    ACCORD_ASSIGN_OR_RETURN(std::string vkey_file, RequiredString(*t, prefix, "vkey_file"));
    ACCORD_ASSIGN_OR_RETURN(std::string url, RequiredString(*t, prefix, "url"));
    ACCORD_ASSIGN_OR_RETURN(auto key,
                            ReadVerifierKey(prefix + "vkey_file", Resolve(config_dir, vkey_file),
                                            audit::NoteKeyType::kCosignatureV1));
    if (!IsHttpUrl(url)) {
      return ConfigError(prefix + "url",
                         "must be the witness's http(s) URL, e.g. http://127.0.0.1:8083/witness/");
    }
    if (!names.insert(key->name()).second) {
      return ConfigError(prefix + "vkey_file", "witness " + key->name() + " is required twice");
    }
    clients->push_back(std::make_unique<audit::HttpWitnessClient>(client, url));
    options->witnesses.push_back({std::move(key), clients->back().get()});
  }
  if (options->witnesses.empty()) return Status::Ok();
  // Report each change of outcome once (the log retries every second while a witness is down).
  options->on_publish = [last_ok = std::optional<bool>()](const Status& st,
                                                          uint64_t size) mutable {
    if (last_ok == st.ok()) return;
    last_ok = st.ok();
    if (st.ok()) {
      std::cerr << "accord serve: audit: cosigned checkpoint published (tree size " << size << ")"
                << std::endl;
    } else {
      std::cerr << "accord serve: audit: checkpoint of tree size " << size
                << " not published (a required witness did not cosign; retrying): "
                << st.ToString() << std::endl;
    }
  };
  return Status::Ok();
}

}  // namespace accord::app
