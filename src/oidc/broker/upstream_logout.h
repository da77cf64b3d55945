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
// UpstreamSessionIndex: which gateway sessions came from which upstream login, by (upstream,
// sub) and (upstream, sid). Filled by the broker's callback after Provider::ResumeLogin created
// the session. In memory, per process: bounded (kMaxIndexedSessions, oldest dropped first) and
// entries expire with their session. A token naming a sid ends the sessions of that upstream
// session; one naming only a sub ends every session of that upstream subject.
//
// Thread safety: UpstreamSessionIndex is internally locked.
#ifndef ACCORD_OIDC_BROKER_UPSTREAM_LOGOUT_H_
#define ACCORD_OIDC_BROKER_UPSTREAM_LOGOUT_H_

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace accord::oidc::broker {

inline constexpr size_t kMaxIndexedSessions = 200000;
inline constexpr std::string_view kUpstreamLogoutPathPrefix = "/upstream/backchannel-logout/";
// A jti is remembered at least this long (the spec suggests a few minutes), else until exp.
inline constexpr int64_t kMinLogoutJtiMemorySeconds = 180;

class UpstreamSessionIndex {
 public:
  // `upstream_sub` and `upstream_sid` may be empty (not indexed by that key).
  void Add(std::string_view upstream_id, std::string_view upstream_sub,
           std::string_view upstream_sid, std::string_view gateway_sid, int64_t expires_at);
  // The gateway sessions to end for a logout token (sid wins over sub, see above); they are
  // removed from the index. Expired entries are skipped.
  std::vector<std::string> Take(std::string_view upstream_id, std::string_view upstream_sub,
                                std::string_view upstream_sid, int64_t now);
  size_t size() const;

 private:
  struct Entry {
    std::string sub_key, sid_key, gateway_sid;
    int64_t expires_at = 0;
  };
  void EraseLocked(uint64_t id);

  mutable std::mutex mu_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, Entry> entries_;                     // by insertion id (oldest first)
  std::map<std::string, std::set<uint64_t>> by_sub_, by_sid_;
};

}  // namespace accord::oidc::broker

#endif  // ACCORD_OIDC_BROKER_UPSTREAM_LOGOUT_H_
