#include "store/sqlite/replay_journal.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "common/fsync_dir.h"

namespace accord::store::sqlite {
namespace {

// A little-endian load (the key hash's first 8 bytes as a fingerprint).
uint64_t GetLe(const uint8_t* in, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(in[i]) << (8 * i);
  return v;
}

Status Broken(std::string_view what) {
  return Unavailable("replay journal: " + std::string(what), "db_unavailable");
}

Status WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Broken("write failed");
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

// A new file's name is durable once its directory is synced.
Status SyncDirectory(const std::string& dir) {
  return FsyncDirectory(dir) == 0 ? Status::Ok() : Broken("directory sync failed");
}

std::string SegmentName(uint64_t number) {
  std::string digits = std::to_string(number);
  return std::string(10 - std::min<size_t>(10, digits.size()), '0') + digits + ".log";
}

// The segment number of a file name ("0000000042.log" -> 42), or 0 when it is no segment.
uint64_t SegmentNumber(const std::string& name) {
  if (name.size() != 14 || name.substr(10) != ".log") return 0;
  uint64_t n = 0;
  for (size_t i = 0; i < 10; ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    n = n * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  return n;
}

std::mutex registry_mu;
std::map<std::string, std::weak_ptr<ReplayJournal>>& Registry() {
  static auto* registry = new std::map<std::string, std::weak_ptr<ReplayJournal>>();
  return *registry;
}

}  // namespace

uint64_t ReplayJournal::Fingerprint(const Key& key) {
  const uint64_t fp = GetLe(key.data(), 8);  // a SHA-256 prefix: already uniform
  return fp == 0 ? 1 : fp;                    // 0 marks an empty slot
}

ReplayJournal::Key ReplayJournal::KeyOf(ReplayScope scope, std::string_view key) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const auto scope_byte = static_cast<unsigned char>(scope);
  uint8_t digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, &scope_byte, 1) == 1 &&
                  EVP_DigestUpdate(ctx, key.data(), key.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, digest, &len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || len < 16) std::abort();  // a built-in digest fails only when memory runs out
  Key out;
  std::memcpy(out.data(), digest, out.size());
  return out;
}

Result<std::shared_ptr<ReplayJournal>> ReplayJournal::Open(const std::string& db_path,
                                                           int64_t now, size_t max_entries) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string dir = fs::absolute(fs::path(db_path + "-replay"), ec).lexically_normal();
  if (ec) return Broken("cannot resolve its directory");
  std::lock_guard<std::mutex> registry_lock(registry_mu);
  if (auto open = Registry()[dir].lock()) return open;

  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return Broken("cannot create " + dir);
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    // The directory's own name must survive a power loss like the segments in it.
    ACCORD_RETURN_IF_ERROR(SyncDirectory(fs::path(dir).parent_path().string()));
  }
  std::shared_ptr<ReplayJournal> j(new ReplayJournal());
  j->dir_ = dir;
  j->max_entries_ = max_entries;
  j->lock_fd_ = ::open((dir + "/LOCK").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (j->lock_fd_ < 0) return Broken("cannot open " + dir + "/LOCK");
  if (::flock(j->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return FailedPrecondition("the replay journal " + dir +
                                  " is in use by another process (one accord serve per SQLite "
                                  "database)",
                              "journal_in_use");
  }
  std::vector<std::pair<uint64_t, std::string>> segments;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (const uint64_t n = SegmentNumber(name); n > 0) segments.emplace_back(n, e.path().string());
  }
  if (ec) return Broken("cannot list " + dir);
  std::sort(segments.begin(), segments.end());
  for (const auto& [number, path] : segments) {
    int64_t max_expires = 0;
    ACCORD_RETURN_IF_ERROR(j->ReadSegment(path, now, &max_expires));
    if (max_expires <= now) {
      ::unlink(path.c_str());
    } else {
      j->closed_.push_back({path, max_expires});
    }
    j->segment_number_ = number;
  }
  j->last_now_ = now;
  Registry()[dir] = j;
  return j;
}

ReplayJournal::~ReplayJournal() {
  Sync().IgnoreError();  // what is buffered belongs to answers never sent: harmless, and kept
  if (fd_ >= 0) ::close(fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

Status ReplayJournal::ReadSegment(const std::string& path, int64_t now, int64_t* max_expires) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Broken("cannot open " + path);
  std::string data;
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Broken("cannot read " + path);
    }
    if (n == 0) break;
    data.append(chunk, static_cast<size_t>(n));
  }
  ::close(fd);
  std::lock_guard<std::mutex> lock(mu_);
  int foreign_scope = -1;
  DecodeJournalRecords(
      data,
      [&](const JournalRecord& r) {
        ++records_read_;
        *max_expires = std::max(*max_expires, r.expires_at);
        // A repeat (none is written) is ignored.
        if (r.expires_at > now) index_.Insert(Fingerprint(r.key), r.expires_at, now);
      },
      &foreign_scope);
  live_ = index_.Live(now);
  if (foreign_scope >= 0) {
    // A newer Accord wrote it. Reading on would forget the records after it (and could delete
    // the segment as expired), so replays they refuse would pass: refuse to open instead.
    return FailedPrecondition(
        "replay journal: " + path + " holds records of a kind (scope " +
            std::to_string(foreign_scope) +
            ") that this version of Accord does not keep there; a newer version wrote them. Run "
            "that version, or move the journal directory aside (what it records would then be "
            "accepted again until it expires, at most minutes)",
        "journal_from_newer_version");
  }
  return Status::Ok();
}

