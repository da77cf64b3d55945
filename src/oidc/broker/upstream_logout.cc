// Back-channel logout from the upstreams (upstream_logout.h): the session index and the
// broker's endpoint.
#include "oidc/broker/upstream_logout.h"

#include <algorithm>

#include <boost/json.hpp>

#include "oidc/broker/broker.h"
#include "store/token_hash.h"

namespace accord::oidc::broker {
namespace {

std::string Key(std::string_view upstream_id, std::string_view value) {
  std::string k(upstream_id);
  k.push_back('\0');
  k.append(value);
  return k;
}

http::Response LogoutError(int status, std::string_view error, std::string_view description) {
  http::Response r = http::JsonResponse(
      boost::json::object{{"error", error}, {"error_description", description}}, status);
  r.headers.Set("Cache-Control", "no-store");
  return r;
}

}  // namespace

void UpstreamSessionIndex::Add(std::string_view upstream_id, std::string_view upstream_sub,
                               std::string_view upstream_sid, std::string_view gateway_sid,
                               int64_t expires_at) {
  if (gateway_sid.empty() || (upstream_sub.empty() && upstream_sid.empty())) return;
  std::lock_guard<std::mutex> lock(mu_);
  while (entries_.size() >= kMaxIndexedSessions) EraseLocked(entries_.begin()->first);
  uint64_t id = next_id_++;
  Entry e;
  if (!upstream_sub.empty()) e.sub_key = Key(upstream_id, upstream_sub);
  if (!upstream_sid.empty()) e.sid_key = Key(upstream_id, upstream_sid);
  e.gateway_sid = std::string(gateway_sid);
  e.expires_at = expires_at;
  if (!e.sub_key.empty()) by_sub_[e.sub_key].insert(id);
  if (!e.sid_key.empty()) by_sid_[e.sid_key].insert(id);
  entries_.emplace(id, std::move(e));
}

std::vector<std::string> UpstreamSessionIndex::Take(std::string_view upstream_id,
                                                    std::string_view upstream_sub,
                                                    std::string_view upstream_sid, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& index = upstream_sid.empty() ? by_sub_ : by_sid_;
  auto found = index.find(Key(upstream_id, upstream_sid.empty() ? upstream_sub : upstream_sid));
  if (found == index.end()) return {};
  std::vector<uint64_t> ids(found->second.begin(), found->second.end());
  std::vector<std::string> out;
  for (uint64_t id : ids) {
    auto e = entries_.find(id);
    if (e == entries_.end()) continue;
    // With both sub and sid, the session must be that subject's (a sid is per upstream session).
    bool subject_matches = upstream_sid.empty() || upstream_sub.empty() ||
                           e->second.sub_key.empty() ||
                           e->second.sub_key == Key(upstream_id, upstream_sub);
    if (e->second.expires_at > now && subject_matches) out.push_back(e->second.gateway_sid);
    if (subject_matches) EraseLocked(id);
  }
  return out;
}

size_t UpstreamSessionIndex::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

void UpstreamSessionIndex::EraseLocked(uint64_t id) {
  auto e = entries_.find(id);
  if (e == entries_.end()) return;
  for (auto [index, key] : {std::pair{&by_sub_, &e->second.sub_key},
                            std::pair{&by_sid_, &e->second.sid_key}}) {
    if (key->empty()) continue;
    auto ids = index->find(*key);
    if (ids == index->end()) continue;
    ids->second.erase(id);
    if (ids->second.empty()) index->erase(ids);
  }
  entries_.erase(e);
}

// --- Broker -------------------------------------------------------------------------------------

void Broker::RememberUpstreamSession(const connectors::Connector& connector,
                                     const connectors::UpstreamIdentity& identity,
                                     const http::Response& response) const {
  // The session ResumeLogin just created is named by the cookie it set.
  constexpr std::string_view kCookie = "accord_session=";
  for (std::string_view line : response.headers.GetAll("Set-Cookie")) {
    if (line.substr(0, kCookie.size()) != kCookie) continue;
    std::string_view value = line.substr(kCookie.size());
    value = value.substr(0, value.find(';'));
    if (value.empty() || value.size() > 128) return;
    auto session = store_.GetSession(store::HashToken(value), clock_.NowSeconds());
    if (!session.ok()) return;
    upstream_sessions_->Add(connector.config().id, identity.subject, identity.sid, session->sid,
                            session->expires_at);
    return;
  }
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
  std::vector<std::string> sids =
      upstream_sessions_->Take(connector.config().id, logout->subject, logout->sid, now);
  for (const std::string& sid : sids) {
    auto session = store_.GetSessionBySid(sid, now);
    if (!session.ok()) continue;  // already ended or expired
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
