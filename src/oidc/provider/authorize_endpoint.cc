// /par, /authorize and /login (see provider.h).
#include <boost/json/serialize.hpp>

#include "common/bytes.h"
#include "common/json.h"
#include "crypto/constant_time.h"
#include "crypto/random.h"
#include "oidc/provider/provider.h"
#include "store/token_hash.h"
#include "web/html.h"

namespace accord::oidc {
namespace {

constexpr std::string_view kLoginPrefix = "urn:accord:login:";
constexpr std::string_view kSessionCookie = "accord_session";
constexpr std::string_view kCsrfCookie = "accord_csrf";
// A login that went upstream (Authenticator::Begin -> redirect_url) waits under this prefix,
// bound to the browser by kResumeCookie, until ResumeLogin.
constexpr std::string_view kResumePrefix = "urn:accord:resume:";
constexpr std::string_view kResumeCookie = "accord_resume";

std::string LoginHeading(std::string_view profile) {
  if (profile == "onelogin") return "Sign in to the GOV.UK One Login sandbox (sandbox-uk)";
  if (profile == "singpass") return "Log in to the Singpass sandbox (sandbox-sg)";
  return "Sign in to the Accord sandbox";
}

int ErrorStatus(const Status& s) {
  return s.reason() == "invalid_client" ? 401 : (s.code() == StatusCode::kUnavailable ? 503 : 400);
}

}  // namespace

Result<std::optional<DpopProof>> Provider::CheckDpop(
    const http::Request& request, std::string_view htu,
    std::optional<std::string_view> access_token) const {
  size_t n = request.headers.Count("DPoP");
  if (n == 0) return std::optional<DpopProof>();
  if (n > 1) return InvalidArgument("more than one DPoP header", "invalid_dpop_proof");
  ACCORD_ASSIGN_OR_RETURN(DpopProof proof,
                          dpop_->Verify(*request.headers.Get("DPoP"), request.method, htu,
                                        access_token));
  return std::optional<DpopProof>(std::move(proof));
}

http::Response Provider::OAuthErrorWithNonce(int status, const Status& error) const {
  std::string code = error.reason().empty() ? "server_error" : error.reason();
  if (error.code() == StatusCode::kUnavailable || error.code() == StatusCode::kResourceExhausted) {
    code = "temporarily_unavailable";
    status = 503;
  } else if (error.code() == StatusCode::kInternal || error.code() == StatusCode::kDataLoss) {
    code = "server_error";
    status = 500;
  }
  // A dependency's own words (a database's or a network error's) are internals: a 503 says only
  // that the client may try again, a 500 nothing.
  std::string_view description = error.message();
  if (code == "server_error") description = "";
  if (code == "temporarily_unavailable") description = "try again later";
  http::Response r = http::OAuthError(status, code, description);
  if (code == "use_dpop_nonce" || code == "invalid_dpop_proof") {
    r.headers.Set("DPoP-Nonce", dpop_->NewNonce());
  }
  r.headers.Set("Cache-Control", "no-store");
  return r;
}

http::Response Provider::Par(const http::Request& request) const {
  const auto& form = request.Form();
  if (!form.ok()) return OAuthErrorWithNonce(400, InvalidArgument("body must be a form", "invalid_request"));
  if (auto dup = form->FirstDuplicate()) {
    return OAuthErrorWithNonce(400, InvalidArgument(std::string(*dup) + " repeated", "invalid_request"));
  }
  auto client = client_auth_.Authenticate(*form, {config_.issuer, Url("/par"), Url("/token")});
  if (!client.ok()) return OAuthErrorWithNonce(ErrorStatus(client.status()), client.status());
  if (form->Count("request_uri") > 0) {
    return OAuthErrorWithNonce(400, InvalidArgument("request_uri not allowed at PAR", "invalid_request"));
  }
  auto redirect_uri = CheckRequestRedirectUri(*form, **client);
  if (!redirect_uri.ok()) return OAuthErrorWithNonce(400, redirect_uri.status());
  auto auth = ValidateAuthorizationRequest(*form, **client, *redirect_uri, config_.profile);
  if (!auth.ok()) return OAuthErrorWithNonce(400, auth.status());
  auto proof = CheckDpop(request, Url("/par"), std::nullopt);
  if (!proof.ok()) return OAuthErrorWithNonce(400, proof.status());
  if (proof->has_value()) {
    if (!auth->dpop_jkt.empty() && auth->dpop_jkt != (*proof)->jkt) {
      return OAuthErrorWithNonce(400, InvalidArgument("dpop_jkt does not match the DPoP proof",
                                                      "invalid_dpop_proof"));
    }
    auth->dpop_jkt = (*proof)->jkt;
  }
  int64_t now = clock_.NowSeconds();
  store::PushedRequest par;
  par.request_uri = std::string(kRequestUriPrefix) + crypto::RandomToken(32);
  par.client_id = (*client)->client_id;
  par.params_json = ToJson(*auth);
  par.created_at = now;
  par.expires_at = now + kParLifetime;
  Status saved = store_.SavePushedRequest(par);
  if (!saved.ok()) return OAuthErrorWithNonce(500, saved);
  boost::json::object body{{"request_uri", par.request_uri}, {"expires_in", kParLifetime}};
  http::Response r = http::JsonResponse(body, 201);
  r.headers.Set("Cache-Control", "no-store");
  if (proof->has_value()) r.headers.Set("DPoP-Nonce", dpop_->NewNonce());
  return r;
}

std::optional<store::Session> Provider::CurrentSession(const http::Request& request) const {
  auto cookie = GetCookie(request, kSessionCookie);
  if (!cookie || cookie->empty() || cookie->size() > 128) return std::nullopt;
  auto session = store_.GetSession(store::HashToken(*cookie), clock_.NowSeconds());
  if (!session.ok()) return std::nullopt;
  return std::move(*session);
}

http::Response Provider::Authorize(const http::Request& request) const {
  const http::Params& q = request.query;
  auto client_id = q.GetUnique("client_id");
  if (!client_id.ok()) {
    return ErrorPage(400, "Invalid request", "The request has no client_id (or more than one).");
  }
  const ClientConfig* client = config_.FindClient(*client_id);
  if (client == nullptr) {
    return ErrorPage(400, "Unknown service", "The service that sent you here is not registered.");
  }
  AuthorizationRequest auth;
  if (q.Count("request_uri") > 0) {
    auto uri = q.GetUnique("request_uri");
    if (!uri.ok() || !uri->starts_with(kRequestUriPrefix)) {
      return ErrorPage(400, "Invalid request", "The request_uri is not valid.");
    }
    auto par = store_.ConsumePushedRequest(*uri, clock_.NowSeconds());
    if (!par.ok() || par->client_id != client->client_id) {
      return ErrorPage(400, "Request expired",
                       "This sign-in request has expired or was already used.");
    }
    auto parsed = AuthorizationRequestFromJson(par->params_json);
    if (!parsed.ok()) return ErrorPage(500, "Something went wrong", "Please try again.");
    auth = std::move(*parsed);
  } else {
    auto redirect_uri = CheckRequestRedirectUri(q, *client);
    if (!redirect_uri.ok()) {
      return ErrorPage(400, "Invalid request",
                       "The return address (redirect_uri) is missing or not registered for this "
                       "service.");
    }
    if (client->requires_par()) {
      AuthorizationRequest partial;
      partial.redirect_uri = *redirect_uri;
      if (auto state = q.Get("state"); state && state->size() <= 512) partial.state = *state;
      return ErrorRedirect(partial, "invalid_request",
                           "this client must use pushed authorization requests");
    }
    auto validated = ValidateAuthorizationRequest(q, *client, *redirect_uri, config_.profile);
    if (!validated.ok()) {
      AuthorizationRequest partial;
      partial.redirect_uri = *redirect_uri;
      if (q.Count("state") == 1 && q.Get("state")->size() <= 512) partial.state = *q.Get("state");
      return ErrorRedirect(partial, validated.status().reason(), validated.status().message());
    }
    auth = std::move(*validated);
  }
  std::optional<store::Session> session = CurrentSession(request);
  int64_t now = clock_.NowSeconds();
  bool fresh_enough = session && (auth.max_age < 0 || now - session->auth_time <= auth.max_age);
  if (session && fresh_enough && auth.prompt != "login") return IssueCodeOrConsent(auth, *session, 302);
  if (auth.prompt == "none") return ErrorRedirect(auth, "login_required", "");
  return StartLogin(auth);
}

http::Response Provider::StartLogin(const AuthorizationRequest& auth) const {
  std::string txn = crypto::RandomToken(24);
  std::string csrf = crypto::RandomToken(32);
  boost::json::object stored{{"request", ToJson(auth)},
                             {"csrf_hash", HexEncode(store::HashToken(csrf))}};
  int64_t now = clock_.NowSeconds();
  store::PushedRequest record;
  record.request_uri = std::string(kLoginPrefix) + txn;
  record.client_id = auth.client_id;
  record.params_json = boost::json::serialize(stored);
  record.created_at = now;
  record.expires_at = now + kLoginTransactionLifetime;
  if (!store_.SavePushedRequest(record).ok()) {
    return ErrorPage(503, "Service unavailable", "Please try again in a moment.");
  }
  std::string heading = authenticator_.LoginHeading();
  if (heading.empty()) heading = LoginHeading(config_.profile);
  std::string intro = authenticator_.LoginIntro();
  if (intro.empty()) intro = "This is a test environment. Everyone listed below is fictional.";
  std::string body =
      "<h1 class=\"govuk-heading-l\">" + web::HtmlEscape(heading) + "</h1>\n"
      "<p class=\"govuk-body\">" + web::HtmlEscape(intro) + "</p>\n"
      "<form method=\"post\" action=\"/login\" novalidate>\n"
      "<input type=\"hidden\" name=\"txn\" value=\"" + web::HtmlEscape(txn) + "\">\n"
      "<input type=\"hidden\" name=\"csrf\" value=\"" + web::HtmlEscape(csrf) + "\">\n" +
      authenticator_.RenderLoginFields() +
      "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">Continue"
      "</button>\n</form>";
  // The form's answer redirects to the client (or to an upstream provider): browsers apply
  // form-action to those redirects, so the page's CSP names their origins.
  std::vector<std::string> targets = authenticator_.FormTargets();
  targets.push_back(OriginOf(auth.redirect_uri));
  http::Response r;
  r.headers.Set("Content-Type", "text/html; charset=utf-8");
  r.headers.Set("Content-Security-Policy", web::PageCsp(targets));
  r.headers.Add("Set-Cookie", Cookie(kCsrfCookie, csrf, "/login", kLoginTransactionLifetime));
  r.body = web::RenderPage("Sign in", body);
  return r;
}

http::Response Provider::Login(const http::Request& request) const {
  const auto& form = request.Form();
  if (!form.ok() || form->FirstDuplicate()) {
    return ErrorPage(400, "Invalid request", "The form could not be read.");
  }
  auto txn = form->GetUnique("txn");
  auto csrf = form->GetUnique("csrf");
  auto cookie = GetCookie(request, kCsrfCookie);
  if (!txn.ok() || !csrf.ok() || !cookie || txn->size() > 64 ||
      !crypto::ConstantTimeEquals(*csrf, *cookie)) {
    return ErrorPage(403, "Sign-in could not be completed",
                     "Your browser did not send the expected security token. Start again from "
                     "the service.");
  }
  auto record = store_.ConsumePushedRequest(std::string(kLoginPrefix) + std::string(*txn),
                                            clock_.NowSeconds());
  if (!record.ok()) {
    return ErrorPage(400, "Sign-in expired", "This sign-in attempt expired or was already used.");
  }
  auto stored = ParseJsonObject(record->params_json);
  const boost::json::value* hash = stored.ok() ? stored->if_contains("csrf_hash") : nullptr;
  const boost::json::value* req = stored.ok() ? stored->if_contains("request") : nullptr;
  if (hash == nullptr || !hash->is_string() || req == nullptr || !req->is_string()) {
    return ErrorPage(500, "Something went wrong", "Please try again.");
  }
  if (!crypto::ConstantTimeEquals(std::string_view(hash->get_string()),
                                  HexEncode(store::HashToken(*csrf)))) {
    return ErrorPage(403, "Sign-in could not be completed",
                     "The security token does not belong to this sign-in.");
  }
  auto auth = AuthorizationRequestFromJson(req->get_string());
  if (!auth.ok()) return ErrorPage(500, "Something went wrong", "Please try again.");
  auto step = authenticator_.Begin(*form, *txn);
  if (!step.ok()) return ErrorRedirect(*auth, "access_denied", "authentication failed");
  if (step->user.has_value()) return FinishLogin(*auth, *step->user);
  if (step->redirect_url.empty()) return ErrorPage(500, "Something went wrong", "Please try again.");
  // The login continues upstream: keep the request until ResumeLogin, bound to this browser.
  std::string binding = crypto::RandomToken(32);
  int64_t now = clock_.NowSeconds();
  store::PushedRequest pending;
  pending.request_uri = std::string(kResumePrefix) + std::string(*txn);
  pending.client_id = auth->client_id;
  pending.params_json = boost::json::serialize(boost::json::object{
      {"request", ToJson(*auth)}, {"binding_hash", HexEncode(store::HashToken(binding))}});
  pending.created_at = now;
  pending.expires_at = now + kLoginTransactionLifetime;
  if (!store_.SavePushedRequest(pending).ok()) {
    return ErrorPage(503, "Service unavailable", "Please try again in a moment.");
  }
  http::Response r = http::Redirect(step->redirect_url, 303);
  r.headers.Add("Set-Cookie", Cookie(kResumeCookie, binding, "/", kLoginTransactionLifetime));
  r.headers.Add("Set-Cookie", Cookie(kCsrfCookie, "", "/login", 0));
  return r;
}

http::Response Provider::ResumeLogin(std::string_view login_transaction_id,
                                     const AuthenticatedUser& user,
                                     const http::Request& request) const {
  auto binding = GetCookie(request, kResumeCookie);
  if (login_transaction_id.empty() || login_transaction_id.size() > 64 || !binding ||
      binding->empty() || binding->size() > 128) {
    return ErrorPage(403, "Sign-in could not be completed",
                     "Your browser did not send the expected security token. Start again from "
                     "the service.");
  }
  auto record = store_.ConsumePushedRequest(
      std::string(kResumePrefix) + std::string(login_transaction_id), clock_.NowSeconds());
  if (!record.ok()) {
    return ErrorPage(400, "Sign-in expired", "This sign-in attempt expired or was already used.");
  }
  auto stored = ParseJsonObject(record->params_json);
  const boost::json::value* hash = stored.ok() ? stored->if_contains("binding_hash") : nullptr;
  const boost::json::value* req = stored.ok() ? stored->if_contains("request") : nullptr;
  if (hash == nullptr || !hash->is_string() || req == nullptr || !req->is_string()) {
    return ErrorPage(500, "Something went wrong", "Please try again.");
  }
  if (!crypto::ConstantTimeEquals(std::string_view(hash->get_string()),
                                  HexEncode(store::HashToken(*binding)))) {
    return ErrorPage(403, "Sign-in could not be completed",
                     "This sign-in was started in another browser.");
  }
  auto auth = AuthorizationRequestFromJson(req->get_string());
  if (!auth.ok()) return ErrorPage(500, "Something went wrong", "Please try again.");
  http::Response r = FinishLogin(*auth, user);
  r.headers.Add("Set-Cookie", Cookie(kResumeCookie, "", "/", 0));
  return r;
}

http::Response Provider::FinishLogin(const AuthorizationRequest& auth,
                                     const AuthenticatedUser& user) const {
  int64_t now = clock_.NowSeconds();
  std::string secret = crypto::RandomToken(32);
  store::Session session;
  session.sid = crypto::RandomToken(16);
  session.secret_hash = store::HashToken(secret);
  session.subject = user.subject;
  session.auth_time = now;
  session.acr = user.acr;
  session.amr = user.amr;
  session.upstream = user.upstream;
  session.identity_json = user.identity_json;
  session.created_at = now;
  session.expires_at = now + config_.session_lifetime;
  if (!store_.CreateSession(session).ok()) {
    return ErrorPage(503, "Service unavailable", "Please try again in a moment.");
  }
  http::Response r = IssueCodeOrConsent(auth, session, 303);
  r.headers.Add("Set-Cookie", Cookie(kSessionCookie, secret, "/", config_.session_lifetime));
  r.headers.Add("Set-Cookie", Cookie(kCsrfCookie, "", "/login", 0));
  return r;
}

http::Response Provider::IssueCodeOrConsent(const AuthorizationRequest& auth,
                                            const store::Session& session,
                                            int redirect_status) const {
  if (consent_gate_ != nullptr) {
    if (std::optional<http::Response> instead = consent_gate_->BeforeIssue(auth, session)) {
      return std::move(*instead);
    }
  }
  return IssueCode(auth, session, redirect_status);
}

http::Response Provider::IssueCode(const AuthorizationRequest& auth, const store::Session& session,
                                   int redirect_status) const {
  int64_t now = clock_.NowSeconds();
  std::string code = crypto::RandomToken(32);
  store::AuthCode record;
  record.code_hash = store::HashToken(code);
  record.grant_id = crypto::RandomToken(16);
  record.client_id = auth.client_id;
  record.subject = session.subject;
  record.session_id = session.sid;
  record.redirect_uri = auth.redirect_uri;
  record.scope = auth.scope;
  record.nonce = auth.nonce;
  record.code_challenge = auth.code_challenge;
  record.dpop_jkt = auth.dpop_jkt;
  record.claims_json = GrantParametersJson(auth, session.acr);
  record.auth_time = session.auth_time;
  record.issued_at = now;
  record.expires_at = now + kAuthCodeLifetime;
  // The session reaches the client once it holds a code: its back-channel logout goes there too
  // (the session ends no later than now + session_lifetime, so the row never outlives that).
  record.session_client_expires_at = now + config_.session_lifetime;
  if (!store_.SaveAuthCode(record).ok()) {
    return ErrorRedirect(auth, "temporarily_unavailable", "");
  }
  std::string location = auth.redirect_uri;
  location += location.find('?') == std::string::npos ? '?' : '&';
  location += "code=" + http::FormEncode(code);
  if (!auth.state.empty()) location += "&state=" + http::FormEncode(auth.state);
  location += "&iss=" + http::FormEncode(config_.issuer);
  return http::Redirect(location, redirect_status);
}

}  // namespace accord::oidc
