// Back-channel logout from the upstreams (upstream_logout.h): recording which gateway sessions an
// upstream login created, and the broker's endpoint.
#include "oidc/broker/upstream_logout.h"

#include <algorithm>

#include <boost/json.hpp>

#include "oidc/broker/broker.h"
#include "store/token_hash.h"

namespace accord::oidc::broker {
namespace {

http::Response LogoutError(int status, std::string_view error, std::string_view description) {
  http::Response r = http::JsonResponse(
      boost::json::object{{"error", error}, {"error_description", description}}, status);
  r.headers.Set("Cache-Control", "no-store");
  return r;
}

}  // namespace

// --- Broker -------------------------------------------------------------------------------------

std::string Broker::UpstreamLoginKey(std::string_view kind, std::string_view upstream_id,
                                     std::string_view value) const {
  // The same keyed hash as the local subject: the store never holds an upstream identifier.
  return std::string(kind) + ":" + LocalSubject(upstream_id, value);
}

Status Broker::RememberUpstreamSession(const connectors::Connector& connector,
                                       const connectors::UpstreamIdentity& identity,
                                       const http::Response& response) const {
  // The session ResumeLogin just created is named by the cookie it set.
  constexpr std::string_view kCookie = "accord_session=";
  for (std::string_view line : response.headers.GetAll("Set-Cookie")) {
    if (line.substr(0, kCookie.size()) != kCookie) continue;
    std::string_view value = line.substr(kCookie.size());
    value = value.substr(0, value.find(';'));
    if (value.empty() || value.size() > 128) return Status::Ok();
    auto session = store_.GetSession(store::HashToken(value), clock_.NowSeconds());
    if (!session.ok()) return session.status();
    const std::string& id = connector.config().id;
    Status added;
    if (!identity.subject.empty()) {
      added = store_.AddUpstreamLogin(UpstreamLoginKey("sub", id, identity.subject), session->sid,
                                      session->expires_at);
    }
    if (added.ok() && !identity.sid.empty()) {
      added = store_.AddUpstreamLogin(UpstreamLoginKey("sid", id, identity.sid), session->sid,
                                      session->expires_at);
    }
    // A session its upstream could not end is not kept (the caller answers with an error page,
    // so its cookie is never sent either).
    if (!added.ok()) (void)store_.DeleteSessionBySid(session->sid);
    return added;
  }
  return Status::Ok();  // no session was created (the login ended in an error page)
}

http::Response Broker::UpstreamBackchannelLogout(const connectors::Connector& connector,
                                                 const http::Request& request) const {
  const auto& form = request.Form();
  if (!form.ok() || form->FirstDuplicate()) {
    return LogoutError(400, "invalid_request", "the body must be a form with one logout_token");
  }
  auto token = form->GetUnique("logout_token");
  if (!token.ok()) return LogoutError(400, "invalid_request", "logout_token is required");
  auto logout = const_cast<connectors::Connector&>(connector).VerifyLogoutToken(*token);
  if (!logout.ok()) {
    if (logout.status().reason() == "upstream_unavailable") {
      return LogoutError(503, "temporarily_unavailable", "the provider's keys cannot be fetched");
    }
    return LogoutError(400, "invalid_request", "the logout token is not valid");
  }
  const int64_t now = clock_.NowSeconds();
  const std::string& id = connector.config().id;
  // A sid names one upstream session; a sub alone names every session of that person.
  auto sids = store_.ListUpstreamLogins(logout->sid.empty()
                                            ? UpstreamLoginKey("sub", id, logout->subject)
                                            : UpstreamLoginKey("sid", id, logout->sid),
                                        now);
  if (!sids.ok()) return LogoutError(503, "temporarily_unavailable", "try again later");
  // With both, the session must be that person's too.
  const std::string subject = logout->subject.empty() ? "" : LocalSubject(id, logout->subject);
  for (const std::string& sid : *sids) {
    auto session = store_.GetSessionBySid(sid, now);
    if (!session.ok()) {
      const std::string& reason = session.status().reason();
      if (reason == "not_found" || reason == "expired") continue;  // already ended
      return LogoutError(503, "temporarily_unavailable", "the sessions could not be read");
    }
    if (!subject.empty() && session->subject != subject) continue;
    if (provider_ == nullptr || !provider_->EndSession(*session).ok()) {
      return LogoutError(503, "temporarily_unavailable", "the sessions could not be ended");
    }
  }
  // Recorded once the sessions are gone, so a retry after a 503 still works; a replay finds
  // nothing left to end and is refused here.
  Status once = store_.RecordOnce(store::ReplayScope::kLogoutToken,
                                  connector.config().id + ":" + logout->jti,
                                  std::max(logout->expires_at, now + kMinLogoutJtiMemorySeconds),
                                  now);
  if (!once.ok()) {
    if (once.reason() == "replay") return LogoutError(400, "invalid_request", "replayed jti");
    return LogoutError(503, "temporarily_unavailable", "try again later");
  }
  http::Response r;
  r.status = 200;
  r.headers.Set("Cache-Control", "no-store");
  return r;
}

}  // namespace accord::oidc::broker
