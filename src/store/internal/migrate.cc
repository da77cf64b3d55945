#include "store/internal/migrate.h"

#include <string>

namespace accord::store::internal {
namespace {

constexpr SqlStatement kMaxVersion{"migrations_max",
                                   "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};
constexpr SqlStatement kRecord{
    "migrations_record",
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"};
constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version BIGINT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

Status Apply(SqlConn& conn, std::span<const Migration> migrations, int64_t now,
             const char* lock_sql) {
  if (lock_sql != nullptr && *lock_sql != '\0') {
    ACCORD_RETURN_IF_ERROR(conn.ExecScript(lock_sql, "migration lock"));
  }
  ACCORD_RETURN_IF_ERROR(conn.ExecScript(kCreateTable, "schema_migrations"));
  ACCORD_ASSIGN_OR_RETURN(int64_t current, SchemaVersion(conn));
  const int64_t newest = migrations.empty() ? 0 : migrations.back().version;
  if (current > newest) {
    return FailedPrecondition("database schema version " + std::to_string(current) +
                                  " is newer than this binary supports (" + std::to_string(newest) +
                                  "); upgrade accord",
                              "schema_too_new");
  }
  int64_t expected = 1;
  for (const Migration& m : migrations) {
    if (m.version != expected++) {
      return Internal("migrations are not numbered 1, 2, 3, ...", "db_error");
    }
    if (m.version <= current) continue;
    ACCORD_RETURN_IF_ERROR(conn.ExecScript(m.sql, m.name));
    ACCORD_RETURN_IF_ERROR(conn.Exec(kRecord, {m.version, std::string(m.name), now}).status());
  }
  return Status::Ok();
}

}  // namespace

Result<int64_t> SchemaVersion(SqlConn& conn) {
  ACCORD_ASSIGN_OR_RETURN(SqlResult r, conn.Exec(kMaxVersion, {}));
  if (r.rows.size() != 1) return DataLoss("schema_migrations unreadable", "corrupt");
  RowReader reader(r.rows[0]);
  int64_t v = reader.Int();
  ACCORD_RETURN_IF_ERROR(reader.status());
  return v;
}

Status ApplyMigrations(SqlConn& conn, std::span<const Migration> migrations, int64_t now,
                       const char* lock_sql) {
  ACCORD_RETURN_IF_ERROR(conn.Begin(TxMode::kWrite));
  Status status = Apply(conn, migrations, now, lock_sql);
  if (!status.ok()) {
    conn.Rollback().IgnoreError();
    return status;
  }
  ACCORD_RETURN_IF_ERROR(conn.Commit());
  DurabilityWait durable = conn.TakeDurabilityWait();
  return durable ? durable.block() : Status::Ok();
}

}  // namespace accord::store::internal
