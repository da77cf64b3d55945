// HttpWitnessClient: a WitnessClient that asks a remote witness for a cosignature over HTTP
// (c2sp.org/tlog-witness add-checkpoint): POST <submission prefix>/add-checkpoint.
//
// Answers map back to the errors an in-process Witness gives (so TileLog treats both alike):
// 200 -> the cosignature line(s) (bounded, each starting with U+2014); 409 with a
// text/x.tlog.size body -> FailedPrecondition "old_size_mismatch" with *witness_size set;
// 422 -> InvalidArgument "inconsistent_checkpoint"; 404 -> NotFound "unknown_log";
// 403 -> Unauthenticated "witness_refused"; 400 -> InvalidArgument "bad_old_size";
// anything else or no answer -> Unavailable "witness_unavailable".
//
// Thread safety: as HttpClient. Lifetime: borrows the client.
#ifndef ACCORD_AUDIT_HTTP_WITNESS_CLIENT_H_
#define ACCORD_AUDIT_HTTP_WITNESS_CLIENT_H_

#include <chrono>
#include <string>

#include "audit/witness.h"
#include "http/client.h"

namespace accord::audit {

class HttpWitnessClient final : public WitnessClient {
 public:
  static constexpr size_t kMaxResponseBytes = 16 * 1024;
  // submission_prefix: e.g. "http://127.0.0.1:8443/witness" (a trailing '/' is removed).
  HttpWitnessClient(const http::HttpClient& client, std::string submission_prefix,
                    std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

  Result<std::string> AddCheckpoint(uint64_t old_size, std::span<const Hash> proof,
                                    std::string_view checkpoint_note, uint64_t* witness_size) override;

 private:
  const http::HttpClient& client_;
  std::string url_;
  std::chrono::milliseconds timeout_;
};

// The add-checkpoint request body: "old <N>\n" then one base64 hash per line, "\n", the note.
std::string FormatAddCheckpointBody(uint64_t old_size, std::span<const Hash> proof,
                                    std::string_view checkpoint_note);

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_HTTP_WITNESS_CLIENT_H_
