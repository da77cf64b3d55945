// Back-channel logout FROM the upstreams (OpenID Connect Back-Channel Logout 1.0, the RP side):
// when a person logs out at their home identity provider, the provider POSTs a logout token to
// POST /upstream/backchannel-logout/<upstream id>; the broker verifies it
// (Connector::VerifyLogoutToken: signature with the upstream's JWKS, iss, aud = our client_id,
// iat bounded, events, sub and/or sid, no nonce), records its jti once (Store::RecordOnce,
// ReplayScope::kLogoutToken), and ends the gateway sessions that upstream login created with
// Provider::EndSession, which queues back-channel logout tokens to every service the person used
// in them. Answers (section 2.8): 200 done (also when no session was left to end), 400
// {"error":"invalid_request"} for a token that fails validation or a replayed jti, 503 when the
// upstream's keys or the store cannot be reached (the provider retries).
//
// Which gateway sessions came from which upstream login is kept in the store
// (Store::AddUpstreamLogin, table upstream_logins), so a logout reaches sessions created by any
// process sharing the store and before a restart. Recorded by the broker's callback after
// Provider::ResumeLogin created the session, under two keys: "sub:" and "sid:" + the keyed hash
// the local subject uses (broker.h: HMAC-SHA256 with the broker's subject key over upstream id,
// 0x00, the value), so the store holds no upstream identifier. Rows live as long as their
// session. A token naming a sid ends the sessions of that upstream session (and, when it names a
// sub too, only that person's); one naming only a sub ends every session of that upstream
// subject (at most store::kMaxUpstreamLogins). A login whose record cannot be stored is refused
// (503 page) and its session deleted: no session is handed out that its upstream cannot end.
#ifndef ACCORD_OIDC_BROKER_UPSTREAM_LOGOUT_H_
#define ACCORD_OIDC_BROKER_UPSTREAM_LOGOUT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace accord::oidc::broker {

inline constexpr std::string_view kUpstreamLogoutPathPrefix = "/upstream/backchannel-logout/";
// A jti is remembered at least this long (the spec suggests a few minutes), else until exp.
inline constexpr int64_t kMinLogoutJtiMemorySeconds = 180;

}  // namespace accord::oidc::broker

#endif  // ACCORD_OIDC_BROKER_UPSTREAM_LOGOUT_H_
