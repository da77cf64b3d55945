#include "audit/posix_log_storage.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <vector>

#include "audit/posix_journal.h"
#include "common/fsync_dir.h"

namespace accord::audit {
namespace {

Status Errno(std::string_view what) {
  return Unavailable(std::string(what) + ": " + std::strerror(errno), "storage_error");
}

std::string Parent(const std::string& p) {
  const size_t slash = p.rfind('/');
  return slash == std::string::npos ? std::string() : p.substr(0, slash);
}

// Makes the names in `dir` durable (common/fsync_dir.h).
Status SyncDirectory(const std::string& dir) {
  const int err = FsyncDirectory(dir);
  if (err == 0) return Status::Ok();
  return Unavailable(std::string("fsync directory: ") + std::strerror(err), "storage_error");
}

Status WriteAll(int fd, BytesView data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("write");
    }
    off += static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Runs fn(0..n-1) concurrently (the syncs overlap on the device) and returns the first error;
// the last call runs on the calling thread, so a single sync starts no thread.
template <typename Fn>
Status RunConcurrently(size_t n, Fn fn) {
  if (n == 0) return Status::Ok();
  std::vector<std::future<Status>> others;
  for (size_t i = 0; i + 1 < n; ++i) others.push_back(std::async(std::launch::async, fn, i));
  Status result = fn(n - 1);
  for (auto& f : others) {
    Status st = f.get();
    if (result.ok() && !st.ok()) result = st;
  }
  return result;
}

Status SyncDirs(const std::set<std::string>& dirs) {
  const std::vector<std::string> list(dirs.begin(), dirs.end());
  return RunConcurrently(list.size(), [&list](size_t i) {
    return SyncDirectory(list[i]);
  });
}

}  // namespace

bool IsSafeResourcePath(std::string_view path) {
  if (path.empty() || path.size() > 256) return false;
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    const std::string_view seg = path.substr(start, slash - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    for (char c : seg) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
      if (!ok) return false;
    }
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

Result<std::unique_ptr<PosixLogStorage>> PosixLogStorage::Open(const std::string& root) {
  if (root.empty()) return InvalidArgument("empty storage directory", "bad_path");
  std::string r = root;
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  struct stat st;
  if (::stat(r.c_str(), &st) != 0) {
    if (::mkdir(r.c_str(), 0755) != 0 && errno != EEXIST) return Errno("mkdir log directory");
    const std::string parent = Parent(r).empty() ? "." : Parent(r);
    ACCORD_RETURN_IF_ERROR(SyncDirectory(parent));
  } else if (!S_ISDIR(st.st_mode)) {
    return InvalidArgument("log path is not a directory", "bad_path");
  }
  return std::unique_ptr<PosixLogStorage>(new PosixLogStorage(r));
}

Result<Bytes> PosixLogStorage::Read(std::string_view path, size_t max_bytes) const {
  if (!IsSafeResourcePath(path)) return InvalidArgument("unsafe resource path", "bad_path");
  const std::string full = root_ + "/" + std::string(path);
  const int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("no such log resource", "not_found");
    return Errno("open");
  }
  Bytes out;
  uint8_t buf[16384];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return Errno("read");
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      ::close(fd);
      return OutOfRange("log resource too large", "too_large");
    }
    out.insert(out.end(), buf, buf + n);
  }
  ::close(fd);
  return out;
}

Status PosixLogStorage::EnsureParent(const std::string& rel, std::set<std::string>* dirty) {
  const std::string parent = Parent(rel);
  if (parent.empty()) {
    dirty->insert(root_);
    return Status::Ok();
  }
  dirty->insert(root_ + "/" + parent);
  if (known_dirs_.count(parent) != 0) return Status::Ok();
  // Create each missing ancestor; a new directory makes its parent dirty too.
  size_t pos = 0;
  while (true) {
    pos = parent.find('/', pos + 1);
    const std::string sub = parent.substr(0, pos);
    if (known_dirs_.count(sub) == 0) {
      const std::string full = root_ + "/" + sub;
      if (::mkdir(full.c_str(), 0755) == 0) {
        const std::string up = Parent(sub);
        dirty->insert(up.empty() ? root_ : root_ + "/" + up);
      } else if (errno != EEXIST) {
        return Errno("mkdir");
      }
      known_dirs_.insert(sub);
    }
    if (pos == std::string::npos) break;
  }
  return Status::Ok();
}

Status PosixLogStorage::Write(std::span<const StorageWrite> batch) {
  std::lock_guard<std::mutex> lock(write_mu_);
  return WriteLocked(batch, nullptr);
}

