#include "audit/witness.h"

#include "common/base64url.h"
#include "crypto/hash.h"

namespace accord::audit {
namespace {

constexpr size_t kMaxProofLines = 63;

Status BadRequest(std::string_view why) {
  return InvalidArgument("bad add-checkpoint request: " + std::string(why), "bad_request");
}

}  // namespace

std::string Witness::StatePath(std::string_view origin) {
  return "witness-state/" + HexEncode(crypto::Sha256(AsBytes(origin)));
}

Result<std::unique_ptr<Witness>> Witness::Open(LogStorage* storage,
                                               std::unique_ptr<NoteSigner> cosigner,
                                               std::vector<WitnessedLog> logs) {
  std::unique_ptr<Witness> w(new Witness(storage, std::move(cosigner)));
  for (WitnessedLog& l : logs) {
    LogState state;
    auto saved = storage->Read(StatePath(l.origin), kMaxNoteSize);
    if (saved.ok()) {
      auto opened = OpenCheckpoint(AsStringView(*saved), l.origin, *l.log_key);
      if (!opened.ok()) return DataLoss("saved witness state does not verify", "bad_state");
      state.has_checkpoint = true;
      state.latest = opened->checkpoint;
    } else if (saved.status().code() != StatusCode::kNotFound) {
      return saved.status();
    }
    state.key = std::move(l.log_key);
    if (!w->logs_.emplace(l.origin, std::move(state)).second) {
      return InvalidArgument("duplicate witnessed origin", "bad_config");
    }
  }
  return w;
}

Result<std::string> Witness::AddCheckpoint(uint64_t old_size, std::span<const Hash> proof,
                                           std::string_view note, uint64_t* witness_size) {
  ACCORD_ASSIGN_OR_RETURN(Note parsed, ParseNote(note));
  const std::string origin = parsed.text.substr(0, parsed.text.find('\n'));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = logs_.find(origin);
  if (it == logs_.end()) return NotFound("unknown log origin", "unknown_log");
  LogState& state = it->second;
  ACCORD_ASSIGN_OR_RETURN(VerifiedCheckpoint v, OpenCheckpoint(note, origin, *state.key));
  const Checkpoint& c = v.checkpoint;
  if (old_size > c.size) return InvalidArgument("old size is beyond the checkpoint", "bad_old_size");
  if (old_size == 0 && !proof.empty()) {
    return InvalidArgument("proof must be empty from size 0", "bad_old_size");
  }
  const uint64_t latest_size = state.has_checkpoint ? state.latest.size : 0;
  if (old_size != latest_size) {
    if (witness_size != nullptr) *witness_size = latest_size;
    return FailedPrecondition("old size does not match the latest cosigned checkpoint",
                              "old_size_mismatch");
  }
  if (state.has_checkpoint) {
    if (c.size == state.latest.size) {
      if (c.root != state.latest.root) {
        if (witness_size != nullptr) *witness_size = latest_size;
        return FailedPrecondition("same size, different root: the log forked", "fork_detected");
      }
    } else {
      Status st = VerifyConsistency(state.latest.size, c.size, proof, state.latest.root, c.root);
      if (!st.ok()) {
        return InvalidArgument("checkpoint is not consistent with the last cosigned one",
                               "inconsistent_checkpoint");
      }
    }
  }
  // Persist (durably) before answering; keep the log's own signatures only.
  ACCORD_ASSIGN_OR_RETURN(std::string saved, SignNote(parsed.text, {}, v.signatures));
  StorageWrite write{StatePath(origin), ToBytes(saved)};
  ACCORD_RETURN_IF_ERROR(storage_->Write(std::span<const StorageWrite>(&write, 1)));
  state.has_checkpoint = true;
  state.latest = c;
  ACCORD_ASSIGN_OR_RETURN(Bytes sig, cosigner_->Sign(parsed.text));
  return FormatSignatureLine({cosigner_->name(), cosigner_->key_id(), std::move(sig)});
}

Result<std::string> Witness::AddCheckpointRequest(std::string_view body, uint64_t* witness_size) {
  if (body.size() > kMaxNoteSize + 64 * kMaxProofLines + 32) {
    return OutOfRange("request too large", "too_large");
  }
  auto next_line = [&body](std::string_view* line) {
    const size_t nl = body.find('\n');
    if (nl == std::string_view::npos) return false;
    *line = body.substr(0, nl);
    body.remove_prefix(nl + 1);
    return true;
  };
  std::string_view line;
  if (!next_line(&line) || line.substr(0, 4) != "old ") return BadRequest("missing old size line");
  uint64_t old_size = 0;
  if (!ParseTreeSize(line.substr(4), &old_size)) return BadRequest("bad old size");
  std::vector<Hash> proof;
  while (true) {
    if (!next_line(&line)) return BadRequest("missing blank line");
    if (line.empty()) break;
    if (proof.size() >= kMaxProofLines) return BadRequest("too many proof lines");
    auto raw = Base64Decode(line);
    if (!raw.ok() || Base64Encode(*raw) != line) return BadRequest("bad proof hash");
    auto h = HashFromBytes(*raw);
    if (!h.ok()) return BadRequest("bad proof hash size");
    proof.push_back(*h);
  }
  return AddCheckpoint(old_size, proof, body, witness_size);
}

Result<Checkpoint> Witness::Latest(std::string_view origin) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = logs_.find(origin);
  if (it == logs_.end()) return NotFound("unknown log origin", "unknown_log");
  if (!it->second.has_checkpoint) return NotFound("no checkpoint cosigned yet", "not_found");
  return it->second.latest;
}

}  // namespace accord::audit
