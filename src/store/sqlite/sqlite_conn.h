// SqliteConn: one SQLite connection implementing SqlConn, with a per-connection cache of
// prepared statements. Parameters $1..$n are bound by name.
//
// Durability (docs/store.md): WAL journal. File databases share a SharedFile: synchronous=NORMAL,
// and after Commit() of a write transaction TakeDurabilityWait() gives a wait for a group
// fdatasync of the -wal file covering it (group_sync.h), so an acknowledged transaction survives
// power loss, not only a process crash; ":memory:" has none and runs synchronous=FULL. Write
// transactions of one process queue on the SharedFile's writer mutex (woken the moment the
// writer before them commits) rather than on SQLite's sleeping busy handler, which stays for
// writers in other processes. Foreign keys on.
//
// Thread safety: none; the ConnPool gives a connection to one thread at a time (the library is
// opened in multi-thread mode, SQLITE_OPEN_NOMUTEX).
#ifndef ACCORD_STORE_SQLITE_SQLITE_CONN_H_
#define ACCORD_STORE_SQLITE_SQLITE_CONN_H_

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "store/internal/sql.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/group_sync.h"
#include "store/sqlite/replay_journal.h"

struct sqlite3;
struct sqlite3_stmt;

namespace accord::store::sqlite {

class SqliteConn;

// What every pooled connection to one database file shares. Owned by the store's connection
// factory, which outlives the connections.
struct SharedFile {
  // Opened first and never runs a statement after opening: its handle on the -wal file is the
  // one the group commit's leader syncs, so a sync never touches a connection another thread is
  // using. (The -wal file is the same file for as long as any connection is open.) Declared
  // before group_sync, whose destructor may still sync through it.
  std::unique_ptr<SqliteConn> sync_conn;
  // The replay journal of a served store (replay_journal.h), or null. Every group sync runs its
  // Sync() before the -wal's, so a commit's wait also covers the records recorded before it.
  std::shared_ptr<ReplayJournal> journal;
  GroupSync group_sync;
  std::mutex writer;  // held from BEGIN IMMEDIATE to COMMIT/ROLLBACK
  // Set once while the store opens, before the pool is shared; destroyed first (joins its thread).
  std::unique_ptr<Checkpointer> checkpointer;
};

// A wait for a group sync (the journal's records, then the -wal) that starts after this call.
internal::DurabilityWait GroupDurabilityWait(SharedFile* shared);

class SqliteConn final : public internal::SqlConn {
 public:
  // Opens (creating) the database file and applies the connection pragmas. `shared` (every
  // connection to the file, must outlive them) may be null: commits then sync alone.
  static Result<std::unique_ptr<SqliteConn>> Open(const std::string& path, int busy_timeout_ms,
                                                  SharedFile* shared = nullptr);
  // Opens `shared->sync_conn` for a file database that is already in WAL mode.
  static Status OpenSyncConnection(const std::string& path, SharedFile* shared);
  ~SqliteConn() override;

  internal::Dialect dialect() const override { return internal::Dialect::kSqlite; }
  Result<internal::SqlResult> Exec(const internal::SqlStatement& stmt,
                                   std::initializer_list<internal::SqlValue> params) override;
  Status ExecScript(std::string_view sql, std::string_view what) override;
  Status Begin(internal::TxMode mode) override;
  Status Commit() override;
  internal::DurabilityWait TakeDurabilityWait() override;
  Status Rollback() override;
  Status Savepoint() override;
  Status ReleaseSavepoint() override;
  Status RollbackToSavepoint() override;
  bool InTransaction() const override;
  bool Healthy() const override;

  // fdatasync of this connection's -wal file (SQLite's own handle, so always the live file).
  Status SyncWal();
  // A PASSIVE checkpoint (the checkpointer's connection): copies what it can, waits for nobody.
  Status CheckpointPassive();

 private:
  SqliteConn(sqlite3* db, SharedFile* shared) : db_(db), shared_(shared) {}
  Result<sqlite3_stmt*> Prepare(const internal::SqlStatement& stmt);
  // Runs one of the transaction-control statements, prepared once into `*cached`.
  Status Control(const char* sql, sqlite3_stmt** cached, std::string_view what);
  Status MapError(int rc, std::string_view what);
  // sqlite3_wal_hook of connections with a SharedFile: hands checkpoints to its checkpointer.
  static int OnWalCommit(void* arg, sqlite3* db, const char* schema, int wal_frames);
  static constexpr int kDefaultCheckpointFrames = 1000;  // SQLite's wal_autocheckpoint

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  sqlite3_stmt* begin_read_ = nullptr;  // transaction control, prepared on first use
  sqlite3_stmt* begin_write_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  sqlite3_stmt* rollback_ = nullptr;
  sqlite3_stmt* savepoint_ = nullptr;
  sqlite3_stmt* release_ = nullptr;
  sqlite3_stmt* rollback_to_ = nullptr;
  SharedFile* shared_;
  std::unique_lock<std::mutex> writer_lock_;  // on shared_->writer during a write transaction
  bool broken_ = false;
  bool write_tx_ = false;          // the open transaction began as kWrite
  bool durability_pending_ = false;  // a write transaction committed; its wait not yet taken
};

}  // namespace accord::store::sqlite

#endif  // ACCORD_STORE_SQLITE_SQLITE_CONN_H_
