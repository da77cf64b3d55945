#include "store/sqlite/sqlite_conn.h"

#include <sqlite3.h>

#include <string>

namespace accord::store::sqlite {

using internal::Row;
using internal::SqlResult;
using internal::SqlStatement;
using internal::SqlValue;
using internal::TxMode;

namespace {

// Messages name the operation and SQLite's generic error text; never values or paths of data.
std::string Describe(int rc, std::string_view what) {
  return "SQLite " + std::string(what) + ": " + sqlite3_errstr(rc);
}

Status Bind(sqlite3_stmt* st, int index, const SqlValue& v) {
  int rc = SQLITE_OK;
  if (const auto* i = std::get_if<int64_t>(&v)) {
    rc = sqlite3_bind_int64(st, index, *i);
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    rc = sqlite3_bind_text64(st, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  } else if (const auto* b = std::get_if<Bytes>(&v)) {
    // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
    static const uint8_t kEmpty = 0;
    rc = sqlite3_bind_blob64(st, index, b->empty() ? &kEmpty : b->data(), b->size(),
                             SQLITE_TRANSIENT);
  } else {
    rc = sqlite3_bind_null(st, index);
  }
  if (rc != SQLITE_OK) return Internal(Describe(rc, "bind"), "db_error");
  return Status::Ok();
}

SqlValue Column(sqlite3_stmt* st, int i) {
  switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(st, i));
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
      return std::string(p, static_cast<size_t>(sqlite3_column_bytes(st, i)));
    }
    case SQLITE_BLOB: {
      const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(st, i));
      return Bytes(p, p + sqlite3_column_bytes(st, i));
    }
    case SQLITE_NULL:
    default:
      return std::monostate{};
  }
}

}  // namespace

Result<std::unique_ptr<SqliteConn>> SqliteConn::Open(const std::string& path, int busy_timeout_ms,
                                                     SharedFile* shared) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<SqliteConn> conn(new SqliteConn(db, shared));  // closes db on every path
  if (rc != SQLITE_OK) {
    return Unavailable(Describe(rc, "open database"), "db_unavailable");
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  // NORMAL only where Commit() waits for the group sync of the -wal file.
  ACCORD_RETURN_IF_ERROR(conn->ExecScript(
      shared != nullptr
          ? "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;"
          : "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;",
      "pragmas"));
  if (path != ":memory:") {
    // WAL is persistent in the file; setting it on every connection is harmless. SQLite answers
    // with the mode in force, which stays "delete" where WAL is impossible: refuse that.
    std::string mode;
    rc = sqlite3_exec(
        db, "PRAGMA journal_mode = WAL;",
        [](void* out, int n, char** values, char**) {
          if (n > 0 && values[0] != nullptr) *static_cast<std::string*>(out) = values[0];
          return 0;
        },
        &mode, nullptr);
    if (rc != SQLITE_OK) return conn->MapError(rc, "journal_mode");
    if (mode != "wal") {
      return Unavailable("SQLite cannot use WAL journaling for this database", "db_unavailable");
    }
    // Replaces the automatic checkpoint inside COMMIT (checkpointer.h).
    if (shared != nullptr) sqlite3_wal_hook(db, &SqliteConn::OnWalCommit, shared);
  }
  return conn;
}

SqliteConn::~SqliteConn() {
  for (auto& [name, st] : statements_) sqlite3_finalize(st);
  for (sqlite3_stmt* st :
       {begin_read_, begin_write_, commit_, rollback_, savepoint_, release_, rollback_to_}) {
    sqlite3_finalize(st);
  }
  sqlite3_close_v2(db_);
}

Status SqliteConn::MapError(int rc, std::string_view what) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(Describe(rc, what), "db_busy");
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) {
        return AlreadyExists(Describe(rc, what), "duplicate");
      }
      return Internal(Describe(rc, what), "db_error");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      broken_ = true;
      return DataLoss(Describe(rc, what), "corrupt");
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
      broken_ = true;
      return Unavailable(Describe(rc, what), "db_unavailable");
    default:
      return Internal(Describe(rc, what), "db_error");
  }
}

Result<sqlite3_stmt*> SqliteConn::Prepare(const SqlStatement& stmt) {
  auto it = statements_.find(stmt.name);
  if (it != statements_.end()) return it->second;
  sqlite3_stmt* st = nullptr;
  const char* text = stmt.Text(internal::Dialect::kSqlite);
  int rc = sqlite3_prepare_v3(db_, text, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr);
  if (rc != SQLITE_OK) return MapError(rc, stmt.name);
  statements_.emplace(stmt.name, st);
  return st;
}

Result<SqlResult> SqliteConn::Exec(const SqlStatement& stmt,
                                   std::initializer_list<SqlValue> params) {
  ACCORD_ASSIGN_OR_RETURN(sqlite3_stmt * st, Prepare(stmt));
  struct Resetter {
    sqlite3_stmt* st;
    ~Resetter() {
      sqlite3_reset(st);
      sqlite3_clear_bindings(st);
    }
  } resetter{st};
  if (static_cast<size_t>(sqlite3_bind_parameter_count(st)) != params.size()) {
    return Internal(std::string("parameter count mismatch in ") + stmt.name, "db_error");
  }
  int n = 1;
  for (const SqlValue& v : params) {
    const std::string name = "$" + std::to_string(n++);
    const int index = sqlite3_bind_parameter_index(st, name.c_str());
    if (index == 0) return Internal(std::string("unbound parameter in ") + stmt.name, "db_error");
    ACCORD_RETURN_IF_ERROR(Bind(st, index, v));
  }
  SqlResult result;
  const int columns = sqlite3_column_count(st);
  for (;;) {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return MapError(rc, stmt.name);
    Row row;
    row.reserve(static_cast<size_t>(columns));
    for (int i = 0; i < columns; ++i) row.push_back(Column(st, i));
    result.rows.push_back(std::move(row));
  }
  if (!sqlite3_stmt_readonly(st)) result.affected = sqlite3_changes64(db_);
  return result;
}

