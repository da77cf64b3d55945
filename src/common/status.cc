#include "common/status.h"

namespace accord {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case StatusCode::kNotFound: return "NOT_FOUND";
    case StatusCode::kAlreadyExists: return "ALREADY_EXISTS";
    case StatusCode::kPermissionDenied: return "PERMISSION_DENIED";
    case StatusCode::kUnauthenticated: return "UNAUTHENTICATED";
    case StatusCode::kFailedPrecondition: return "FAILED_PRECONDITION";
    case StatusCode::kOutOfRange: return "OUT_OF_RANGE";
    case StatusCode::kResourceExhausted: return "RESOURCE_EXHAUSTED";
    case StatusCode::kUnavailable: return "UNAVAILABLE";
    case StatusCode::kDeadlineExceeded: return "DEADLINE_EXCEEDED";
    case StatusCode::kDataLoss: return "DATA_LOSS";
    case StatusCode::kInternal: return "INTERNAL";
  }
  return "UNKNOWN";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(StatusCodeName(code_));
  out += ": ";
  out += message_;
  if (!reason_.empty()) {
    out += " [";
    out += reason_;
    out += "]";
  }
  return out;
}

#define ACCORD_DEFINE_STATUS_CTOR_(Name, Code)               \
  Status Name(std::string message, std::string reason) {     \
    return Status(StatusCode::Code, std::move(message), std::move(reason)); \
  }
ACCORD_DEFINE_STATUS_CTOR_(InvalidArgument, kInvalidArgument)
ACCORD_DEFINE_STATUS_CTOR_(NotFound, kNotFound)
ACCORD_DEFINE_STATUS_CTOR_(AlreadyExists, kAlreadyExists)
ACCORD_DEFINE_STATUS_CTOR_(PermissionDenied, kPermissionDenied)
ACCORD_DEFINE_STATUS_CTOR_(Unauthenticated, kUnauthenticated)
ACCORD_DEFINE_STATUS_CTOR_(FailedPrecondition, kFailedPrecondition)
ACCORD_DEFINE_STATUS_CTOR_(OutOfRange, kOutOfRange)
ACCORD_DEFINE_STATUS_CTOR_(ResourceExhausted, kResourceExhausted)
ACCORD_DEFINE_STATUS_CTOR_(Unavailable, kUnavailable)
ACCORD_DEFINE_STATUS_CTOR_(DeadlineExceeded, kDeadlineExceeded)
ACCORD_DEFINE_STATUS_CTOR_(DataLoss, kDataLoss)
ACCORD_DEFINE_STATUS_CTOR_(Internal, kInternal)
#undef ACCORD_DEFINE_STATUS_CTOR_

}  // namespace accord
