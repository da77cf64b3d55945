#include "audit/http_witness_client.h"

#include "common/base64url.h"

namespace accord::audit {
namespace {

bool ParseSize(std::string_view s, uint64_t* out) {
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

}  // namespace

std::string FormatAddCheckpointBody(uint64_t old_size, std::span<const Hash> proof,
                                    std::string_view checkpoint_note) {
  std::string body = "old " + std::to_string(old_size) + "\n";
  for (const Hash& h : proof) body += Base64Encode(HashView(h)) + "\n";
  body += "\n";
  body += checkpoint_note;
  return body;
}

HttpWitnessClient::HttpWitnessClient(const http::HttpClient& client, std::string submission_prefix,
                                     std::chrono::milliseconds timeout)
    : client_(client), url_(std::move(submission_prefix)), timeout_(timeout) {
  while (!url_.empty() && url_.back() == '/') url_.pop_back();
  url_ += "/add-checkpoint";
}

Result<std::string> HttpWitnessClient::AddCheckpoint(uint64_t old_size, std::span<const Hash> proof,
                                                     std::string_view checkpoint_note,
                                                     uint64_t* witness_size) {
  http::ClientRequest req;
  req.method = "POST";
  req.url = url_;
  req.headers.Set("Content-Type", "text/plain; charset=utf-8");
  req.body = FormatAddCheckpointBody(old_size, proof, checkpoint_note);
  req.total_timeout = timeout_;
  req.max_response_body_bytes = kMaxResponseBytes;
  auto resp = client_.Fetch(req);
  if (!resp.ok()) return Unavailable("witness unreachable: " + resp.status().message(), "witness_unavailable");
  switch (resp->status) {
    case 200: {
      const std::string& b = resp->body;
      if (b.empty() || b.back() != '\n' || b.rfind("\xE2\x80\x94 ", 0) != 0) {
        return Unavailable("witness sent a malformed cosignature", "witness_unavailable");
      }
      return b;
    }
    case 409: {
      std::string_view b = resp->body;
      uint64_t size = 0;
      if (b.empty() || b.back() != '\n' || !ParseSize(b.substr(0, b.size() - 1), &size)) {
        return Unavailable("witness sent a malformed 409", "witness_unavailable");
      }
      if (witness_size != nullptr) *witness_size = size;
      return FailedPrecondition("witness has cosigned another size", "old_size_mismatch");
    }
    case 422:
      return InvalidArgument("witness: checkpoint is not consistent", "inconsistent_checkpoint");
    case 404:
      return NotFound("witness does not know this log", "unknown_log");
    case 403:
      return Unauthenticated("witness did not accept the log signature", "witness_refused");
    case 400:
      return InvalidArgument("witness: bad old size or request", "bad_old_size");
    default:
      return Unavailable("witness answered HTTP " + std::to_string(resp->status), "witness_unavailable");
  }
}

}  // namespace accord::audit
