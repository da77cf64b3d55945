// Status and Result<T>: errors as values (LevelDB/Abseil style).
//
// A Status is a code, an optional stable machine-readable reason (e.g. "bad_signature",
// "token_expired", used by callers to map to protocol error codes) and a human message. Messages
// must never contain secrets or personal data: they may be logged.
//
// Thread safety: immutable values; safe to copy and share.
#ifndef ACCORD_COMMON_STATUS_H_
#define ACCORD_COMMON_STATUS_H_

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace accord {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // malformed input from outside (parse errors, bad encodings)
  kNotFound,            // e.g. no key with that kid
  kAlreadyExists,       // e.g. replayed jti
  kPermissionDenied,    // policy forbids (algorithm not allowed, attribute not allowed)
  kUnauthenticated,     // signature/tag verification failed
  kFailedPrecondition,  // state does not allow it (expired, not yet valid, reused code)
  kOutOfRange,          // bounds exceeded (size, depth, count)
  kResourceExhausted,   // capacity (queues, connections)
  kUnavailable,         // a dependency is down; retry may help
  kDeadlineExceeded,    // timed out
  kDataLoss,            // stored data corrupt
  kInternal,            // a bug or an unexpected library failure
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message, std::string reason = {})
      : code_(code), message_(std::move(message)), reason_(std::move(reason)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Short stable token naming the failure ("bad_signature"); empty when none was given.
  const std::string& reason() const { return reason_; }

  // "INVALID_ARGUMENT: message [reason]"
  std::string ToString() const;

  // Marks an intentionally ignored status.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_ && a.reason_ == b.reason_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string reason_;
};

// Convenience constructors.
Status InvalidArgument(std::string message, std::string reason = {});
Status NotFound(std::string message, std::string reason = {});
Status AlreadyExists(std::string message, std::string reason = {});
Status PermissionDenied(std::string message, std::string reason = {});
Status Unauthenticated(std::string message, std::string reason = {});
Status FailedPrecondition(std::string message, std::string reason = {});
Status OutOfRange(std::string message, std::string reason = {});
Status ResourceExhausted(std::string message, std::string reason = {});
Status Unavailable(std::string message, std::string reason = {});
Status DeadlineExceeded(std::string message, std::string reason = {});
Status DataLoss(std::string message, std::string reason = {});
Status Internal(std::string message, std::string reason = {});

// Result<T>: either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result constructed from an OK status");
    if (std::get<Status>(v_).ok()) v_ = Status(StatusCode::kInternal, "OK status used as error");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }

  // Preconditions: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace accord

#define ACCORD_STATUS_CONCAT_INNER_(a, b) a##b
#define ACCORD_STATUS_CONCAT_(a, b) ACCORD_STATUS_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if it is not OK.
#define ACCORD_RETURN_IF_ERROR(expr)            \
  do {                                          \
    ::accord::Status accord_status_ = (expr);   \
    if (!accord_status_.ok()) return accord_status_; \
  } while (0)

// ACCORD_ASSIGN_OR_RETURN(auto x, MakeX()); declares/assigns x or returns the error status.
#define ACCORD_ASSIGN_OR_RETURN(lhs, expr) \
  ACCORD_ASSIGN_OR_RETURN_IMPL_(ACCORD_STATUS_CONCAT_(accord_result_, __LINE__), lhs, expr)
#define ACCORD_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()

#endif  // ACCORD_COMMON_STATUS_H_
