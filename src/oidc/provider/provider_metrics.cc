// Per-client OAuth counters for /token, /par and /revoke (ProviderDeps::metrics).
//
// Label values are bounded: `client` is a configured client_id (taken from the request's client
// assertion `iss`, or `client_id`) or "unknown"; `grant` one of the supported grant types or
// "other"; `error` the response's OAuth error code, which this provider produces from a fixed set.
#include <array>

#include "common/json.h"
#include "oidc/provider/jwt_peek.h"
#include "oidc/provider/provider.h"

namespace accord::oidc {

void Provider::CountOAuth(std::string_view endpoint, const http::Request& request,
                          const http::Response& response) const {
  if (tokens_metric_ == nullptr || errors_metric_ == nullptr) return;
  std::string client = "unknown";
  std::string grant = endpoint == "token" ? "other" : std::string(endpoint);
  if (const auto& form = request.Form(); form.ok()) {
    std::string claimed;
    if (auto assertion = form->Get("client_assertion"); assertion) {
      if (auto payload = PeekUnverifiedSegment(*assertion, 1); payload.ok()) {
        if (auto* iss = payload->if_contains("iss"); iss != nullptr && iss->is_string()) {
          claimed = std::string(iss->get_string());
        }
      }
    } else if (auto id = form->Get("client_id"); id) {
      claimed = std::string(*id);
    }
    if (config_.FindClient(claimed) != nullptr) client = claimed;
    if (endpoint == "token") {
      static constexpr std::array<std::string_view, 3> kGrants = {
          "authorization_code", "refresh_token", "client_credentials"};
      auto type = form->Get("grant_type");
      for (std::string_view g : kGrants) {
        if (type && *type == g) grant = std::string(g);
      }
    }
  }
  if (response.status >= 200 && response.status < 300) {
    tokens_metric_->WithLabels({std::string(endpoint), client, grant}).Inc();
    return;
  }
  std::string error = "server_error";
  if (auto body = ParseJsonObject(response.body); body.ok()) {
    if (auto* e = body->if_contains("error");
        e != nullptr && e->is_string() && e->get_string().size() <= 64) {
      error = std::string(e->get_string());
    }
  }
  errors_metric_->WithLabels({std::string(endpoint), client, error}).Inc();
}

}  // namespace accord::oidc
