// DemoService: a small government service (relying party) that signs people in through Accord,
// used by the demo and the browser tests: e.g. Singapore's "Apply for an Employment Pass" for a
// person with a UK identity, or the UK's "Tell HMRC you are leaving the UK" for a person with a
// Singapore identity. It is a real OpenID Connect client: Accord's generic connector (PAR, DPoP
// and private_key_jwt when configured), so every login it makes is a full protocol exchange.
//
// Configuration (TOML, docs/demo.md):
//   [demo_service]  name, agency, country (alpha-3), description, address, port, base_url,
//                   accord_consents_url (link shown after sign-in), journey_event (a life event
//                   of the catalogue offered after sign-in; optional), catalogue_dir (default:
//                   "data" found from the config's directory, web::FindUnderRoots)
//   [[upstreams]]   exactly one: Accord itself (kind = "generic"), see docs/connectors.md
//
// Routes: GET / (start page), POST /start (to Accord), GET /callback (the verified claims it
// received). Pending logins are kept in memory (bounded, 10 minutes). With a journey_event
// (docs/demo.md, "Life events after login"): the callback also starts the service's own session
// (cookie "accord_demo_<client_id>", HttpOnly, SameSite=Lax; SessionTable) holding the identity
// facts mapped from the released claims (identity_facts.h); GET /journey shows the life-event
// journey planned from them and the person's answers; POST /journey (CSRF token from the
// session) validates the answers (journeys/answers.h), keeps them in the session and answers
// 303 to GET /journey, or shows the errors (400).
//
// Thread safety: handlers are safe to run concurrently. Lifetime: deps must outlive the service.
#ifndef ACCORD_DEMO_DEMO_SERVICE_H_
#define ACCORD_DEMO_DEMO_SERVICE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "http/request.h"
#include "http/response.h"
#include "demo/session_table.h"
#include "http/router.h"
#include "journeys/catalogue.h"
#include "oidc/connectors/connector.h"

namespace accord::demo {

inline constexpr size_t kMaxPendingLogins = 10000;

struct DemoServiceConfig {
  std::string name, agency, country, description;
  std::string address = "127.0.0.1";
  uint16_t port = 0;
  std::string base_url;
  std::string accord_consents_url;
  std::string journey_event;  // "" = no journey offered
  std::string catalogue_dir;  // resolved; used when journey_event is set
  std::vector<oidc::connectors::UpstreamConfig> upstreams;  // exactly one
};

// Errors name the key (InvalidArgument "bad_config").
Result<DemoServiceConfig> ParseDemoServiceConfig(std::string_view toml_text,
                                                 std::string_view base_dir);
// True when the TOML text declares a [demo_service] table (so `accord serve` knows the kind).
bool IsDemoServiceConfig(std::string_view toml_text);

class DemoService {
 public:
  static Result<std::unique_ptr<DemoService>> Create(DemoServiceConfig config,
                                                     oidc::connectors::ConnectorDeps deps);
  Status AddRoutes(http::Router& router);
  const DemoServiceConfig& config() const { return config_; }

  http::Response Home(const http::Request& request) const;
  http::Response Start(const http::Request& request);
  http::Response Callback(const http::Request& request);
  http::Response Journey(const http::Request& request);
  http::Response JourneySubmit(const http::Request& request);

 private:
  DemoService(DemoServiceConfig config, std::unique_ptr<oidc::connectors::Connector> connector,
              const Clock& clock, std::optional<journeys::Catalogue> catalogue);
  http::Response Page(int status, std::string_view title, std::string body_html) const;
  http::Response NotSignedIn() const;
  std::string SessionToken(const http::Request& request) const;
  std::string SessionCookie(std::string_view token) const;
  // The journey page for `session`: from a submitted form that had errors (`rejected`), else
  // from the answers kept in the session.
  http::Response JourneyResponse(const DemoSession& session,
                                 std::optional<journeys::AnswersForm> rejected) const;

  DemoServiceConfig config_;
  std::unique_ptr<oidc::connectors::Connector> connector_;
  const Clock& clock_;
  std::optional<journeys::Catalogue> catalogue_;  // set with journey_event
  const journeys::LifeEvent* event_ = nullptr;    // points into catalogue_
  std::string cookie_name_;
  SessionTable sessions_;
  std::mutex mu_;
  std::map<std::string, oidc::connectors::PendingLogin> pending_;  // by state
};

}  // namespace accord::demo

#endif  // ACCORD_DEMO_DEMO_SERVICE_H_
