// The validated parameters of an authorization request (OIDC Core 3.1.2.1, RFC 7636, RFC 9126),
// as carried from /par or /authorize to the login step and the code.
//
// Validation (ValidateAuthorizationRequest) assumes client_id and redirect_uri are already known
// good (the caller checks them first so that errors before that point are shown as a page, never
// redirected). Failure reasons are OAuth error codes: "invalid_request", "invalid_scope",
// "unsupported_response_type", "request_not_supported".
//
// Thread safety: value types and pure functions.
#ifndef ACCORD_OIDC_PROVIDER_AUTHORIZATION_REQUEST_H_
#define ACCORD_OIDC_PROVIDER_AUTHORIZATION_REQUEST_H_

#include <cstdint>
#include <string>

#include "common/status.h"
#include "http/form.h"
#include "oidc/provider/config.h"

namespace accord::oidc {

struct AuthorizationRequest {
  std::string client_id;
  std::string redirect_uri;
  std::string scope;
  std::string state;
  std::string nonce;
  std::string code_challenge;  // S256
  std::string dpop_jkt;        // empty when not bound
  std::string prompt;          // "", "login" or "none"
  int64_t max_age = -1;        // -1 when absent
  // Optional parameters (stored with the request; "" when absent).
  std::string claims;       // OIDC `claims` request, compact JSON object
  std::string acr_values;   // space separated
  std::string ui_locales;   // space separated language tags
  std::string vtr;          // profile "onelogin": normalised vtr JSON (default ["Cl.Cm"])
};

// Checks redirect_uri against the client's registered URIs (exact match). Reason
// "invalid_request".
Result<std::string> CheckRequestRedirectUri(const http::Params& params, const ClientConfig& client);

// Validates everything but client_id / redirect_uri (already checked) and fills the request.
// `provider_profile` ("accord", "onelogin", "singpass") selects profile rules: "onelogin"
// accepts and normalises `vtr` (vtr.h) and allows only userinfo members in `claims`.
Result<AuthorizationRequest> ValidateAuthorizationRequest(const http::Params& params,
                                                          const ClientConfig& client,
                                                          std::string redirect_uri,
                                                          std::string_view provider_profile = "accord");

std::string ToJson(const AuthorizationRequest& request);

// What an authorization code carries besides its store columns (store::AuthCode::claims_json):
// {"acr", "claims", "vtr", "acr_values"}. GrantParametersJson writes it; RestoreGrantParameters
// copies claims/vtr/acr_values back into `request` (members absent or unreadable stay empty).
std::string GrantParametersJson(const AuthorizationRequest& request, std::string_view acr);
void RestoreGrantParameters(std::string_view claims_json, AuthorizationRequest* request);
Result<AuthorizationRequest> AuthorizationRequestFromJson(std::string_view json);

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_AUTHORIZATION_REQUEST_H_
