#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <system_error>

#include "common/clock.h"
#include "store/internal/pool.h"
#include "store/internal/replay_index.h"
#include "store/internal/sql_store.h"
#include "store/sqlite/group_sync.h"
#include "store/sqlite/sqlite_conn.h"

namespace accord::store::sqlite {
namespace {

// Write transactions that queue behind each other commit together, up to this many bodies: one
// set of -wal frames and one checkpoint share instead of one per transaction (write_batcher.h).
constexpr size_t kMaxWriteBatch = 64;
// How long a body submitted without a waiting caller (Store::RecordAllLater) may wait for others
// to share its transaction. Its answer waits for the group fsync, which gathers for 2 ms anyway.
constexpr std::chrono::microseconds kSubmitGather{1000};
// -wal pages (4 KiB each) that wake the background checkpointer (checkpointer.h). Longer
// intervals copy a page rewritten by many commits once; SQLite's default is 1000.
constexpr int kCheckpointFrames = 8000;

// Creates missing parent directories (0700) and the file itself (0600) so the WAL and shared
// memory files SQLite derives from it are private too.
Status PrepareFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) return Unavailable("cannot create the database directory", "db_unavailable");
    fs::permissions(parent, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable("cannot create the database file", "db_unavailable");
  ::close(fd);
  return Status::Ok();
}

// The replay journal as the store's ReplayIndex: durability through the file's group sync,
// which syncs the journal before the -wal (sqlite_conn.h, GroupDurabilityWait).
class JournalIndex final : public internal::ReplayIndex {
 public:
  explicit JournalIndex(std::shared_ptr<SharedFile> shared) : shared_(std::move(shared)) {}
  bool Holds(ReplayScope scope) const override { return ReplayJournal::Holds(scope); }
  Status Record(std::span<const ReplayRecord> records, int64_t now, int* replayed) override {
    return shared_->journal->Record(records, now, replayed);
  }
  bool Contains(ReplayScope scope, std::string_view key, int64_t now) const override {
    return shared_->journal->Contains(scope, key, now);
  }
  internal::DurabilityWait TakeDurabilityWait() override {
    return GroupDurabilityWait(shared_.get());
  }

 private:
  const std::shared_ptr<SharedFile> shared_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const StoreConfig& config,
                                               std::span<const internal::Migration> migrations) {
  if (config.sqlite_path.empty()) {
    return InvalidArgument("sqlite_path is empty", "bad_value");
  }
  const bool memory = config.sqlite_path == ":memory:";
  if (!memory) ACCORD_RETURN_IF_ERROR(PrepareFile(config.sqlite_path));
  const std::string path = config.sqlite_path;
  const int busy_ms = config.busy_timeout_ms;
  // One group commit and writer lock per database file, shared by the pool's connections; they
  // live as long as the factory (owned by the pool), which outlives every connection.
  std::shared_ptr<SharedFile> shared = memory ? nullptr : std::make_shared<SharedFile>();
  auto factory = [path, busy_ms, shared]() -> Result<std::unique_ptr<internal::SqlConn>> {
    ACCORD_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConn> conn,
                            SqliteConn::Open(path, busy_ms, shared.get()));
    return std::unique_ptr<internal::SqlConn>(std::move(conn));
  };
  // Each ":memory:" connection is its own database: keep exactly one.
  const size_t size = memory ? 1 : static_cast<size_t>(config.pool_size);
  auto pool = std::make_unique<internal::ConnPool>(
      factory, size, std::chrono::milliseconds(config.acquire_timeout_ms));
  if (!memory) {  // one more connection, for every write transaction (warm cache), which
                  // commits the write transactions queued behind each other as one
    pool->SetWriterPool(std::make_unique<internal::ConnPool>(
                            factory, 1, std::chrono::milliseconds(config.acquire_timeout_ms)),
                        kMaxWriteBatch, kSubmitGather);
  }
  int64_t table_overflow_until = 0;
  {
    ACCORD_ASSIGN_OR_RETURN(internal::ConnPool::Lease conn, pool->Acquire());
    // The first connection has put the file in WAL mode: now the group commit's own handle.
    if (shared != nullptr) {
      ACCORD_RETURN_IF_ERROR(SqliteConn::OpenSyncConnection(path, shared.get()));
      shared->checkpointer = std::make_unique<Checkpointer>(path, kCheckpointFrames);
      if (config.replay_journal) {
        ACCORD_ASSIGN_OR_RETURN(shared->journal,
                                ReplayJournal::Open(path, SystemClock::Instance().NowSeconds(),
                                                    config.replay_journal_max_entries));
      }
    }
    ACCORD_RETURN_IF_ERROR(internal::ApplyMigrations(
        *conn, migrations, SystemClock::Instance().NowSeconds(), nullptr));
    if (shared != nullptr && shared->journal != nullptr) {
      // Jtis of the journal's scopes already in the table (an earlier overflow, or a version
      // without the journal) stay in force: the store consults the table until they expire.
      static constexpr internal::SqlStatement kJournalScopesInTable{
          "replay_journal_scopes_in_table",
          "SELECT COALESCE(MAX(expires_at), 0) FROM replay_cache WHERE scope IN (1, 2)"};
      ACCORD_ASSIGN_OR_RETURN(internal::SqlResult r, conn->Exec(kJournalScopesInTable, {}));
      if (r.rows.size() == 1) {
        internal::RowReader row(r.rows[0]);
        table_overflow_until = row.Int();
        ACCORD_RETURN_IF_ERROR(row.status());
      }
    }
  }
  internal::SqlStore::FileStats file_stats;
  if (shared != nullptr) {  // a file database: the group syncs and checkpoints of its -wal
    file_stats = [shared](WriteStats* stats) {
      stats->group_syncs = shared->group_sync.syncs();
      const Checkpointer& c = *shared->checkpointer;
      stats->checkpoints_background = c.checkpoints();
      stats->checkpoints_inline = c.inline_checkpoints();
      stats->checkpoint_failures = c.failures() + c.inline_failures();
      stats->wal_frames = c.wal_frames();
      if (shared->journal != nullptr) {
        stats->replay_journal_entries = static_cast<int64_t>(
            shared->journal->Live(SystemClock::Instance().NowSeconds()));
      }
    };
  }
  std::shared_ptr<internal::ReplayIndex> replay_index;
  if (shared != nullptr && shared->journal != nullptr) {
    replay_index = std::make_shared<JournalIndex>(shared);
  }
  auto store = std::make_unique<internal::SqlStore>(std::move(pool), std::move(file_stats),
                                                    std::move(replay_index), table_overflow_until);
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace accord::store::sqlite
