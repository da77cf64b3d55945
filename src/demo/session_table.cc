#include "demo/session_table.h"

#include <boost/json/serialize.hpp>

#include "common/bytes.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace accord::demo {
namespace {

std::string Key(std::string_view token) {
  auto digest = crypto::Sha256(AsBytes(token));
  return HexEncode(BytesView(digest.data(), digest.size()));
}

}  // namespace

bool SessionTable::Expired(const DemoSession& s, int64_t now) const {
  return now - s.last_used > limits_.idle_seconds || now - s.created_at > limits_.max_age_seconds;
}

void SessionTable::DropExpired(int64_t now) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = Expired(it->second, now) ? sessions_.erase(it) : std::next(it);
  }
}

Result<std::string> SessionTable::Create(IdentityFacts identity) {
  std::string token = crypto::RandomToken(32);
  DemoSession s;
  s.identity = std::move(identity);
  s.csrf = crypto::RandomToken(32);
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = clock_.NowSeconds();
  s.created_at = s.last_used = now;
  if (sessions_.size() >= limits_.max_sessions) DropExpired(now);
  if (sessions_.size() >= limits_.max_sessions) {
    return ResourceExhausted("too many signed-in sessions", "too_many_sessions");
  }
  sessions_.emplace(Key(token), std::move(s));
  return token;
}

std::optional<DemoSession> SessionTable::Get(std::string_view token) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(Key(token));
  if (it == sessions_.end()) return std::nullopt;
  const int64_t now = clock_.NowSeconds();
  if (Expired(it->second, now)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_used = now;
  return it->second;
}

Status SessionTable::SetAnswers(std::string_view token, journeys::Answers answers) {
  if (answers.facts.size() > kMaxAnswerFacts ||
      boost::json::serialize(answers.facts).size() > kMaxAnswerBytes) {
    return InvalidArgument("the answers are too large to keep", "answers_too_large");
  }
  if (token.empty() || token.size() > 128) return NotFound("no session", "no_session");
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(Key(token));
  const int64_t now = clock_.NowSeconds();
  if (it == sessions_.end() || Expired(it->second, now)) {
    return NotFound("no session", "no_session");
  }
  it->second.answers = std::move(answers);
  it->second.last_used = now;
  return Status::Ok();
}

size_t SessionTable::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

}  // namespace accord::demo
