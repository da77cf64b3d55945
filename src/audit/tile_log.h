// TileLog: an append-only tiled transparency log (c2sp.org/tlog-tiles) over a LogStorage.
//
// Appending is a two-stage pipeline (docs/audit.md, "Durability and recovery"):
//   1. Sequencing (the ack path). Append(entry) may be called from any number of threads; it queues
//      the entry and returns a future. The sequencer thread takes whatever is queued (at most
//      max_batch_entries) as a batch, assigns consecutive indices in queue order, writes the batch
//      as ONE journal record (journal.h) and syncs it once, then hands the batch's futures to the
//      completer thread, which completes them with their indices while the sequencer already
//      writes and syncs the next batch. One sync per batch, however many entries and writers
//      (group commit); a batch is at most max_batch_entries, so one sync cycle is bounded and
//      acknowledgement latency is about two cycles plus the time the entry waited in the queue.
//   2. Integration (off the ack path). The integrator thread takes sequenced records (whole
//      records, up to kMaxIntegrateEntries) and writes entry bundles, tiles and a log-signed
//      checkpoint as the commit record (LogStorage::WriteThenCommit), then trims the journal and,
//      with witnesses, publishes a cosigned checkpoint. Integration runs at most once per
//      integration_interval, so its syncs rarely compete with the journal's.
//
// Durability contract:
//   - The future of Append() MUST NOT become ready with an index before the entry is durable in
//     the journal at that index. It is then in the log for good: Open() integrates every journal
//     record beyond the committed tree before it accepts appends.
//   - The commit record is the single source of truth for the integrated size; tiles and bundles
//     beyond it (an integration cut short by a crash) are discarded on Open() and rebuilt from the
//     journal. A journal record is trimmed only after a commit record covering it is durable.
//   - Open() MUST verify the commit record's signature and that the tiles on storage hash to its
//     root (DataLoss "root_mismatch") and that the journal continues the tree without a gap
//     (DataLoss "journal_gap"); so after a kill -9 every acknowledged entry is present and the tree
//     is consistent with every checkpoint published before (entries never change index).
//   - After a storage failure the log stops (appends -> FailedPrecondition "log_failed") and must
//     be reopened, which recovers as after a crash.
//
// Publication: the commit record is kept at "log-state/checkpoint" (never served). After each
// integration "checkpoint" is published: the commit record itself when no witnesses are
// configured; otherwise only with a cosignature from EVERY configured witness (asked with a
// consistency proof from the size each last cosigned), so a published checkpoint is never
// larger than the committed tree.
//
// Read API (for an HTTP handler): ReadPath("checkpoint" | tile path | entries path) serves only
// resources of the integrated (committed) tree; proofs and entries by index.
//
// Thread safety: every public method is safe to call concurrently. Lifetime: borrows `storage`,
// the witness clients; Close() (or the destructor) sequences and integrates what is queued and
// joins both threads.
#ifndef ACCORD_AUDIT_TILE_LOG_H_
#define ACCORD_AUDIT_TILE_LOG_H_

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "audit/checkpoint.h"
#include "audit/journal.h"
#include "audit/log_storage.h"
#include "audit/merkle.h"
#include "audit/signed_note.h"
#include "audit/tile_node_reader.h"
#include "audit/witness.h"

namespace accord::audit {

struct RequiredWitness {
  std::unique_ptr<NoteVerifier> key;  // cosignature/v1 verifier key
  WitnessClient* client = nullptr;    // borrowed
};

struct TileLogOptions {
  std::string origin;
  std::unique_ptr<NoteSigner> signer;      // the log's Ed25519 note key
  std::unique_ptr<NoteVerifier> verifier;  // its public half (recovery re-verifies the commit)
  std::vector<RequiredWitness> witnesses;
  size_t max_batch_entries = 2048;      // entries per journal record (one sync), 1..65536
  size_t max_pending_entries = 1 << 20;  // queued + not yet integrated; beyond -> ResourceExhausted
  size_t tile_cache_tiles = 4096;
  // Minimum time between two integrations (0: back to back). Bounds checkpoint latency.
  std::chrono::milliseconds integration_interval{25};
  // Called on the integrator thread after each attempt to publish a witnessed checkpoint, with
  // its outcome and tree size (alerting, logs). Must not call back into the log's Close().
  std::function<void(const Status& status, uint64_t tree_size)> on_publish;
};

class TileLog {
 public:
  static constexpr size_t kMaxBatchEntriesCap = 65536;
  static constexpr size_t kMaxIntegrateEntries = 65536;
  static constexpr std::string_view kCommitPath = "log-state/checkpoint";

