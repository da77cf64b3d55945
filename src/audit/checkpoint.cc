#include "audit/checkpoint.h"

#include "common/base64url.h"

namespace accord::audit {
namespace {

Status Malformed(std::string_view why) {
  return InvalidArgument("malformed checkpoint: " + std::string(why), "malformed_checkpoint");
}

}  // namespace

bool ParseTreeSize(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

std::string FormatCheckpoint(const Checkpoint& c) {
  std::string out = c.origin + "\n" + std::to_string(c.size) + "\n" + Base64Encode(HashView(c.root)) +
                    "\n";
  for (const std::string& e : c.extensions) out += e + "\n";
  return out;
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.size() > kMaxNoteSize) return Malformed("too large");
  if (text.empty() || text.back() != '\n') return Malformed("must end in a newline");
  std::vector<std::string_view> lines;
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    rest.remove_prefix(nl + 1);
  }
  if (lines.size() < 3) return Malformed("fewer than three lines");
  Checkpoint c;
  for (std::string_view line : lines) {
    if (line.empty()) return Malformed("empty line");
  }
  c.origin = std::string(lines[0]);
  if (!ParseTreeSize(lines[1], &c.size)) return Malformed("bad tree size");
  auto root = Base64Decode(lines[2]);
  if (!root.ok() || root->size() != kHashSize || Base64Encode(*root) != lines[2]) {
    return Malformed("bad root hash");
  }
  std::copy(root->begin(), root->end(), c.root.begin());
  for (size_t i = 3; i < lines.size(); ++i) c.extensions.emplace_back(lines[i]);
  return c;
}

Result<VerifiedCheckpoint> OpenCheckpoint(std::string_view note, std::string_view origin,
                                          const NoteVerifier& log_key,
                                          std::span<const NoteVerifier* const> witnesses) {
  std::vector<const NoteVerifier*> known = {&log_key};
  known.insert(known.end(), witnesses.begin(), witnesses.end());
  ACCORD_ASSIGN_OR_RETURN(VerifiedNote opened, OpenNote(note, known));
  if (!opened.IsSignedBy(log_key)) {
    return Unauthenticated("checkpoint is not signed by the log key", "unknown_key");
  }
  for (const NoteVerifier* w : witnesses) {
    if (!opened.IsSignedBy(*w)) {
      return Unauthenticated("checkpoint lacks a cosignature from witness " + w->name(),
                             "missing_cosignature");
    }
  }
  ACCORD_ASSIGN_OR_RETURN(Checkpoint c, ParseCheckpoint(opened.text()));
  if (c.origin != origin) return PermissionDenied("checkpoint origin is not the log's", "wrong_origin");
  VerifiedCheckpoint out;
  out.checkpoint = std::move(c);
  out.note = std::string(note);
  out.signatures = opened.verified();
  return out;
}

}  // namespace accord::audit
