#include "store/postgres/pg_conn.h"

#include <libpq-fe.h>

#include <charconv>
#include <string>
#include <vector>

#include "common/blocking_region.h"

namespace accord::store::postgres {

using internal::Row;
using internal::SqlResult;
using internal::SqlStatement;
using internal::SqlValue;
using internal::TxMode;

namespace {

constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kByteaOid = 17;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

void IgnoreNotice(void*, const char*) {}

// First line of libpq's connection error: names host/socket and user, never the password.
std::string ConnectError(PGconn* conn) {
  std::string msg = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
  const size_t nl = msg.find('\n');
  if (nl != std::string::npos) msg.resize(nl);
  return "cannot connect to PostgreSQL: " + msg;
}

Result<SqlValue> Decode(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return SqlValue(std::monostate{});
  const char* text = PQgetvalue(res, row, col);
  const size_t len = static_cast<size_t>(PQgetlength(res, row, col));
  const Oid type = PQftype(res, col);
  if (type == kInt8Oid || type == kInt4Oid || type == kInt2Oid) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(text, text + len, v);
    if (ec != std::errc() || end != text + len) {
      return DataLoss("unreadable integer from PostgreSQL", "corrupt");
    }
    return SqlValue(v);
  }
  if (type == kByteaOid) {
    // Text-format bytea is "\x" followed by hex (bytea_output = hex, the default).
    Bytes out;
    if (len < 2 || text[0] != '\\' || text[1] != 'x' ||
        !HexDecode(std::string_view(text + 2, len - 2), &out)) {
      return DataLoss("unreadable bytea from PostgreSQL", "corrupt");
    }
    return SqlValue(std::move(out));
  }
  return SqlValue(std::string(text, len));
}

}  // namespace

Result<std::unique_ptr<PgConn>> PgConn::Open(const std::string& conninfo) {
  PGconn* raw = nullptr;
  {
    BlockingRegion waiting;
    raw = PQconnectdb(conninfo.c_str());
  }
  std::unique_ptr<PgConn> conn(new PgConn(raw));  // PQfinish on every path
  if (raw == nullptr || PQstatus(raw) != CONNECTION_OK) {
    return Unavailable(ConnectError(raw), "db_unavailable");
  }
  PQsetNoticeProcessor(raw, IgnoreNotice, nullptr);
  ACCORD_RETURN_IF_ERROR(conn->ExecScript(
      "SET client_min_messages = warning; SET bytea_output = 'hex'; SET TIME ZONE 'UTC'",
      "session settings"));
  return conn;
}

PgConn::~PgConn() {
  if (conn_ != nullptr) PQfinish(conn_);
}

Status PgConn::Check(const PGresult* res, std::string_view what) {
  const ExecStatusType st = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Status::Ok();
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state != nullptr ? state : "";
  const std::string msg = "PostgreSQL " + std::string(what) + " failed" +
                          (code.empty() ? "" : " (SQLSTATE " + code + ")");
  if (PQstatus(conn_) != CONNECTION_OK || code.starts_with("08") || code == "57P01" ||
      code.empty()) {
    broken_ = true;
    return Unavailable(msg, "db_unavailable");
  }
  if (code == "23505") return AlreadyExists(msg, "duplicate");
  if (code == "40001" || code == "40P01" || code == "55P03") return Unavailable(msg, "db_busy");
  if (code.starts_with("53")) return Unavailable(msg, "db_unavailable");  // resources
  return Internal(msg, "db_error");
}

Result<SqlResult> PgConn::Exec(const SqlStatement& stmt, std::initializer_list<SqlValue> params) {
  // A round trip to the server: a bounded handler pool runs another request meanwhile.
  BlockingRegion waiting;
  if (!prepared_.contains(stmt.name)) {
    ResultPtr res(PQprepare(conn_, stmt.name, stmt.Text(internal::Dialect::kPostgres),
                            static_cast<int>(params.size()), nullptr));
    ACCORD_RETURN_IF_ERROR(Check(res.get(), stmt.name));
    prepared_.insert(stmt.name);
  }
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  std::vector<int> lengths(params.size(), 0);
  std::vector<int> formats(params.size(), 0);
  size_t i = 0;
  for (const SqlValue& v : params) {
    if (const auto* n = std::get_if<int64_t>(&v)) {
      texts[i] = std::to_string(*n);
      values[i] = texts[i].c_str();
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      values[i] = s->c_str();
    } else if (const auto* b = std::get_if<Bytes>(&v)) {
      values[i] = reinterpret_cast<const char*>(b->data());
      lengths[i] = static_cast<int>(b->size());
      formats[i] = 1;
      if (b->empty()) values[i] = "";
    }
    ++i;
  }
  ResultPtr res(PQexecPrepared(conn_, stmt.name, static_cast<int>(params.size()), values.data(),
                               lengths.data(), formats.data(), 0));
  ACCORD_RETURN_IF_ERROR(Check(res.get(), stmt.name));
  SqlResult result;
  const int rows = PQntuples(res.get());
  const int cols = PQnfields(res.get());
  result.rows.reserve(static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    Row row;
    row.reserve(static_cast<size_t>(cols));
    for (int c = 0; c < cols; ++c) {
      ACCORD_ASSIGN_OR_RETURN(SqlValue v, Decode(res.get(), r, c));
      row.push_back(std::move(v));
    }
    result.rows.push_back(std::move(row));
  }
  const char* affected = PQcmdTuples(res.get());
  if (affected != nullptr && *affected != '\0') {
    std::from_chars(affected, affected + std::char_traits<char>::length(affected), result.affected);
  }
  return result;
}

Status PgConn::ExecScript(std::string_view sql, std::string_view what) {
  const std::string text(sql);
  BlockingRegion waiting;
  ResultPtr res(PQexec(conn_, text.c_str()));
  return Check(res.get(), what);
}

Status PgConn::Begin(TxMode mode) {
  return ExecScript(mode == TxMode::kWrite ? "BEGIN" : "BEGIN READ ONLY", "begin");
}

Status PgConn::Commit() {
  // COMMIT of a failed transaction "succeeds" as a rollback: never report that as a commit.
  if (PQtransactionStatus(conn_) != PQTRANS_INTRANS) {
    return Internal("PostgreSQL commit outside a healthy transaction", "db_error");
  }
  return ExecScript("COMMIT", "commit");
}

Status PgConn::Rollback() {
  if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return Status::Ok();
  Status s = ExecScript("ROLLBACK", "rollback");
  if (!s.ok()) broken_ = true;
  return s;
}

bool PgConn::Healthy() const {
  return !broken_ && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

}  // namespace accord::store::postgres