Status PosixLogStorage::WriteThenCommit(std::span<const StorageWrite> batch,
                                        const StorageWrite& commit) {
  std::lock_guard<std::mutex> lock(write_mu_);
  return WriteLocked(batch, &commit);
}

Status PosixLogStorage::WriteLocked(std::span<const StorageWrite> batch,
                                    const StorageWrite* commit) {
  struct Pending {
    std::string tmp, final_path;
    int fd = -1;
  };
  std::vector<const StorageWrite*> all;
  for (const StorageWrite& w : batch) all.push_back(&w);
  if (commit != nullptr) all.push_back(commit);
  std::set<std::string> dirty, commit_dirty;
  std::vector<Pending> files;
  auto cleanup = [&files] {
    for (Pending& f : files) {
      if (f.fd >= 0) ::close(f.fd);
      ::unlink(f.tmp.c_str());
    }
  };
  for (size_t i = 0; i < all.size(); ++i) {
    const StorageWrite& w = *all[i];
    const bool is_commit = commit != nullptr && i + 1 == all.size();
    if (!IsSafeResourcePath(w.path)) {
      cleanup();
      return InvalidArgument("unsafe resource path", "bad_path");
    }
    Status st = EnsureParent(w.path, is_commit ? &commit_dirty : &dirty);
    Pending f;
    f.final_path = root_ + "/" + w.path;
    f.tmp = f.final_path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(tmp_counter_++);
    if (st.ok()) {
      f.fd = ::open(f.tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (f.fd < 0) st = Errno("create temp file");
    }
    if (st.ok()) st = WriteAll(f.fd, w.data);
    files.push_back(std::move(f));
    if (!st.ok()) {
      cleanup();
      return st;
    }
  }
  // Sync every file's contents at once (the commit record's too: it is not yet visible).
  const Status synced = RunConcurrently(files.size(), [&files](size_t i) {
    return ::fdatasync(files[i].fd) == 0 ? Status::Ok() : Errno("fdatasync");
  });
  if (!synced.ok()) {
    cleanup();
    return Unavailable("fdatasync failed", "storage_error");
  }
  for (Pending& f : files) {
    ::close(f.fd);
    f.fd = -1;
  }
  const size_t data_files = commit != nullptr ? files.size() - 1 : files.size();
  for (size_t i = 0; i < data_files; ++i) {
    if (::rename(files[i].tmp.c_str(), files[i].final_path.c_str()) != 0) {
      Status st = Errno("rename");
      cleanup();
      return st;
    }
  }
  ACCORD_RETURN_IF_ERROR(SyncDirs(dirty));
  if (commit == nullptr) return Status::Ok();
  // Only now may the commit record appear.
  if (::rename(files.back().tmp.c_str(), files.back().final_path.c_str()) != 0) {
    Status st = Errno("rename");
    ::unlink(files.back().tmp.c_str());
    return st;
  }
  return SyncDirs(commit_dirty);
}

Status PosixLogStorage::Remove(std::string_view path) {
  if (!IsSafeResourcePath(path)) return InvalidArgument("unsafe resource path", "bad_path");
  std::lock_guard<std::mutex> lock(write_mu_);
  const std::string full = root_ + "/" + std::string(path);
  if (::unlink(full.c_str()) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return Errno("unlink");
  }
  const std::string parent = Parent(full);
  return SyncDirectory(parent);
}

Result<std::vector<uint32_t>> PosixLogStorage::ListPartials(std::string_view base) const {
  if (!IsSafeResourcePath(base)) return InvalidArgument("unsafe resource path", "bad_path");
  const std::string dir = root_ + "/" + std::string(base) + ".p";
  std::vector<uint32_t> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT) return out;
    return Errno("opendir");
  }
  while (const dirent* e = ::readdir(d)) {
    const std::string_view name = e->d_name;
    if (name.empty() || name.size() > 3 || name[0] == '0') continue;
    uint32_t w = 0;
    bool digits = true;
    for (char c : name) {
      digits = digits && c >= '0' && c <= '9';
      w = w * 10 + static_cast<uint32_t>(c - '0');
    }
    if (digits && w >= 1 && w <= 255) out.push_back(w);
  }
  ::closedir(d);
  return out;
}

Result<std::unique_ptr<Journal>> PosixLogStorage::OpenJournal() {
  ACCORD_ASSIGN_OR_RETURN(auto journal, PosixJournal::Open(root_ + "/log-state/journal"));
  return std::unique_ptr<Journal>(std::move(journal));
}

}  // namespace accord::audit