  static Result<std::unique_ptr<TileLog>> Open(LogStorage* storage, TileLogOptions options);
  ~TileLog();
  TileLog(const TileLog&) = delete;
  TileLog& operator=(const TileLog&) = delete;

  // Entry size 1..65535 bytes (InvalidArgument "bad_entry" otherwise, via the future). The future
  // holds the entry's index once it is durable (see the contract above).
  std::future<Result<uint64_t>> Append(Bytes entry);
  // Waits until the integrated tree has at least `tree_size` entries: its checkpoint is committed
  // and published (with witnesses: its publication was attempted; see last_publish_status()). DeadlineExceeded "timeout" after `timeout`;
  // FailedPrecondition "log_failed" if the log stopped.
  Status AwaitIntegrated(uint64_t tree_size, std::chrono::milliseconds timeout) const;
  // Stops accepting appends, sequences and integrates what is queued, joins the threads. Idempotent.
  void Close();

  // Read API.
  uint64_t size() const;            // integrated (committed) tree size
  uint64_t sequenced_size() const;  // acknowledged entries (>= size())
  Result<std::string> Checkpoint() const;   // the published checkpoint note
  Result<std::string> CommittedCheckpoint() const;
  Result<Bytes> ReadPath(std::string_view path) const;
  Result<Bytes> Entry(uint64_t index) const;
  Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t tree_size) const;
  Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2) const;
  // Status of the last attempt to publish a witnessed checkpoint.
  Status last_publish_status() const;

 private:
  struct Pending {
    Bytes entry;
    std::promise<Result<uint64_t>> promise;
  };
  // A durable batch whose futures the completer thread fulfils (indices first, first + 1, ...).
  struct Completion {
    uint64_t first = 0;
    std::vector<std::promise<Result<uint64_t>>> promises;
  };
  // A sequenced (journaled, acknowledged) batch waiting for integration.
  struct Sequenced {
    uint64_t first = 0;
    std::vector<Bytes> entries;
  };
  // The right edge of the tree: everything needed to extend it.
  struct Edge {
    uint64_t size = 0;
    std::vector<Bytes> bundle;                 // entries of the partial bundle
    std::vector<std::vector<Hash>> levels;     // partial tile hashes per tile level
    std::vector<Hash> compact;                 // perfect subtree roots, left to right
  };

  TileLog(LogStorage* storage, TileLogOptions options);
  Status Recover();
  Status RecoverTiles();
  Status ReplayJournal();
  Status CleanUncommitted(uint64_t size);
  void RunSequencer();
  void RunCompleter();
  void RunIntegrator();
  void Fail(const Status& status);
  // Integrates `entries` (the next indices) into edge_ and commits them.
  Status IntegrateAndCommit(std::span<const Bytes* const> entries);
  void Publish();
  // Writes the committed checkpoint as "checkpoint" (no witnesses required).
  Status PublishUnwitnessed();

  LogStorage* storage_;
  TileLogOptions options_;
  std::unique_ptr<Journal> journal_;
  StorageTileFetcher fetcher_;
  mutable TileCache cache_;

  mutable std::mutex mu_;
  std::condition_variable queue_cv_;       // sequencer: queue_ or closing_
  std::condition_variable sequenced_cv_;   // integrator: sequenced_ or sequencer_done_
  mutable std::condition_variable integrated_cv_;  // AwaitIntegrated
  std::deque<Pending> queue_;         // guarded by mu_
  std::deque<Sequenced> sequenced_;   // guarded by mu_
  size_t unintegrated_ = 0;           // guarded by mu_: entries in queue_ and sequenced_
  bool closing_ = false;              // guarded by mu_
  bool sequencer_done_ = false;       // guarded by mu_
  bool failed_ = false;               // guarded by mu_
  uint64_t sequenced_size_ = 0;       // guarded by mu_
  uint64_t committed_size_ = 0;       // guarded by mu_
  uint64_t integrated_size_ = 0;      // guarded by mu_: committed and its publication done/tried
  std::string committed_note_;        // guarded by mu_
  std::string published_note_;        // guarded by mu_
  Status publish_status_;             // guarded by mu_

  std::mutex completion_mu_;
  std::condition_variable completion_cv_;
  std::deque<Completion> completions_;  // guarded by completion_mu_
  bool completions_done_ = false;       // guarded by completion_mu_: no more will come

  Edge edge_;                             // integrator thread only (after Open)
  std::vector<uint64_t> witness_sizes_;   // integrator thread only
  std::thread sequencer_;
  std::thread completer_;
  std::thread integrator_;
};

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_TILE_LOG_H_
