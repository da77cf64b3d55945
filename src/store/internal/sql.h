// The small SQL layer both backends implement: one connection type (SqlConn) with prepared
// statements and $1..$n parameters, so the record logic (sql_store_*.cc) is written once.
//
// Ownership: a SqlConn is owned by the ConnPool (pool.h) and used by one thread at a time.
#ifndef ACCORD_STORE_INTERNAL_SQL_H_
#define ACCORD_STORE_INTERNAL_SQL_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/bytes.h"
#include "common/deferred_ack.h"
#include "common/status.h"

namespace accord::store::internal {

enum class Dialect { kSqlite, kPostgres };
enum class TxMode { kRead, kWrite };

// NULL, INTEGER/BIGINT, TEXT, BLOB/BYTEA.
using SqlValue = std::variant<std::monostate, int64_t, std::string, Bytes>;
using Row = std::vector<SqlValue>;

// A statement with $1..$n placeholders (SQLite binds them by name, PostgreSQL natively).
// `postgres` overrides `sql` where the dialects differ. Statements are static constants; the name
// identifies the prepared statement per connection and appears in error messages.
struct SqlStatement {
  const char* name;
  const char* sql;
  const char* postgres = nullptr;
  const char* Text(Dialect d) const {
    return d == Dialect::kPostgres && postgres != nullptr ? postgres : sql;
  }
};

struct SqlResult {
  std::vector<Row> rows;
  int64_t affected = 0;  // rows inserted/updated/deleted
};

struct DurabilityWait {
  std::function<Status()> block;  // returns once durable (or failed)
  DeferredAck::Wait notify;       // or: calls back once durable (see common/deferred_ack.h)
  explicit operator bool() const { return static_cast<bool>(block); }
};

class SqlConn {
 public:
  virtual ~SqlConn() = default;
  virtual Dialect dialect() const = 0;
  // Runs a prepared statement. Unique-key violation -> AlreadyExists "duplicate"; lock contention
  // -> Unavailable "db_busy"; lost connection -> Unavailable "db_unavailable"; else Internal.
  virtual Result<SqlResult> Exec(const SqlStatement& stmt,
                                 std::initializer_list<SqlValue> params) = 0;
  // Runs parameterless SQL that may hold several statements (migrations).
  virtual Status ExecScript(std::string_view sql, std::string_view what) = 0;
  // Starts a transaction. kWrite takes SQLite's write lock up front (BEGIN IMMEDIATE) so two
  // writers never deadlock upgrading a read lock; kRead lets SQLite readers run alongside.
  virtual Status Begin(TxMode mode) = 0;
  // Commits. A backend whose commits become durable later (SQLite's group commit) returns once
  // the transaction is visible; TakeDurabilityWait() then gives what to run before the write may
  // be acknowledged.
  virtual Status Commit() = 0;
  // After a successful Commit(): how to wait, once the connection is back in the pool (so a
  // commit waiting for its fsync does not hold a connection), for the commit to be durable;
  // empty when Commit() already was. The caller acknowledges the write only on OK.
  virtual DurabilityWait TakeDurabilityWait() { return {}; }
  virtual Status Rollback() = 0;
  // Inside a write transaction: one caller's body of a batch (write_batcher.h) runs between
  // Savepoint() and ReleaseSavepoint(); RollbackToSavepoint() undoes only that body's writes.
  virtual Status Savepoint() { return ExecScript("SAVEPOINT body", "savepoint"); }
  virtual Status ReleaseSavepoint() { return ExecScript("RELEASE body", "release savepoint"); }
  virtual Status RollbackToSavepoint() { return ExecScript("ROLLBACK TO body", "rollback to"); }
  // False when the backend has ended the transaction on its own (SQLite after an I/O error).
  virtual bool InTransaction() const { return true; }
  // False once the connection is unusable; the pool then discards it.
  virtual bool Healthy() const = 0;
};

// Reads a row's columns in order. NULL reads as 0 / "" / {}; a type mismatch or a missing column
// makes status() DataLoss "corrupt" (and the reads return empty values).
class RowReader {
 public:
  explicit RowReader(const Row& row) : row_(row) {}
  int64_t Int();
  std::string Text();
  Bytes Blob();
  const Status& status() const { return status_; }

 private:
  const SqlValue* Next();
  const Row& row_;
  size_t next_ = 0;
  Status status_;
};

}  // namespace accord::store::internal

#endif  // ACCORD_STORE_INTERNAL_SQL_H_
