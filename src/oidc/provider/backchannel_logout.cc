#include "oidc/provider/backchannel_logout.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "crypto/random.h"
#include "http/form.h"

namespace accord::oidc {

Result<std::string> MakeLogoutToken(const jose::JwtSigner& signer, const LogoutTokenClaims& c) {
  if (c.issuer.empty() || c.audience.empty() || c.subject.empty() || c.sid.empty() ||
      c.lifetime <= 0) {
    return InvalidArgument("logout token needs iss, aud, sub, sid and a lifetime", "bad_value");
  }
  boost::json::object claims;
  claims["iss"] = c.issuer;
  claims["aud"] = c.audience;
  claims["iat"] = c.issued_at;
  claims["exp"] = c.issued_at + c.lifetime;
  claims["jti"] = crypto::RandomToken(16);
  claims["sub"] = c.subject;
  claims["sid"] = c.sid;
  claims["events"] = boost::json::object{{kBackchannelLogoutEvent, boost::json::object{}}};
  return signer.Sign(claims);
}

LogoutPoster BackchannelLogoutWorker::HttpPoster(std::shared_ptr<const http::HttpClient> client) {
  return
      [client = std::move(client)](const std::string& url, const std::string& body) -> Result<int> {
        http::ClientRequest request;
        request.method = "POST";
        request.url = url;
        request.body = body;
        request.headers.Set("Content-Type", "application/x-www-form-urlencoded");
        request.connect_timeout = std::chrono::milliseconds(2000);
        request.total_timeout = std::chrono::milliseconds(5000);
        request.max_response_body_bytes = 16 * 1024;
        ACCORD_ASSIGN_OR_RETURN(http::Response response, client->Fetch(request));
        return response.status;
      };
}

BackchannelLogoutWorker::BackchannelLogoutWorker(store::Store& store, const Clock& clock,
                                                 LogoutPoster poster,
                                                 BackchannelWorkerOptions options)
    : store_(store), clock_(clock), poster_(std::move(poster)), options_(options) {}

BackchannelLogoutWorker::~BackchannelLogoutWorker() { Stop(); }

void BackchannelLogoutWorker::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void BackchannelLogoutWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackchannelLogoutWorker::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
}

int64_t BackchannelLogoutWorker::RetryDelay(int64_t attempts) const {
  int64_t delay = options_.first_retry_seconds;
  for (int64_t i = 1; i < attempts && delay < options_.max_retry_seconds; ++i) delay *= 2;
  return std::min(delay, options_.max_retry_seconds);
}

Result<int> BackchannelLogoutWorker::RunOnce() {
  const int64_t now = clock_.NowSeconds();
  ACCORD_ASSIGN_OR_RETURN(std::vector<store::LogoutDelivery> due,
                          store_.ClaimDueLogouts(now, options_.batch, options_.lease_seconds));
  int delivered = 0;
  for (const store::LogoutDelivery& d : due) {
    Result<int> status = poster_(d.endpoint, "logout_token=" + http::FormEncode(d.logout_token));
    if (status.ok() && *status >= 200 && *status < 300) {
      ++delivered;
      store_.CompleteLogout(d.id).IgnoreError();
    } else if (status.ok() && *status >= 400 && *status < 500) {
      spdlog::warn("back-channel logout to client {} refused (HTTP {}); not retried", d.client_id,
                   *status);
      store_.CompleteLogout(d.id).IgnoreError();
    } else {
      // Rescheduled even past expiry: ClaimDueLogouts then skips it and the sweep removes it.
      store_.RescheduleLogout(d.id, clock_.NowSeconds() + RetryDelay(d.attempts)).IgnoreError();
    }
  }
  return delivered;
}

void BackchannelLogoutWorker::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    Result<int> round = RunOnce();
    if (!round.ok()) spdlog::warn("back-channel logout round failed: {}", round.status().reason());
    lock.lock();
    cv_.wait_for(lock, options_.poll_interval, [this] { return stop_ || wake_; });
    wake_ = false;
  }
}

}  // namespace accord::oidc
