#include "oidc/provider/authorization_request.h"

#include <boost/json/serialize.hpp>

#include <charconv>
#include <sstream>

#include "common/json.h"
#include "oidc/provider/vtr.h"

namespace accord::oidc {
namespace {

Status Invalid(std::string message, std::string reason = "invalid_request") {
  return InvalidArgument(std::move(message), std::move(reason));
}

bool IsPkceChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// An optional single-valued parameter of at most `max` bytes.
Status Optional(const http::Params& params, std::string_view name, size_t max, std::string* out) {
  size_t n = params.Count(name);
  if (n == 0) return Status::Ok();
  if (n > 1) return Invalid(std::string(name) + " repeated");
  std::string_view v = *params.Get(name);
  if (v.size() > max) return Invalid(std::string(name) + " too long");
  *out = std::string(v);
  return Status::Ok();
}

// The `claims` parameter: a JSON object whose members are "userinfo" / "id_token" objects.
Status ValidateClaimsRequest(std::string* claims, bool userinfo_only) {
  if (claims->empty()) return Status::Ok();
  JsonLimits limits;
  limits.max_bytes = 4096;
  limits.max_depth = 6;
  auto parsed = ParseJson(*claims, limits);
  if (!parsed.ok() || !parsed->is_object()) return Invalid("claims must be a JSON object");
  for (const auto& [name, value] : parsed->get_object()) {
    bool known = name == "userinfo" || (!userinfo_only && name == "id_token");
    if (!known) return Invalid("claims member " + std::string(name).substr(0, 16) + " not supported");
    if (!value.is_object()) return Invalid("claims members must be objects");
  }
  *claims = boost::json::serialize(*parsed);
  return Status::Ok();
}

Status ValidateUiLocales(std::string_view locales) {
  for (char c : locales) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == ' ';
    if (!ok) return Invalid("ui_locales must be space-separated language tags");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> CheckRequestRedirectUri(const http::Params& params, const ClientConfig& client) {
  auto uri = params.GetUnique("redirect_uri");
  if (!uri.ok()) return Invalid("redirect_uri missing or repeated");
  if (!client.AllowsRedirectUri(*uri)) return Invalid("redirect_uri is not registered for this client");
  return std::string(*uri);
}

Result<AuthorizationRequest> ValidateAuthorizationRequest(const http::Params& params,
                                                          const ClientConfig& client,
                                                          std::string redirect_uri,
                                                          std::string_view provider_profile) {
  if (auto dup = params.FirstDuplicate()) return Invalid(std::string(*dup) + " repeated");
  if (params.Count("request") > 0) return Invalid("request objects are not supported", "request_not_supported");
  AuthorizationRequest r;
  r.client_id = client.client_id;
  r.redirect_uri = std::move(redirect_uri);
  auto response_type = params.GetUnique("response_type");
  if (!response_type.ok()) return Invalid("response_type missing");
  if (*response_type != "code") return Invalid("only response_type=code", "unsupported_response_type");
  if (auto mode = params.Get("response_mode"); mode && *mode != "query") {
    return Invalid("only response_mode=query");
  }
  ACCORD_RETURN_IF_ERROR(Optional(params, "scope", 1024, &r.scope));
  bool has_openid = false;
  std::istringstream scopes(r.scope);
  for (std::string s; scopes >> s;) {
    if (!client.AllowsScope(s)) return Invalid("scope " + s + " not allowed", "invalid_scope");
    has_openid |= s == "openid";
  }
  if (!has_openid) return Invalid("scope must include openid", "invalid_scope");
  ACCORD_RETURN_IF_ERROR(Optional(params, "state", 512, &r.state));
  ACCORD_RETURN_IF_ERROR(Optional(params, "nonce", 512, &r.nonce));
  if (client.profile == ClientProfile::kFapi2 && r.nonce.empty() && r.state.empty()) {
    return Invalid("nonce or state required");
  }
  ACCORD_RETURN_IF_ERROR(Optional(params, "code_challenge", 128, &r.code_challenge));
  std::string method;
  ACCORD_RETURN_IF_ERROR(Optional(params, "code_challenge_method", 16, &method));
  if (r.code_challenge.empty()) return Invalid("code_challenge (PKCE) required");
  if (method != "S256") return Invalid("code_challenge_method must be S256");
  if (r.code_challenge.size() != 43) return Invalid("code_challenge must be a base64url SHA-256");
  for (char c : r.code_challenge) {
    if (!IsPkceChar(c) || c == '.' || c == '~') return Invalid("code_challenge must be base64url");
  }
  ACCORD_RETURN_IF_ERROR(Optional(params, "dpop_jkt", 64, &r.dpop_jkt));
  ACCORD_RETURN_IF_ERROR(Optional(params, "prompt", 64, &r.prompt));
  if (!r.prompt.empty() && r.prompt != "login" && r.prompt != "none") {
    return Invalid("prompt must be login or none");
  }
  std::string max_age;
  ACCORD_RETURN_IF_ERROR(Optional(params, "max_age", 12, &max_age));
  if (!max_age.empty()) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(max_age.data(), max_age.data() + max_age.size(), v);
    if (ec != std::errc() || end != max_age.data() + max_age.size() || v < 0) {
      return Invalid("max_age must be a non-negative integer");
    }
    r.max_age = v;
  }
  bool onelogin = provider_profile == "onelogin";
  ACCORD_RETURN_IF_ERROR(Optional(params, "claims", 4096, &r.claims));
  ACCORD_RETURN_IF_ERROR(ValidateClaimsRequest(&r.claims, onelogin));
  ACCORD_RETURN_IF_ERROR(Optional(params, "acr_values", 512, &r.acr_values));
  ACCORD_RETURN_IF_ERROR(Optional(params, "ui_locales", 64, &r.ui_locales));
  ACCORD_RETURN_IF_ERROR(ValidateUiLocales(r.ui_locales));
  if (onelogin) {
    std::string vtr;
    ACCORD_RETURN_IF_ERROR(Optional(params, "vtr", kMaxVtrBytes, &vtr));
    ACCORD_ASSIGN_OR_RETURN(r.vtr, NormalizeVtr(vtr));
  } else if (params.Count("vtr") > 0) {
    return Invalid("vtr is not supported by this provider");
  }
  return r;
}

std::string ToJson(const AuthorizationRequest& r) {
  boost::json::object o;
  o["client_id"] = r.client_id;
  o["redirect_uri"] = r.redirect_uri;
  o["scope"] = r.scope;
  o["state"] = r.state;
  o["nonce"] = r.nonce;
  o["code_challenge"] = r.code_challenge;
  o["dpop_jkt"] = r.dpop_jkt;
  o["prompt"] = r.prompt;
  o["max_age"] = r.max_age;
  if (!r.claims.empty()) o["claims"] = r.claims;
  if (!r.acr_values.empty()) o["acr_values"] = r.acr_values;
  if (!r.ui_locales.empty()) o["ui_locales"] = r.ui_locales;
  if (!r.vtr.empty()) o["vtr"] = r.vtr;
  return boost::json::serialize(o);
}

std::string GrantParametersJson(const AuthorizationRequest& r, std::string_view acr) {
  boost::json::object o{{"acr", acr}};
  if (!r.claims.empty()) o["claims"] = r.claims;
  if (!r.vtr.empty()) o["vtr"] = r.vtr;
  if (!r.acr_values.empty()) o["acr_values"] = r.acr_values;
  return boost::json::serialize(o);
}

void RestoreGrantParameters(std::string_view claims_json, AuthorizationRequest* r) {
  auto o = ParseJsonObject(claims_json);
  if (!o.ok()) return;
  std::pair<const char*, std::string*> fields[] = {
      {"claims", &r->claims}, {"vtr", &r->vtr}, {"acr_values", &r->acr_values}};
  for (auto& [name, out] : fields) {
    const boost::json::value* v = o->if_contains(name);
    if (v != nullptr && v->is_string()) *out = std::string(v->get_string());
  }
}

Result<AuthorizationRequest> AuthorizationRequestFromJson(std::string_view json) {
  auto o = ParseJsonObject(json);
  if (!o.ok()) return DataLoss("stored request unreadable", "corrupt");
  AuthorizationRequest r;
  std::pair<const char*, std::string*> fields[] = {
      {"client_id", &r.client_id}, {"redirect_uri", &r.redirect_uri}, {"scope", &r.scope},
      {"state", &r.state}, {"nonce", &r.nonce}, {"code_challenge", &r.code_challenge},
      {"dpop_jkt", &r.dpop_jkt}, {"prompt", &r.prompt}};
  for (auto& [name, out] : fields) {
    const boost::json::value* v = o->if_contains(name);
    if (v == nullptr || !v->is_string()) return DataLoss("stored request unreadable", "corrupt");
    *out = std::string(v->get_string());
  }
  const boost::json::value* max_age = o->if_contains("max_age");
  if (max_age == nullptr || !max_age->is_int64()) return DataLoss("stored request unreadable", "corrupt");
  r.max_age = max_age->get_int64();
  std::pair<const char*, std::string*> optional_fields[] = {
      {"claims", &r.claims}, {"acr_values", &r.acr_values}, {"ui_locales", &r.ui_locales},
      {"vtr", &r.vtr}};
  for (auto& [name, out] : optional_fields) {
    const boost::json::value* v = o->if_contains(name);
    if (v == nullptr) continue;
    if (!v->is_string()) return DataLoss("stored request unreadable", "corrupt");
    *out = std::string(v->get_string());
  }
  return r;
}

}  // namespace accord::oidc