Status SqliteConn::ExecScript(std::string_view sql, std::string_view what) {
  const std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return MapError(rc, what);
  return Status::Ok();
}

Status SqliteConn::OpenSyncConnection(const std::string& path, SharedFile* shared) {
  ACCORD_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConn> conn, Open(path, 0, nullptr));
  // A read opens the connection's -wal handle (it stays open until the connection closes).
  ACCORD_RETURN_IF_ERROR(conn->ExecScript("SELECT count(*) FROM sqlite_master;", "open wal"));
  sqlite3_file* wal = nullptr;
  const int rc = sqlite3_file_control(conn->db_, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);
  if (rc != SQLITE_OK || wal == nullptr || wal->pMethods == nullptr) {
    return Unavailable("SQLite wal sync: no write-ahead log open", "db_unavailable");
  }
  shared->sync_conn = std::move(conn);
  return Status::Ok();
}

Status SqliteConn::Control(const char* sql, sqlite3_stmt** cached, std::string_view what) {
  if (*cached == nullptr) {
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, cached, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(*cached);
      *cached = nullptr;
      return MapError(rc, what);
    }
  }
  const int rc = sqlite3_step(*cached);
  sqlite3_reset(*cached);
  if (rc != SQLITE_DONE) return MapError(rc, what);
  return Status::Ok();
}

Status SqliteConn::Begin(TxMode mode) {
  write_tx_ = mode == TxMode::kWrite;
  durability_pending_ = false;
  if (write_tx_ && shared_ != nullptr) writer_lock_ = std::unique_lock(shared_->writer);
  Status s = write_tx_ ? Control("BEGIN IMMEDIATE", &begin_write_, "begin")
                       : Control("BEGIN", &begin_read_, "begin");
  if (!s.ok() && writer_lock_.owns_lock()) writer_lock_.unlock();
  return s;
}

Status SqliteConn::Commit() {
  ACCORD_RETURN_IF_ERROR(Control("COMMIT", &commit_, "commit"));
  if (writer_lock_.owns_lock()) writer_lock_.unlock();
  // Every write transaction waits, also one that changed nothing: its answer may rest on rows
  // another connection committed but has not yet synced.
  durability_pending_ = write_tx_ && shared_ != nullptr;
  write_tx_ = false;
  return Status::Ok();
}

internal::DurabilityWait GroupDurabilityWait(SharedFile* shared) {
  auto sync = [shared]() -> Status {
    if (shared->journal != nullptr) ACCORD_RETURN_IF_ERROR(shared->journal->Sync());
    return shared->sync_conn->SyncWal();
  };
  return {[shared, sync] { return shared->group_sync.AwaitDurable(sync); },
          [shared, sync](DeferredAck::Callback done) {
            shared->group_sync.NotifyDurable(sync, std::move(done));
          }};
}

internal::DurabilityWait SqliteConn::TakeDurabilityWait() {
  if (!durability_pending_) return {};
  durability_pending_ = false;
  return GroupDurabilityWait(shared_);
}

Status SqliteConn::SyncWal() {
  sqlite3_file* wal = nullptr;
  int rc = sqlite3_file_control(db_, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);
  if (rc != SQLITE_OK) return MapError(rc, "wal sync");
  if (wal == nullptr || wal->pMethods == nullptr) {
    broken_ = true;
    return Unavailable("SQLite wal sync: no write-ahead log open", "db_unavailable");
  }
  rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
  if (rc != SQLITE_OK) return MapError(rc, "wal sync");
  return Status::Ok();
}

Status SqliteConn::Savepoint() { return Control("SAVEPOINT body", &savepoint_, "savepoint"); }

Status SqliteConn::ReleaseSavepoint() {
  return Control("RELEASE body", &release_, "release savepoint");
}

Status SqliteConn::RollbackToSavepoint() {
  Status s = Control("ROLLBACK TO body", &rollback_to_, "rollback to savepoint");
  if (!s.ok()) broken_ = true;
  return s;
}

int SqliteConn::OnWalCommit(void* arg, sqlite3* db, const char* schema, int wal_frames) {
  SharedFile* shared = static_cast<SharedFile*>(arg);
  // Before the store has started its checkpointer (while opening): SQLite's own default.
  const bool inline_checkpoint = shared->checkpointer != nullptr
                                     ? shared->checkpointer->OnCommit(wal_frames)
                                     : wal_frames >= kDefaultCheckpointFrames;
  if (inline_checkpoint) {
    const int rc =
        sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (shared->checkpointer != nullptr) {  // BUSY: another checkpoint is running, as in the thread
      shared->checkpointer->RecordInline(rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY);
    }
  }
  return SQLITE_OK;  // the commit itself succeeded whatever the checkpoint did
}

Status SqliteConn::CheckpointPassive() {
  const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY) return Status::Ok();  // BUSY: one is running
  return MapError(rc, "checkpoint");
}

bool SqliteConn::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

Status SqliteConn::Rollback() {
  durability_pending_ = false;
  if (sqlite3_get_autocommit(db_)) {  // SQLite already rolled back
    if (writer_lock_.owns_lock()) writer_lock_.unlock();
    return Status::Ok();
  }
  Status s = Control("ROLLBACK", &rollback_, "rollback");
  if (!s.ok()) broken_ = true;
  if (writer_lock_.owns_lock()) writer_lock_.unlock();
  return s;
}

bool SqliteConn::Healthy() const { return !broken_ && sqlite3_get_autocommit(db_) != 0; }

}  // namespace accord::store::sqlite
