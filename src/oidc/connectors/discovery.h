// Upstream OpenID Provider metadata (OpenID Connect Discovery 1.0 section 3, RFC 8414, RFC 9126,
// RFC 9207, RFC 9449) as the connectors use it.
//
// ParseMetadata requires `issuer` to equal the configured issuer exactly (Discovery section 4.3:
// the first mix-up defence), authorization_endpoint, token_endpoint and jwks_uri, and every
// endpoint to be an absolute https URL (http only on localhost/127.0.0.1/[::1]) without a fragment.
// Errors: InvalidArgument "upstream_error" with a message naming the member (never its value).
//
// Thread safety: a value type.
#ifndef ACCORD_OIDC_CONNECTORS_DISCOVERY_H_
#define ACCORD_OIDC_CONNECTORS_DISCOVERY_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace accord::oidc::connectors {

struct ProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint, token_endpoint, jwks_uri;
  std::string userinfo_endpoint;                     // may be empty
  std::string pushed_authorization_request_endpoint;  // may be empty
  bool require_pushed_authorization_requests = false;
  bool authorization_response_iss_parameter_supported = false;
  std::vector<std::string> id_token_signing_alg_values_supported;
  std::vector<std::string> dpop_signing_alg_values_supported;
};

Result<ProviderMetadata> ParseMetadata(std::string_view json, std::string_view expected_issuer);

// "" when `url` is an absolute https URL (http allowed on a loopback host) without fragment or
// userinfo; otherwise the problem.
std::string CheckEndpointUrl(std::string_view url);

}  // namespace accord::oidc::connectors

#endif  // ACCORD_OIDC_CONNECTORS_DISCOVERY_H_
