// Interop driver: runs accord_connectors against an independent OpenID Provider (npm
// oidc-provider, started by connectors_interop.mjs, which spawns this program).
//
// Usage: connector_driver CONFIG_JSON_FILE
// CONFIG: {"id","kind":"singpass"|"onelogin"|"generic","issuer","client_id","redirect_uri","scope",
//          "signing_jwk":{private JWK},"encryption_jwk":{private JWK}?,"use_par","use_dpop",
//          "timeout_ms"}
// Then JSON lines on stdin, one answer line each on stdout:
//   {"cmd":"start"}                  -> {"ok":true,"redirect_url":...,"state":...}
//   {"cmd":"finish","callback":URL}  -> {"ok":true,"identity":{...}} or {"ok":false,"reason":...}
// The PendingLogin is kept here (looked up by the callback's state), as the broker keeps it in its
// store. Exit status 2 on a bad config.
#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "http/client.h"
#include "http/form.h"
#include "oidc/connectors/connector.h"

namespace {

namespace json = boost::json;
using namespace accord;
using namespace accord::oidc::connectors;

void Reply(const json::object& o) { std::cout << json::serialize(o) << std::endl; }

json::object IdentityJson(const UpstreamIdentity& id) {
  json::array amr;
  for (const std::string& a : id.amr) amr.emplace_back(a);
  return json::object{{"upstream_id", id.upstream_id}, {"issuer", id.issuer},
                      {"subject", id.subject},         {"sid", id.sid},
                      {"acr", id.acr},                 {"amr", amr},
                      {"vot", id.vot},                 {"auth_time", id.auth_time},
                      {"claims", id.claims}};
}

Result<std::unique_ptr<Connector>> Build(const json::object& cfg) {
  auto str = [&](const char* k) {
    const json::value* v = cfg.if_contains(k);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  ACCORD_ASSIGN_OR_RETURN(jose::Jwk signing,
                          jose::Jwk::Parse(json::serialize(cfg.at("signing_jwk"))));
  UpstreamConfig c(std::move(signing));
  std::string kind = str("kind");
  c.kind = kind == "singpass"   ? UpstreamKind::kSingpass
           : kind == "onelogin" ? UpstreamKind::kOneLogin
                                : UpstreamKind::kGeneric;
  c.id = str("id");
  c.issuer = str("issuer");
  c.client_id = str("client_id");
  c.redirect_uri = str("redirect_uri");
  c.scope = str("scope");
  if (cfg.contains("encryption_jwk")) {
    ACCORD_ASSIGN_OR_RETURN(c.encryption_key,
                            jose::Jwk::Parse(json::serialize(cfg.at("encryption_jwk"))));
  }
  c.use_par = cfg.contains("use_par") && cfg.at("use_par").as_bool();
  c.use_dpop = cfg.contains("use_dpop") && cfg.at("use_dpop").as_bool();
  if (cfg.contains("timeout_ms")) c.timeout_ms = static_cast<int>(cfg.at("timeout_ms").as_int64());
  ACCORD_ASSIGN_OR_RETURN(std::unique_ptr<http::HttpClient> http, http::HttpClient::Create());
  return MakeConnector(std::move(c), ConnectorDeps{std::move(http), nullptr});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: connector_driver CONFIG_JSON_FILE\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream ss;
  ss << in.rdbuf();
  json::object cfg;
  try {
    cfg = json::parse(ss.str()).as_object();
  } catch (const std::exception& e) {
    std::cerr << "bad config: " << e.what() << "\n";
    return 2;
  }
  auto connector = Build(cfg);
  if (!connector.ok()) {
    std::cerr << "connector: " << connector.status().ToString() << "\n";
    return 2;
  }
  std::map<std::string, PendingLogin> pending;  // by state, as the broker's store would
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    json::object cmd = json::parse(line).as_object();
    std::string name(cmd.at("cmd").as_string());
    if (name == "start") {
      auto start = (*connector)->Start();
      if (!start.ok()) {
        Reply({{"ok", false}, {"reason", start.status().reason()},
               {"message", start.status().message()}});
        continue;
      }
      // What the broker persists is the serialised form: round-trip it here too.
      auto stored = PendingLogin::FromJson(start->pending.ToJson());
      pending.emplace(start->pending.state, *stored);
      Reply({{"ok", true}, {"redirect_url", start->redirect_url}, {"state", start->pending.state}});
    } else if (name == "finish") {
      std::string url(cmd.at("callback").as_string());
      size_t q = url.find('?');
      auto params = http::ParseForm(q == std::string::npos ? "" : url.substr(q + 1));
      if (!params.ok()) {
        Reply({{"ok", false}, {"reason", "bad_callback"}});
        continue;
      }
      std::string state(params->Get("state").value_or(""));
      auto it = pending.find(state);
      PendingLogin p = it != pending.end() ? it->second : PendingLogin{};
      // Not erased: the connector itself must refuse a replayed state.
      auto id = (*connector)->Finish(*params, p);
      if (!id.ok()) {
        Reply({{"ok", false}, {"reason", id.status().reason()}, {"message", id.status().message()}});
      } else {
        Reply({{"ok", true}, {"identity", IdentityJson(*id)}});
      }
    } else {
      Reply({{"ok", false}, {"reason", "unknown_command"}});
    }
  }
  return 0;
}
