// ChangeRecorder: puts into the transparency log the changes that alter what services and auditors
// must trust, beside the releases themselves: a signing key the gateway publishes for the first
// time (`key_rotated`, the key's kid), a new version of the trust policy (`policy_changed`,
// "sha256:" + hex digest of the policy files) and a new current key-encryption key of the sealed
// store fields (`kek_rotated`, the KEK's id: never key material). None of them concerns a person.
// The record id travels in the event's `consent_id` field (docs/audit-format.md, "Events").
//
// What is already in the log is remembered in a small state file beside the log (written
// atomically); if it is lost, the current keys and policy are recorded again, which an auditor
// reads as "still the same" (nothing is ever missed, at worst repeated).
//
// CheckNow() runs once at start (a failure stops start-up: fail closed), then a background thread
// repeats it every `interval` so a key made by `accord keys rotate` against the running gateway's
// store is logged within one interval, before it signs (keys are published before they are used).
// A KEK staged by `accord keys rotate-kek` is picked up by the running server's KEK reload
// (datasec/runtime_wiring.h) and logged within one interval of becoming current.
//
// Thread safety: CheckNow() serialises itself; the destructor stops the thread.
#ifndef ACCORD_AUDIT_CHANGE_RECORDER_H_
#define ACCORD_AUDIT_CHANGE_RECORDER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_sink.h"
#include "common/clock.h"
#include "common/status.h"

namespace accord::audit {

// "sha256:" + lower-case hex SHA-256 over every regular file directly in `dir`, by name order,
// each as name, NUL, decimal size, NUL, contents. NotFound / DataLoss on an unreadable directory;
// at most 64 files of 1 MiB each (OutOfRange "policy_too_large").
Result<std::string> PolicyDigest(const std::string& dir);

class ChangeRecorder {
 public:
  struct Options {
    std::string state_file;  // e.g. <log dir>/recorded-changes.json
    // The kids the gateway publishes now (all states). Called from CheckNow().
    std::function<Result<std::vector<std::string>>()> list_kids;
    std::string policy_dir;  // "" = no trust policy to record
    // The id of the KEK that wraps new data keys now; null = no sealed fields to record.
    std::function<Result<std::string>()> current_kek_id;
    std::chrono::milliseconds interval{30000};
  };

  // Records what is new (CheckNow) and starts the periodic thread. `sink` and `clock` must
  // outlive the recorder.
  static Result<std::unique_ptr<ChangeRecorder>> Start(Options options, AuditSink* sink,
                                                       const Clock* clock);
  ~ChangeRecorder();
  ChangeRecorder(const ChangeRecorder&) = delete;
  ChangeRecorder& operator=(const ChangeRecorder&) = delete;

  // Appends key_rotated for each kid not recorded before, policy_changed when the digest differs
  // from the last recorded one and kek_rotated when the current KEK id does; then saves the
  // state. Errors from the sink or the files.
  Status CheckNow();

 private:
  ChangeRecorder(Options options, AuditSink* sink, const Clock* clock)
      : options_(std::move(options)), sink_(sink), clock_(clock) {}
  // Appends one event of `type` about `record_id` (no person, no service).
  Status Append(EventType type, const std::string& record_id) const;
  Status LoadState();
  Status SaveState() const;
  void Run();

  const Options options_;
  AuditSink* const sink_;
  const Clock* const clock_;
  std::mutex check_mu_;  // one CheckNow at a time; guards the state below
  std::set<std::string> recorded_kids_;
  std::string recorded_policy_;
  std::string recorded_kek_;
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_CHANGE_RECORDER_H_
