#include "audit/posix_journal.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/fsync_dir.h"

namespace accord::audit {
namespace {

Status Errno(std::string_view what) {
  return Unavailable(std::string(what) + ": " + std::strerror(errno), "storage_error");
}

Status SyncDir(const std::string& dir) {
  const int err = FsyncDirectory(dir);
  if (err == 0) return Status::Ok();
  return Unavailable(std::string("fsync directory: ") + std::strerror(err), "storage_error");
}

Status MakeDirs(const std::string& dir) {
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = dir.find('/', pos + 1);
    const std::string sub = dir.substr(0, pos);
    if (::mkdir(sub.c_str(), 0755) == 0) {
      const size_t slash = sub.rfind('/');
      ACCORD_RETURN_IF_ERROR(SyncDir(slash == std::string::npos || slash == 0 ? "." : sub.substr(0, slash)));
    } else if (errno != EEXIST) {
      return Errno("mkdir journal");
    }
  }
  return Status::Ok();
}

std::string SegmentName(uint64_t first) {
  char name[24];
  std::snprintf(name, sizeof(name), "%020llu", static_cast<unsigned long long>(first));
  return name;
}

Result<Bytes> ReadWhole(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("open journal segment");
  Bytes out;
  uint8_t buf[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Errno("read journal segment");
    }
    if (n == 0) break;
    out.insert(out.end(), buf, buf + n);
    if (out.size() > 2 * kMaxJournalPayload + PosixJournal::kDefaultSegmentBytes) {
      ::close(fd);
      return DataLoss("journal segment too large", "journal_corrupt");
    }
  }
  ::close(fd);
  return out;
}

}  // namespace

Result<std::unique_ptr<PosixJournal>> PosixJournal::Open(const std::string& dir, size_t segment_bytes) {
  if (dir.empty() || segment_bytes == 0) return InvalidArgument("bad journal options", "bad_config");
  ACCORD_RETURN_IF_ERROR(MakeDirs(dir));
  std::unique_ptr<PosixJournal> j(new PosixJournal(dir, segment_bytes));
  ACCORD_RETURN_IF_ERROR(j->Scan());
  return j;
}

PosixJournal::~PosixJournal() {
  if (fd_ >= 0) ::close(fd_);
}

Status PosixJournal::Scan() {
  DIR* d = ::opendir(dir_.c_str());
  if (d == nullptr) return Errno("opendir journal");
  std::vector<uint64_t> firsts;
  while (const dirent* e = ::readdir(d)) {
    const std::string_view name = e->d_name;
    if (name.size() != 20 || !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;  // temporary or foreign files are ignored
    }
    firsts.push_back(std::stoull(std::string(name)));
  }
  ::closedir(d);
  std::sort(firsts.begin(), firsts.end());
  std::lock_guard<std::mutex> lock(mu_);
  segments_.clear();
  for (uint64_t f : firsts) segments_.push_back({f, f, dir_ + "/" + SegmentName(f)});
  return Status::Ok();
}

size_t PosixJournal::segment_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return segments_.size();
}

Result<std::vector<JournalRecord>> PosixJournal::ReadFrom(uint64_t first) {
  std::vector<Segment> segments;
  {
    std::lock_guard<std::mutex> lock(mu_);
    segments = segments_;
  }
  std::vector<JournalRecord> out;
  bool have_prev = false;
  uint64_t prev_end = 0;
  for (size_t s = 0; s < segments.size(); ++s) {
    ACCORD_ASSIGN_OR_RETURN(Bytes data, ReadWhole(segments[s].path));
    size_t off = 0;
    uint64_t seg_end = segments[s].first;
    while (true) {
      JournalRecord rec;
      size_t used = 0;
      const FrameResult r = DecodeJournalFrame(BytesView(data).subspan(off), &rec, &used);
      if (r == FrameResult::kEnd) break;
      if (r == FrameResult::kTorn) {
        if (s + 1 != segments.size()) return DataLoss("torn record inside the journal", "journal_corrupt");
        // A record cut short by a crash: never acknowledged. Truncate it away.
        if (::truncate(segments[s].path.c_str(), static_cast<off_t>(off)) != 0) return Errno("truncate journal");
        const int fd = ::open(segments[s].path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) return Errno("open journal segment");
        const int rc = ::fsync(fd);
        ::close(fd);
        if (rc != 0) return Errno("fsync journal segment");
        break;
      }
      if (off == 0 && rec.first != segments[s].first) {
        return DataLoss("journal segment name does not match its first record", "journal_corrupt");
      }
      if (have_prev && rec.first != prev_end) return DataLoss("journal records are not contiguous", "journal_gap");
      off += used;
      have_prev = true;
      prev_end = seg_end = rec.end();
      if (rec.end() <= first) continue;
      if (out.empty() && rec.first > first) return DataLoss("journal is missing entries", "journal_gap");
      out.push_back(std::move(rec));
    }
    std::lock_guard<std::mutex> lock(mu_);
    for (Segment& seg : segments_) {
      if (seg.first == segments[s].first) seg.end = seg_end;
    }
  }
  return out;
}

Status PosixJournal::StartSegment(uint64_t first) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  const std::string path = dir_ + "/" + SegmentName(first);
  // O_TRUNC: a leftover segment with this name holds only trimmed or never-acknowledged data.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("create journal segment");
  ACCORD_RETURN_IF_ERROR(SyncDir(dir_));
  fd_ = fd;
  fd_bytes_ = 0;
  std::lock_guard<std::mutex> lock(mu_);
  segments_.erase(std::remove_if(segments_.begin(), segments_.end(),
                                 [first](const Segment& s) { return s.first == first; }),
                  segments_.end());
  segments_.push_back({first, first, path});
  writing_ = true;
  return Status::Ok();
}

Status PosixJournal::Append(uint64_t first, uint64_t end, BytesView frame) {
  if (fd_ < 0 || fd_bytes_ >= segment_bytes_) ACCORD_RETURN_IF_ERROR(StartSegment(first));
  size_t off = 0;
  while (off < frame.size()) {
    const ssize_t n = ::write(fd_, frame.data() + off, frame.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("write journal");
    off += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) return Errno("fdatasync journal");
  fd_bytes_ += frame.size();
  std::lock_guard<std::mutex> lock(mu_);
  segments_.back().end = end;
  return Status::Ok();
}

Status PosixJournal::Trim(uint64_t integrated_size) {
  std::vector<std::string> doomed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const size_t keep_last = writing_ ? 1 : 0;  // never the segment being written
    auto it = segments_.begin();
    while (it != segments_.end() && segments_.end() - it > static_cast<std::ptrdiff_t>(keep_last) &&
           it->end <= integrated_size) {
      doomed.push_back(it->path);
      ++it;
    }
    segments_.erase(segments_.begin(), it);
  }
  if (doomed.empty()) return Status::Ok();
  for (const std::string& p : doomed) {
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) return Errno("unlink journal segment");
  }
  return SyncDir(dir_);
}

}  // namespace accord::audit
