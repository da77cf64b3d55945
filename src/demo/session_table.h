// SessionTable: a demo service's own sign-in sessions, in memory. A session is created when
// Accord's answer has been verified (DemoService::Callback) and holds what the journey page
// needs: the identity facts mapped from the released claims, a CSRF token for the journey form,
// and the person's answers. Nothing here is shared with Accord or written to disk; it is gone
// when the service stops.
//
// Bounds: at most `max_sessions` sessions (Create fails with ResourceExhausted beyond, after
// dropping expired ones); a session expires `idle_seconds` after its last use and
// `max_age_seconds` after it was created; answers are at most kMaxAnswerFacts facts and
// kMaxAnswerBytes of JSON (SetAnswers fails with InvalidArgument "answers_too_large").
//
// The table is keyed by the SHA-256 of the session token, so a lookup compares no secret with a
// variable-time comparison and the table holds no usable token.
//
// Thread safety: all methods are safe to call concurrently. Lifetime: the clock must outlive it.
#ifndef ACCORD_DEMO_SESSION_TABLE_H_
#define ACCORD_DEMO_SESSION_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "demo/identity_facts.h"
#include "journeys/answers.h"

namespace accord::demo {

inline constexpr size_t kMaxAnswerFacts = 64;
inline constexpr size_t kMaxAnswerBytes = 8 * 1024;

struct DemoSession {
  IdentityFacts identity;
  std::string csrf;  // the journey form's token (random, 256 bits)
  journeys::Answers answers;
  int64_t created_at = 0;
  int64_t last_used = 0;
};

struct SessionLimits {
  size_t max_sessions = 10000;
  int64_t idle_seconds = 30 * 60;
  int64_t max_age_seconds = 8 * 60 * 60;
};

class SessionTable {
 public:
  explicit SessionTable(const Clock& clock, SessionLimits limits = {})
      : clock_(clock), limits_(limits) {}

  // Stores a new session (csrf and times are set here) and returns its token.
  Result<std::string> Create(IdentityFacts identity);
  // The live session for `token` (and marks it used), or nullopt.
  std::optional<DemoSession> Get(std::string_view token);
  // Replaces the answers of a live session. NotFound ("no_session") when it has expired.
  Status SetAnswers(std::string_view token, journeys::Answers answers);

  size_t size() const;

 private:
  bool Expired(const DemoSession& s, int64_t now) const;
  void DropExpired(int64_t now);  // requires mu_

  const Clock& clock_;
  const SessionLimits limits_;
  mutable std::mutex mu_;
  std::map<std::string, DemoSession> sessions_;  // by SHA-256(token), hex
};

}  // namespace accord::demo

#endif  // ACCORD_DEMO_SESSION_TABLE_H_
