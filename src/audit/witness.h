// A transparency-log witness (c2sp.org/tlog-witness, c2sp.org/tlog-cosignature), transport-free.
//
// For each log it knows (origin + log vkey) the witness keeps the latest checkpoint it cosigned.
// AddCheckpoint(old_size, proof, checkpoint) checks, in this order (tlog-witness add-checkpoint):
//   unknown origin                                  -> NotFound "unknown_log"             (HTTP 404)
//   no valid signature by the log key               -> Unauthenticated "unknown_key"/"bad_signature" (403)
//   old_size > checkpoint size, or proof with old 0 -> InvalidArgument "bad_old_size"     (400)
//   old_size != size of the latest cosigned one     -> FailedPrecondition "old_size_mismatch" (409;
//                                                      *witness_size receives the latest size)
//   same size, different root                       -> FailedPrecondition "fork_detected" (409;
//                                                      *witness_size receives the latest size)
//   consistency proof does not verify               -> InvalidArgument "inconsistent_checkpoint" (422)
// and only then persists the new checkpoint DURABLY (LogStorage::Write) and returns the cosignature
// line(s) ("— <witness name> <base64(key id || timestamp || sig)>\n"). The check and the update are
// atomic (one mutex), so two concurrent requests can never roll the recorded size back.
//
// Thread safety: all methods are safe to call concurrently. Lifetime: borrows the storage.
#ifndef ACCORD_AUDIT_WITNESS_H_
#define ACCORD_AUDIT_WITNESS_H_

#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/checkpoint.h"
#include "audit/log_storage.h"
#include "audit/merkle.h"
#include "audit/signed_note.h"

namespace accord::audit {

// What a log needs from a witness (in-process Witness now; an HTTP client later).
class WitnessClient {
 public:
  virtual ~WitnessClient() = default;
  // Returns the cosignature line(s). On "old_size_mismatch", *witness_size is set to the size the
  // witness last cosigned (it may be null).
  virtual Result<std::string> AddCheckpoint(uint64_t old_size, std::span<const Hash> proof,
                                            std::string_view checkpoint_note,
                                            uint64_t* witness_size) = 0;
};

struct WitnessedLog {
  std::string origin;
  std::unique_ptr<NoteVerifier> log_key;
};

class Witness final : public WitnessClient {
 public:
  // `cosigner` must be a cosignature/v1 (type 0x04) signer. Loads (and re-verifies) saved state.
  static Result<std::unique_ptr<Witness>> Open(LogStorage* storage,
                                               std::unique_ptr<NoteSigner> cosigner,
                                               std::vector<WitnessedLog> logs);

  Result<std::string> AddCheckpoint(uint64_t old_size, std::span<const Hash> proof,
                                    std::string_view checkpoint_note,
                                    uint64_t* witness_size) override;
  // The add-checkpoint request body: "old <N>\n" <base64 hash>"\n"* "\n" <checkpoint note>.
  // At most 63 proof lines. Malformed -> InvalidArgument "bad_request".
  Result<std::string> AddCheckpointRequest(std::string_view body, uint64_t* witness_size);

  // The latest checkpoint cosigned for an origin (NotFound if none).
  Result<Checkpoint> Latest(std::string_view origin) const;

 private:
  struct LogState {
    std::unique_ptr<NoteVerifier> key;
    bool has_checkpoint = false;
    Checkpoint latest;
  };
  Witness(LogStorage* storage, std::unique_ptr<NoteSigner> cosigner)
      : storage_(storage), cosigner_(std::move(cosigner)) {}
  static std::string StatePath(std::string_view origin);

  LogStorage* storage_;
  std::unique_ptr<NoteSigner> cosigner_;
  mutable std::mutex mu_;
  std::map<std::string, LogState, std::less<>> logs_;  // guarded by mu_
};

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_WITNESS_H_
