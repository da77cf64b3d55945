// SqliteConn: one SQLite connection implementing SqlConn, with a per-connection cache of
// prepared statements. Parameters $1..$n are bound by name.
//
// Durability (docs/store.md): WAL journal. With a GroupSync (file databases) synchronous=NORMAL
// and Commit() of a write transaction returns only after a group fdatasync of the -wal file
// covering it (group_sync.h), so a committed transaction survives power loss, not only a process
// crash; without one (":memory:") synchronous=FULL. Foreign keys on, busy timeout for the write
// lock.
//
// Thread safety: none; the ConnPool gives a connection to one thread at a time (the library is
// opened in multi-thread mode, SQLITE_OPEN_NOMUTEX).
#ifndef ACCORD_STORE_SQLITE_SQLITE_CONN_H_
#define ACCORD_STORE_SQLITE_SQLITE_CONN_H_

#include <memory>
#include <string>
#include <unordered_map>

#include "store/internal/sql.h"
#include "store/sqlite/group_sync.h"

struct sqlite3;
struct sqlite3_stmt;

namespace accord::store::sqlite {

class SqliteConn final : public internal::SqlConn {
 public:
  // Opens (creating) the database file and applies the connection pragmas. `group_sync` (shared
  // by every connection to the file, must outlive them) may be null: commits then sync alone.
  static Result<std::unique_ptr<SqliteConn>> Open(const std::string& path, int busy_timeout_ms,
                                                  GroupSync* group_sync = nullptr);
  ~SqliteConn() override;

  internal::Dialect dialect() const override { return internal::Dialect::kSqlite; }
  Result<internal::SqlResult> Exec(const internal::SqlStatement& stmt,
                                   std::initializer_list<internal::SqlValue> params) override;
  Status ExecScript(std::string_view sql, std::string_view what) override;
  Status Begin(internal::TxMode mode) override;
  Status Commit() override;
  Status Rollback() override;
  bool Healthy() const override;

 private:
  SqliteConn(sqlite3* db, GroupSync* group_sync) : db_(db), group_sync_(group_sync) {}
  // fdatasync of this connection's -wal file (SQLite's own handle, so always the live file).
  Status SyncWal();
  Result<sqlite3_stmt*> Prepare(const internal::SqlStatement& stmt);
  Status MapError(int rc, std::string_view what);

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  GroupSync* group_sync_;
  bool broken_ = false;
  bool write_tx_ = false;  // the open transaction began as kWrite
};

}  // namespace accord::store::sqlite

#endif  // ACCORD_STORE_SQLITE_SQLITE_CONN_H_
