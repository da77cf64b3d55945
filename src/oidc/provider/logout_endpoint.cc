// GET/POST /logout: OpenID Connect RP-Initiated Logout 1.0, and EndSession (which also queues
// Back-Channel Logout 1.0 tokens). See provider.h and docs/provider.md.
//
// With a valid id_token_hint (signed by this OP with any published key; an EXPIRED hint is
// accepted, as the spec allows), the session it names (its sid, else the browser's session) is
// ended when the hint's sub is that session's pairwise subject for the hint's client. Without a
// hint nothing is ended until the person confirms on a page whose form carries a CSRF token
// (cookie + field), so a cross-site link cannot sign anyone out.
// post_logout_redirect_uri is followed only when it exactly matches one registered for the
// client (identified by client_id and/or the hint's aud, which must agree); otherwise the person
// sees a readable page. `state` is returned with the redirect.
#include <algorithm>
#include <optional>

#include "common/json.h"
#include "crypto/constant_time.h"
#include "crypto/random.h"
#include "jose/jws.h"
#include "oidc/provider/backchannel_logout.h"
#include "oidc/provider/provider.h"
#include "store/token_hash.h"
#include "web/html.h"

namespace accord::oidc {
namespace {

constexpr std::string_view kSessionCookie = "accord_session";
constexpr std::string_view kLogoutCookie = "accord_logout";
constexpr int64_t kConfirmLifetime = 600;
constexpr size_t kMaxParam = 8 * 1024;

struct Hint {
  std::string sub, sid, aud;
};

std::string Hidden(std::string_view name, std::string_view value) {
  return "<input type=\"hidden\" name=\"" + web::HtmlEscape(name) + "\" value=\"" +
         web::HtmlEscape(value) + "\">\n";
}

Result<Hint> VerifyIdTokenHintClaims(const KeySnapshot& snap, std::string_view issuer,
                                     std::string_view token) {
  jose::JwsVerifyOptions options;
  options.allowed_algs = {crypto::SignatureAlgorithm::kEs256, crypto::SignatureAlgorithm::kPs256};
  ACCORD_ASSIGN_OR_RETURN(jose::JwsVerifier verifier,
                          jose::JwsVerifier::Create(snap.public_jwks, options));
  ACCORD_ASSIGN_OR_RETURN(jose::VerifiedJws jws, verifier.Verify(token));
  if (!jose::TypHeaderMatches("JWT", jws.typ())) {
    return InvalidArgument("id_token_hint is not an ID token", "bad_hint");
  }
  ACCORD_ASSIGN_OR_RETURN(boost::json::object claims, ParseJsonObject(jws.payload_string()));
  auto str = [&](std::string_view name) -> std::string {
    const boost::json::value* v = claims.if_contains(name);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
  };
  if (str("iss") != issuer) return InvalidArgument("id_token_hint from another issuer", "bad_hint");
  Hint hint{str("sub"), str("sid"), str("aud")};
  if (const boost::json::value* aud = claims.if_contains("aud"); aud && aud->is_array()) {
    const auto& a = aud->get_array();
    if (a.size() == 1 && a[0].is_string()) hint.aud = std::string(a[0].get_string());
  }
  if (hint.sub.empty() || hint.aud.empty()) {
    return InvalidArgument("id_token_hint lacks sub or aud", "bad_hint");
  }
  return hint;
}

}  // namespace

http::Response Provider::Logout(const http::Request& request) const {
  http::Params form;
  if (request.method == "POST") {
    const auto& parsed = request.Form();
    if (!parsed.ok())
      return ErrorPage(400, "Sign-out could not be completed", "The request could not be read.");
    form = std::move(*parsed);
  }
  const http::Params& p = request.method == "POST" ? form : request.query;
  if (p.FirstDuplicate()) {
    return ErrorPage(400, "Sign-out could not be completed", "A parameter was repeated.");
  }
  auto param = [&](std::string_view name) -> std::string {
    auto v = p.Get(name);
    return v && v->size() <= kMaxParam ? std::string(*v) : "";
  };
  const std::string hint_token = param("id_token_hint");
  std::string client_id = param("client_id");
  const std::string post_logout = param("post_logout_redirect_uri");
  const std::string state = param("state");
  std::optional<Hint> hint;
  if (!hint_token.empty()) {
    auto snap = keys_.Current();
    if (snap == nullptr)
      return ErrorPage(503, "Service unavailable", "Please try again in a moment.");
    auto verified = VerifyIdTokenHintClaims(*snap, config_.issuer, hint_token);
    if (!verified.ok()) {
      return ErrorPage(400, "Sign-out could not be completed",
                       "The service sent a sign-out request this service cannot verify.");
    }
    if (!client_id.empty() && client_id != verified->aud) {
      return ErrorPage(400, "Sign-out could not be completed",
                       "The sign-out request names two different services.");
    }
    client_id = verified->aud;
    hint = std::move(*verified);
  }
  const ClientConfig* client = client_id.empty() ? nullptr : config_.FindClient(client_id);
  if (!client_id.empty() && client == nullptr) {
    return ErrorPage(400, "Unknown service", "The service that sent you here is not registered.");
  }

  // Which session ends.
  std::optional<store::Session> browser = CurrentSession(request);
  std::optional<store::Session> target;
  bool confirmed = false;
  if (hint) {
    if (!hint->sid.empty()) {
      auto by_sid = store_.GetSessionBySid(hint->sid, clock_.NowSeconds());
      if (by_sid.ok()) target = std::move(*by_sid);
    } else if (browser) {
      target = browser;
    }
    if (target &&
        !crypto::ConstantTimeEquals(PairwiseSubject(*client, target->subject), hint->sub)) {
      target.reset();  // the hint is about someone else
    }
  } else if (browser) {
    auto confirm = p.Get("confirm");
    auto cookie = GetCookie(request, kLogoutCookie);
    confirmed = request.method == "POST" && confirm && cookie && !cookie->empty() &&
                crypto::ConstantTimeEquals(*confirm, *cookie);
    if (!confirmed) {
      std::string csrf = crypto::RandomToken(32);
      std::string body =
          "<h1>Sign out</h1>\n<p>Do you want to sign out of Accord?</p>\n"
          "<form method=\"post\" action=\"/logout\">\n" +
          Hidden("confirm", csrf) + (client_id.empty() ? "" : Hidden("client_id", client_id)) +
          (post_logout.empty() ? "" : Hidden("post_logout_redirect_uri", post_logout)) +
          (state.empty() ? "" : Hidden("state", state)) +
          "<button type=\"submit\">Sign out</button>\n</form>";
      http::Response r;
      r.headers.Set("Content-Type", "text/html; charset=utf-8");
      r.headers.Add("Set-Cookie", Cookie(kLogoutCookie, csrf, "/logout", kConfirmLifetime));
      r.body = web::RenderPage("Sign out", body);
      return r;
    }
    target = browser;
  }

  bool ended = false;
  if (target) {
    Status status = EndSession(*target);
    if (!status.ok()) return ErrorPage(503, "Service unavailable", "Please try again in a moment.");
    ended = true;
  }
  http::Response r;
  if (client != nullptr && !post_logout.empty() &&
      std::find(client->post_logout_redirect_uris.begin(), client->post_logout_redirect_uris.end(),
                post_logout) != client->post_logout_redirect_uris.end()) {
    std::string location = post_logout;
    if (!state.empty()) {
      location += location.find('?') == std::string::npos ? '?' : '&';
      location += "state=" + http::FormEncode(state);
    }
    r = http::Redirect(location, 303);
  } else {
    r.headers.Set("Content-Type", "text/html; charset=utf-8");
    r.body = web::RenderPage(
        "Signed out", ended
                          ? "<h1>You have signed out</h1>\n<p>You can close this window.</p>"
                          : "<h1>You are not signed in</h1>\n<p>There was no session to end.</p>");
  }
  if (ended && browser && browser->sid == target->sid) {
    r.headers.Add("Set-Cookie", Cookie(kSessionCookie, "", "/", 0));
  }
  if (confirmed) r.headers.Add("Set-Cookie", Cookie(kLogoutCookie, "", "/logout", 0));
  r.headers.Set("Cache-Control", "no-store");
  return r;
}

Status Provider::EndSession(const store::Session& session) const {
  const int64_t now = clock_.NowSeconds();
  ACCORD_ASSIGN_OR_RETURN(std::vector<std::string> clients,
                          store_.ListSessionClients(session.sid, now));
  auto snap = keys_.Current();
  bool queued = false;
  for (const std::string& id : clients) {
    const ClientConfig* client = config_.FindClient(id);
    if (client == nullptr || client->backchannel_logout_uri.empty()) continue;
    const jose::JwtSigner* signer =
        snap == nullptr ? nullptr : snap->LogoutTokenSigner(client->id_token_alg);
    if (signer == nullptr) return Unavailable("no signing key for logout tokens", "no_active_key");
    LogoutTokenClaims claims;
    claims.issuer = config_.issuer;
    claims.audience = client->client_id;
    claims.subject = PairwiseSubject(*client, session.subject);
    claims.sid = session.sid;
    claims.issued_at = now;
    ACCORD_ASSIGN_OR_RETURN(std::string token, MakeLogoutToken(*signer, claims));
    store::LogoutDelivery delivery;
    delivery.client_id = client->client_id;
    delivery.endpoint = client->backchannel_logout_uri;
    delivery.logout_token = std::move(token);
    delivery.next_attempt_at = now;
    delivery.created_at = now;
    delivery.expires_at = now + claims.lifetime;
    ACCORD_RETURN_IF_ERROR(store_.EnqueueLogout(delivery).status());
    queued = true;
  }
  ACCORD_RETURN_IF_ERROR(store_.RevokeSessionFamilies(session.sid, now).status());
  Result<store::Session> deleted = store_.DeleteSessionBySid(session.sid);
  if (!deleted.ok() && deleted.status().reason() != "not_found") return deleted.status();
  if (queued && logout_worker_ != nullptr) logout_worker_->Wake();
  return Status::Ok();
}

}  // namespace accord::oidc
