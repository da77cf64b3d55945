// OpenID Connect Back-Channel Logout 1.0: logout tokens and the delivery worker.
//
// MakeLogoutToken builds the claims of a logout token (section 2.4): iss, aud (the client), iat,
// exp, jti, sid, sub and events {"http://schemas.openid.net/event/backchannel-logout":{}}, never
// a nonce; the signer sets typ "logout+jwt" (KeySnapshot::LogoutTokenSigner, the client's ID
// token algorithm).
//
// BackchannelLogoutWorker drains the Store's logout queue on its own thread: it claims due
// deliveries with a lease (so several workers or processes never POST the same one at once),
// POSTs `logout_token=<jwt>` to the client's backchannel_logout_uri with a short timeout, and then
//   2xx               -> CompleteLogout (delivered);
//   400..499          -> CompleteLogout (the RP refused this token; resending it cannot help);
//   5xx / no response -> RescheduleLogout with exponential backoff (kFirstRetrySeconds doubling,
//                        at most kMaxRetrySeconds); a delivery is given up at its expires_at (the
//                        logout token's exp), after which ClaimDueLogouts skips it and the sweep
//                        removes it.
// Nothing in the request path waits for it. Logs carry the client id and outcome only, never the
// token.
//
// Lifetime: the Store, Clock and poster must outlive the worker; Stop() (or the destructor) joins
// the thread. Thread safety: Start/Stop from one owner thread; RunOnce may be called from tests
// without Start.
#ifndef ACCORD_OIDC_PROVIDER_BACKCHANNEL_LOGOUT_H_
#define ACCORD_OIDC_PROVIDER_BACKCHANNEL_LOGOUT_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/status.h"
#include "http/client.h"
#include "jose/jwt.h"
#include "store/store.h"

namespace accord::oidc {

inline constexpr std::string_view kBackchannelLogoutEvent =
    "http://schemas.openid.net/event/backchannel-logout";
// Logout token lifetime; deliveries are retried until the token expires.
inline constexpr int64_t kLogoutTokenLifetime = 600;

struct LogoutTokenClaims {
  std::string issuer;
  std::string audience;  // client_id
  std::string subject;   // as the client knows it (pairwise)
  std::string sid;
  int64_t issued_at = 0;
  int64_t lifetime = kLogoutTokenLifetime;
};
Result<std::string> MakeLogoutToken(const jose::JwtSigner& signer, const LogoutTokenClaims& claims);

// POSTs a form body to a URL; returns the HTTP status or an error (no response).
using LogoutPoster = std::function<Result<int>(const std::string& url, const std::string& body)>;

struct BackchannelWorkerOptions {
  std::chrono::milliseconds poll_interval{500};
  int batch = 16;              // deliveries claimed per round (1..1000)
  int64_t lease_seconds = 30;  // > the poster's total timeout
  int64_t first_retry_seconds = 2;
  int64_t max_retry_seconds = 120;
};

class BackchannelLogoutWorker {
 public:
  // A poster on http::HttpClient: connect timeout 2 s, total 5 s, response body <= 16 KiB.
  static LogoutPoster HttpPoster(std::shared_ptr<const http::HttpClient> client);

  BackchannelLogoutWorker(store::Store& store, const Clock& clock, LogoutPoster poster,
                          BackchannelWorkerOptions options = {});
  ~BackchannelLogoutWorker();
  BackchannelLogoutWorker(const BackchannelLogoutWorker&) = delete;
  BackchannelLogoutWorker& operator=(const BackchannelLogoutWorker&) = delete;

  void Start();  // starts the thread (no-op if running)
  void Stop();   // wakes and joins the thread; idempotent
  void Wake();   // run a round now (e.g. right after a logout was queued)

  // One round: claim, deliver, complete/reschedule. Returns how many were delivered.
  Result<int> RunOnce();

  // Delay before attempt `attempts` + 1 (attempts >= 1).
  int64_t RetryDelay(int64_t attempts) const;

 private:
  void Loop();

  store::Store& store_;
  const Clock& clock_;
  LogoutPoster poster_;
  const BackchannelWorkerOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool wake_ = false;
  std::thread thread_;
};

}  // namespace accord::oidc

#endif  // ACCORD_OIDC_PROVIDER_BACKCHANNEL_LOGOUT_H_