Status ReplayJournal::Record(std::span<const ReplayRecord> records, int64_t now, int* replayed) {
  std::vector<Key> keys;
  keys.reserve(records.size());
  for (const ReplayRecord& r : records) {
    if (!Holds(r.scope)) return InvalidArgument("scope not kept in the journal", "bad_value");
    keys.push_back(KeyOf(r.scope, r.key));
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (broken_) return Broken("unavailable after a failed write");
  if (now > last_now_) last_now_ = now;
  for (size_t i = 0; i < keys.size(); ++i) {
    const bool earlier = std::find(keys.begin(), keys.begin() + static_cast<ptrdiff_t>(i),
                                   keys[i]) != keys.begin() + static_cast<ptrdiff_t>(i);
    if (earlier || index_.Contains(Fingerprint(keys[i]), now)) {
      if (replayed != nullptr) *replayed = static_cast<int>(i);
      return AlreadyExists("identifier was already used", "replay");
    }
  }
  live_ = index_.Live(now);
  // At the cap, jtis go to the table instead (the store's overflow). Consumed codes may fill the
  // index to twice the cap: each gates a code's single use for every way an exchange is decided
  // (SqlStore::CodeGate), so a code finding no room is refused for now (the exchange fails
  // whole, the code unspent), never decided in the table alone.
  size_t capped = 0;
  for (const ReplayRecord& r : records) capped += r.scope == ReplayScope::kConsumedCode ? 0 : 1;
  if (capped > 0 ? live_ + capped > max_entries_ : live_ + keys.size() > 2 * max_entries_) {
    return Unavailable("replay journal full", "replay_journal_full");
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    const ReplayRecord& r = records[i];
    index_.Insert(Fingerprint(keys[i]), r.expires_at, now);
    ++live_;
    AppendJournalRecord({r.scope, r.expires_at, keys[i]}, &buffer_);
    buffer_max_expires_ = std::max(buffer_max_expires_, r.expires_at);
  }
  return Status::Ok();
}

bool ReplayJournal::Contains(ReplayScope scope, std::string_view key, int64_t now) const {
  if (!Holds(scope)) return false;
  const uint64_t fp = Fingerprint(KeyOf(scope, key));
  std::lock_guard<std::mutex> lock(mu_);
  return index_.Contains(fp, now);
}

Status ReplayJournal::StartSegment(uint64_t number) {
  const std::string path = dir_ + "/" + SegmentName(number);
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) return Broken("cannot create " + path);
  segment_number_ = number;
  segment_bytes_ = 0;
  current_ = {path, 0};
  return SyncDirectory(dir_);
}

Status ReplayJournal::Sync() {
  std::lock_guard<std::mutex> sync_lock(sync_mu_);
  std::string data;
  int64_t max_expires = 0;
  int64_t now = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (broken_) return Broken("unavailable after a failed write");
    data.swap(buffer_);
    max_expires = std::exchange(buffer_max_expires_, 0);
    now = last_now_;
  }
  // An earlier Sync holding sync_mu_ has finished, and wrote and synced what it took.
  if (data.empty()) return Status::Ok();
  Status status = Status::Ok();
  if (fd_ >= 0 && (segment_bytes_ >= kSegmentBytes || now - segment_started_ >= kSegmentSeconds)) {
    ::close(fd_);
    fd_ = -1;
    closed_.push_back(current_);
  }
  if (fd_ < 0) {
    status = StartSegment(segment_number_ + 1);
    segment_started_ = now;
  }
  if (status.ok()) status = WriteAll(fd_, data);
  if (status.ok() && ::fdatasync(fd_) != 0) status = Broken("fdatasync failed");
  if (!status.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    broken_ = true;
    return status;
  }
  ++syncs_;
  segment_bytes_ += data.size();
  current_.max_expires = std::max(current_.max_expires, max_expires);
  std::erase_if(closed_, [now](const Segment& s) {
    if (s.max_expires > now) return false;
    ::unlink(s.path.c_str());
    return true;
  });
  return Status::Ok();
}

size_t ReplayJournal::Live(int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (now > last_now_) live_ = index_.Live(now);
  return live_;
}

size_t ReplayJournal::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return live_;
}

uint64_t ReplayJournal::records_read() const {
  std::lock_guard<std::mutex> lock(mu_);
  return records_read_;
}

uint64_t ReplayJournal::syncs() const {
  std::lock_guard<std::mutex> lock(sync_mu_);
  return syncs_;
}

}  // namespace accord::store::sqlite
