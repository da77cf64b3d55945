#include "audit/audit_sink.h"

#include "common/blocking_region.h"

namespace accord::audit {

Status TileLogAuditSink::Record(const AuditEvent& event) { return RecordWithIndex(event).status(); }

Result<uint64_t> TileLogAuditSink::RecordWithIndex(const AuditEvent& event) {
  ACCORD_RETURN_IF_ERROR(ValidateAuditEvent(event));
  auto future = log_->Append(ToBytes(SerializeAuditEvent(event)));
  BlockingRegion waiting;  // for the log's sequencer and fsync
  if (future.wait_for(timeout_) != std::future_status::ready) {
    return DeadlineExceeded("audit event not durable in time", "timeout");
  }
  return future.get();
}

Result<SubjectCommitter> SubjectCommitter::Create(const crypto::SecretBytes& key) {
  if (key.size() < 32) return InvalidArgument("commitment key must be >= 32 bytes", "bad_key");
  return SubjectCommitter(key.Clone());
}

Result<std::string> SubjectCommitter::Commit(std::string_view pairwise_subject) const {
  return SubjectCommitment(key_, pairwise_subject);
}

}  // namespace accord::audit
