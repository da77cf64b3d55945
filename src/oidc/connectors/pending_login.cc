#include <boost/json.hpp>

#include "common/json.h"
#include "oidc/connectors/connector.h"
#include "oidc/connectors/upstream_http.h"

namespace accord::oidc::connectors {
namespace {

constexpr size_t kMaxPendingLoginBytes = 16 * 1024;
constexpr size_t kMaxFieldChars = 8 * 1024;

Status Bad(std::string_view member) {
  return InvalidArgument("pending login: bad " + std::string(member), "bad_pending_login");
}

Status GetString(const boost::json::object& o, std::string_view name, bool required,
                 std::string* out) {
  const boost::json::value* v = o.if_contains(name);
  if (v == nullptr) return required ? Bad(name) : Status::Ok();
  if (!v->is_string() || v->as_string().size() > kMaxFieldChars) return Bad(name);
  *out = std::string(v->as_string());
  if (required && out->empty()) return Bad(name);
  return Status::Ok();
}

}  // namespace

std::string PendingLogin::ToJson() const {
  boost::json::object o{
      {"upstream_id", upstream_id}, {"state", state},         {"nonce", nonce},
      {"code_verifier", code_verifier}, {"created_at", created_at},
  };
  if (!dpop_private_jwk.empty()) o["dpop_private_jwk"] = dpop_private_jwk;
  return boost::json::serialize(o);
}

Result<PendingLogin> PendingLogin::FromJson(std::string_view json) {
  Result<boost::json::object> o =
      ParseJsonObject(json, BoundedJson(kMaxPendingLoginBytes, 4));
  if (!o.ok()) return Bad("JSON");
  PendingLogin p;
  ACCORD_RETURN_IF_ERROR(GetString(*o, "upstream_id", true, &p.upstream_id));
  ACCORD_RETURN_IF_ERROR(GetString(*o, "state", true, &p.state));
  ACCORD_RETURN_IF_ERROR(GetString(*o, "nonce", true, &p.nonce));
  ACCORD_RETURN_IF_ERROR(GetString(*o, "code_verifier", true, &p.code_verifier));
  ACCORD_RETURN_IF_ERROR(GetString(*o, "dpop_private_jwk", false, &p.dpop_private_jwk));
  const boost::json::value* created = o->if_contains("created_at");
  if (created == nullptr || !created->is_int64() || created->as_int64() < 0) {
    return Bad("created_at");
  }
  p.created_at = created->as_int64();
  return p;
}

}  // namespace accord::oidc::connectors
