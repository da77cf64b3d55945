// PgConn: one libpq connection implementing SqlConn. Statements are prepared once per connection
// (PQprepare, named after SqlStatement::name) and run with PQexecPrepared: integers and text are
// sent in text format, byte strings in binary format, so values never pass through SQL text.
//
// Errors are mapped from SQLSTATE; messages carry the statement name and SQLSTATE only, never the
// server's message text (which can quote values).
//
// Thread safety: none; the ConnPool gives a connection to one thread at a time.
#ifndef ACCORD_STORE_POSTGRES_PG_CONN_H_
#define ACCORD_STORE_POSTGRES_PG_CONN_H_

#include <memory>
#include <string>
#include <unordered_set>

#include "store/internal/sql.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace accord::store::postgres {

class PgConn final : public internal::SqlConn {
 public:
  static Result<std::unique_ptr<PgConn>> Open(const std::string& conninfo);
  ~PgConn() override;

  internal::Dialect dialect() const override { return internal::Dialect::kPostgres; }
  Result<internal::SqlResult> Exec(const internal::SqlStatement& stmt,
                                   std::initializer_list<internal::SqlValue> params) override;
  Status ExecScript(std::string_view sql, std::string_view what) override;
  Status Begin(internal::TxMode mode) override;
  Status Commit() override;
  Status Rollback() override;
  bool Healthy() const override;

 private:
  explicit PgConn(PGconn* conn) : conn_(conn) {}
  // OK for PGRES_COMMAND_OK / PGRES_TUPLES_OK, else the mapped error.
  Status Check(const PGresult* res, std::string_view what);

  PGconn* conn_;
  std::unordered_set<std::string> prepared_;
  bool broken_ = false;
};

}  // namespace accord::store::postgres

#endif  // ACCORD_STORE_POSTGRES_PG_CONN_H_
