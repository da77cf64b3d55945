// FsyncDirectory: makes the names in a directory durable (a file created, renamed or removed in
// it survives a power loss only once its directory is synced, like the file's own data).
//
// Thread safety: a free function, no state.
#ifndef ACCORD_COMMON_FSYNC_DIR_H_
#define ACCORD_COMMON_FSYNC_DIR_H_

#include <string>

namespace accord {

// Opens `dir` ("" means ".") read-only and fsyncs it. Returns 0, or the errno of the open or
// the fsync that failed; callers map it to their own error.
int FsyncDirectory(const std::string& dir);

}  // namespace accord

#endif  // ACCORD_COMMON_FSYNC_DIR_H_
