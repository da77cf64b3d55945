#include "oidc/connectors/discovery.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "common/json.h"
#include "oidc/connectors/upstream_http.h"

namespace accord::oidc::connectors {
namespace {

constexpr size_t kMaxAlgs = 32;

Status MetadataError(std::string_view member, std::string_view problem) {
  return InvalidArgument("discovery " + std::string(member) + ": " + std::string(problem),
                         "upstream_error");
}

Status GetEndpoint(const boost::json::object& doc, std::string_view name, bool required,
                   std::string* out) {
  const boost::json::value* v = doc.if_contains(name);
  if (v == nullptr) return required ? MetadataError(name, "missing") : Status::Ok();
  if (!v->is_string()) return MetadataError(name, "must be a string");
  std::string url(v->as_string());
  std::string problem = CheckEndpointUrl(url);
  if (!problem.empty()) return MetadataError(name, problem);
  *out = std::move(url);
  return Status::Ok();
}

Status GetBool(const boost::json::object& doc, std::string_view name, bool* out) {
  const boost::json::value* v = doc.if_contains(name);
  if (v == nullptr) return Status::Ok();
  if (!v->is_bool()) return MetadataError(name, "must be a boolean");
  *out = v->as_bool();
  return Status::Ok();
}

Status GetStrings(const boost::json::object& doc, std::string_view name,
                  std::vector<std::string>* out) {
  const boost::json::value* v = doc.if_contains(name);
  if (v == nullptr) return Status::Ok();
  if (!v->is_array() || v->as_array().size() > kMaxAlgs) {
    return MetadataError(name, "must be a short array of strings");
  }
  for (const boost::json::value& item : v->as_array()) {
    if (!item.is_string()) return MetadataError(name, "must be a short array of strings");
    out->emplace_back(item.as_string());
  }
  return Status::Ok();
}

bool IsLoopback(std::string_view host) {
  return host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host == "::1";
}

}  // namespace

std::string CheckEndpointUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return "must be an absolute https URL (http allowed only for localhost)";
  std::string scheme(parsed->scheme());
  std::string host(parsed->encoded_host_address());
  if (host.empty() || (scheme != "https" && !(scheme == "http" && IsLoopback(host)))) {
    return "must be an absolute https URL (http allowed only for localhost)";
  }
  if (parsed->has_fragment()) return "must not have a fragment";
  if (parsed->has_userinfo()) return "must not have user information";
  return "";
}

Result<ProviderMetadata> ParseMetadata(std::string_view json, std::string_view expected_issuer) {
  Result<boost::json::object> doc = ParseJsonObject(
      json, BoundedJson(kMaxMetadataBytes, kMaxResponseJsonDepth));
  if (!doc.ok()) return InvalidArgument("discovery: malformed JSON", "upstream_error");
  ProviderMetadata m;
  const boost::json::value* issuer = doc->if_contains("issuer");
  if (issuer == nullptr || !issuer->is_string()) return MetadataError("issuer", "missing");
  if (issuer->as_string() != expected_issuer) {
    return MetadataError("issuer", "does not match the configured issuer");
  }
  m.issuer = std::string(expected_issuer);
  ACCORD_RETURN_IF_ERROR(GetEndpoint(*doc, "authorization_endpoint", true,
                                     &m.authorization_endpoint));
  ACCORD_RETURN_IF_ERROR(GetEndpoint(*doc, "token_endpoint", true, &m.token_endpoint));
  ACCORD_RETURN_IF_ERROR(GetEndpoint(*doc, "jwks_uri", true, &m.jwks_uri));
  ACCORD_RETURN_IF_ERROR(GetEndpoint(*doc, "userinfo_endpoint", false, &m.userinfo_endpoint));
  ACCORD_RETURN_IF_ERROR(GetEndpoint(*doc, "pushed_authorization_request_endpoint", false,
                                     &m.pushed_authorization_request_endpoint));
  ACCORD_RETURN_IF_ERROR(GetBool(*doc, "require_pushed_authorization_requests",
                                 &m.require_pushed_authorization_requests));
  ACCORD_RETURN_IF_ERROR(GetBool(*doc, "authorization_response_iss_parameter_supported",
                                 &m.authorization_response_iss_parameter_supported));
  ACCORD_RETURN_IF_ERROR(GetStrings(*doc, "id_token_signing_alg_values_supported",
                                    &m.id_token_signing_alg_values_supported));
  ACCORD_RETURN_IF_ERROR(GetStrings(*doc, "dpop_signing_alg_values_supported",
                                    &m.dpop_signing_alg_values_supported));
  if (m.require_pushed_authorization_requests && m.pushed_authorization_request_endpoint.empty()) {
    return MetadataError("pushed_authorization_request_endpoint", "missing but PAR is required");
  }
  return m;
}

}  // namespace accord::oidc::connectors
