#include "audit/change_recorder.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "common/bytes.h"
#include "common/fsync_dir.h"
#include "common/json.h"
#include "crypto/hash.h"

namespace accord::audit {
namespace {

constexpr size_t kMaxPolicyFiles = 64;
constexpr uintmax_t kMaxPolicyFileBytes = 1 << 20;
constexpr size_t kMaxStateBytes = 1 << 20;
constexpr size_t kMaxRecordedKids = 4096;

Result<std::string> ReadSmallFile(const std::filesystem::path& path, uintmax_t max_bytes) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return NotFound("cannot read " + path.filename().string(), "unreadable");
  if (size > max_bytes) return OutOfRange(path.filename().string() + " is too large", "policy_too_large");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  if (!in.good() && !in.eof()) return DataLoss("cannot read " + path.filename().string(), "unreadable");
  return out.str();
}

}  // namespace

Result<std::string> PolicyDigest(const std::string& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    if (files.size() == kMaxPolicyFiles) return OutOfRange("too many policy files", "policy_too_large");
    files.push_back(entry.path());
  }
  if (ec) return NotFound("cannot read the policy directory", "unreadable");
  std::sort(files.begin(), files.end());
  crypto::Sha256Hasher hasher;
  for (const auto& file : files) {
    ACCORD_ASSIGN_OR_RETURN(std::string contents, ReadSmallFile(file, kMaxPolicyFileBytes));
    const std::string head = file.filename().string() + std::string(1, '\0') +
                             std::to_string(contents.size()) + std::string(1, '\0');
    hasher.Update(AsBytes(head));
    hasher.Update(AsBytes(contents));
  }
  const auto digest = hasher.Finish();
  return "sha256:" + HexEncode(BytesView(digest.data(), digest.size()));
}

Result<std::unique_ptr<ChangeRecorder>> ChangeRecorder::Start(Options options, AuditSink* sink,
                                                              const Clock* clock) {
  if (options.state_file.empty() || !options.list_kids || sink == nullptr || clock == nullptr) {
    return InvalidArgument("change recorder: state file, key list, sink and clock are required",
                           "bad_config");
  }
  std::unique_ptr<ChangeRecorder> recorder(new ChangeRecorder(std::move(options), sink, clock));
  ACCORD_RETURN_IF_ERROR(recorder->LoadState());
  ACCORD_RETURN_IF_ERROR(recorder->CheckNow());
  recorder->thread_ = std::thread([r = recorder.get()] { r->Run(); });
  return recorder;
}

ChangeRecorder::~ChangeRecorder() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ChangeRecorder::Run() {
  std::unique_lock<std::mutex> lock(stop_mu_);
  while (!stop_cv_.wait_for(lock, options_.interval, [this] { return stop_; })) {
    lock.unlock();
    // A failure (log unavailable) is retried at the next interval; what is not recorded is not
    // marked recorded, so nothing is lost.
    CheckNow().IgnoreError();
    lock.lock();
  }
}

Status ChangeRecorder::CheckNow() {
  std::lock_guard<std::mutex> lock(check_mu_);
  ACCORD_ASSIGN_OR_RETURN(std::vector<std::string> kids, options_.list_kids());
  std::sort(kids.begin(), kids.end());
  bool changed = false;
  for (const std::string& kid : kids) {
    if (recorded_kids_.contains(kid)) continue;
    if (!IsAuditIdentifier(kid)) return InvalidArgument("a signing key's kid is not loggable", "bad_entry");
    if (recorded_kids_.size() >= kMaxRecordedKids) return ResourceExhausted("too many keys", "too_many_keys");
    ACCORD_RETURN_IF_ERROR(Append(EventType::kKeyRotated, kid));
    recorded_kids_.insert(kid);
    changed = true;
  }
  if (!options_.policy_dir.empty()) {
    ACCORD_ASSIGN_OR_RETURN(std::string digest, PolicyDigest(options_.policy_dir));
    if (digest != recorded_policy_) {
      ACCORD_RETURN_IF_ERROR(Append(EventType::kPolicyChanged, digest));
      recorded_policy_ = std::move(digest);
      changed = true;
    }
  }
  if (options_.current_kek_id) {
    ACCORD_ASSIGN_OR_RETURN(std::string kek, options_.current_kek_id());
    if (kek != recorded_kek_) {
      if (!IsAuditIdentifier(kek)) return InvalidArgument("the KEK id is not loggable", "bad_entry");
      ACCORD_RETURN_IF_ERROR(Append(EventType::kKekRotated, kek));
      recorded_kek_ = std::move(kek);
      changed = true;
    }
  }
  return changed ? SaveState() : Status::Ok();
}

Status ChangeRecorder::Append(EventType type, const std::string& record_id) const {
  AuditEvent event;
  event.time_ms = clock_->NowMillis();
  event.type = type;
  event.consent_id = record_id;  // the record the event is about (docs/audit-format.md)
  return sink_->Record(event);
}

Status ChangeRecorder::LoadState() {
  std::error_code ec;
  if (!std::filesystem::exists(options_.state_file, ec)) return Status::Ok();  // first start
  ACCORD_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(options_.state_file, kMaxStateBytes));
  auto state = ParseJsonObject(text);
  if (!state.ok()) return DataLoss("the recorded-changes state file is corrupt", "bad_state");
  if (const auto* policy = state->if_contains("policy"); policy && policy->is_string()) {
    recorded_policy_ = std::string(policy->as_string());
  }
  if (const auto* kek = state->if_contains("kek"); kek && kek->is_string()) {
    recorded_kek_ = std::string(kek->as_string());
  }
  if (const auto* keys = state->if_contains("keys"); keys && keys->is_array()) {
    for (const auto& kid : keys->as_array()) {
      if (kid.is_string() && recorded_kids_.size() < kMaxRecordedKids) {
        recorded_kids_.insert(std::string(kid.as_string()));
      }
    }
  }
  return Status::Ok();
}

// Written to a temporary file, fsync'd, renamed over the old one, directory fsync'd.
Status ChangeRecorder::SaveState() const {
  boost::json::array keys;
  for (const std::string& kid : recorded_kids_) keys.emplace_back(kid);
  const std::string text = boost::json::serialize(boost::json::object{
                               {"policy", recorded_policy_}, {"kek", recorded_kek_}, {"keys", keys}}) +
                           "\n";
  const std::string tmp = options_.state_file + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable("cannot write the recorded-changes state", "state_write_failed");
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), options_.state_file.c_str()) != 0) {
    return Unavailable("cannot write the recorded-changes state", "state_write_failed");
  }
  // The rename is durable once the directory is.
  const std::string dir = std::filesystem::path(options_.state_file).parent_path().string();
  if (FsyncDirectory(dir) != 0) {
    return Unavailable("cannot write the recorded-changes state", "state_write_failed");
  }
  return Status::Ok();
}

}  // namespace accord::audit
