// AuditSink: the hook the gateway calls on every cross-border event (attribute release, consent
// granted/revoked, key rotation, trust-policy change). The event type (log_entry.h) has no field
// that can hold personal data; the person appears only as a subject commitment, which
// SubjectCommitter computes from the pairwise subject.
//
// TileLogAuditSink validates the event, serialises it canonically, appends it to a TileLog and
// WAITS until the append is durable (acknowledged) before returning OK: a release that returns
// from Record() is in the log for good, even if the process is killed right after. Callers should
// treat a non-OK Status as "do not release" (fail closed).
//
// Thread safety: Record() may be called concurrently (appends from many threads share one sync).
// Lifetime: TileLogAuditSink borrows the log; SubjectCommitter owns a copy of its key.
#ifndef ACCORD_AUDIT_AUDIT_SINK_H_
#define ACCORD_AUDIT_AUDIT_SINK_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "audit/log_entry.h"
#include "audit/tile_log.h"
#include "common/status.h"
#include "crypto/secret.h"

namespace accord::audit {

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // OK once the event is durably recorded. InvalidArgument "bad_entry" for an invalid event.
  virtual Status Record(const AuditEvent& event) = 0;
};

class TileLogAuditSink final : public AuditSink {
 public:
  explicit TileLogAuditSink(TileLog* log,
                            std::chrono::milliseconds timeout = std::chrono::milliseconds(5000))
      : log_(log), timeout_(timeout) {}
  // Errors: "bad_entry"; DeadlineExceeded "timeout" when not durable within `timeout` (the entry
  // may still land later); the log's own errors ("log_failed", "log_closed", "queue_full").
  Status Record(const AuditEvent& event) override;
  // As Record(), also returning the entry's index in the log.
  Result<uint64_t> RecordWithIndex(const AuditEvent& event);

 private:
  TileLog* log_;
  std::chrono::milliseconds timeout_;
};

// Holds the commitment key (>= 32 bytes, secret) and computes subject commitments.
class SubjectCommitter {
 public:
  static Result<SubjectCommitter> Create(const crypto::SecretBytes& key);
  // Lower-case hex HMAC-SHA256(key, pairwise_subject); InvalidArgument for an empty subject.
  Result<std::string> Commit(std::string_view pairwise_subject) const;

 private:
  explicit SubjectCommitter(crypto::SecretBytes key) : key_(std::move(key)) {}
  crypto::SecretBytes key_;
};

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_AUDIT_SINK_H_
