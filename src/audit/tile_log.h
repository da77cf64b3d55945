// TileLog: an append-only tiled transparency log (c2sp.org/tlog-tiles) over a LogStorage.
//
// Appending: Append(entry) may be called from any number of threads. It queues the entry and
// returns a future for its index. One integrator thread takes whatever is queued (up to
// max_batch_entries) as a batch, assigns consecutive indices in queue order, writes the new entry
// bundles and tiles, then the signed checkpoint that commits them ("group commit").
//
// Durability contract:
//   - The future of Append() MUST NOT become ready with an index before the entry, every tile that
//     covers it, and a log-signed checkpoint of a tree containing it are durable
//     (LogStorage::WriteThenCommit: the commit record is visible only once the data is durable).
//   - The commit record is the single source of truth for the tree size. Data beyond it (a batch
//     cut short by a crash) was never acknowledged and is discarded on Open().
//   - Open() MUST verify the commit record's signature and that the tiles on storage hash to its
//     root (DataLoss "root_mismatch" otherwise) before accepting appends; so after a kill -9 every
//     acknowledged entry is present and the tree is consistent with every checkpoint published.
//   - After a storage failure the log stops (appends -> FailedPrecondition "log_failed") and must
//     be reopened, which recovers as after a crash.
//
// Witnesses: when `witnesses` are configured, the commit record is kept at "log-state/checkpoint"
// and "checkpoint" is published only with a cosignature from EVERY configured witness (asked
// after the batch is acknowledged, with a consistency proof from the size each last cosigned).
// Without witnesses the commit record is "checkpoint" itself.
//
// Read API (for an HTTP handler): ReadPath("checkpoint" | tile path | entries path) serves only
// resources of the committed tree; proofs and entries by index.
//
// Thread safety: every public method is safe to call concurrently. Lifetime: borrows `storage`,
// the witness clients and the clock; Close() (or the destructor) drains the queue and joins.
#ifndef ACCORD_AUDIT_TILE_LOG_H_
#define ACCORD_AUDIT_TILE_LOG_H_

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/checkpoint.h"
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
  size_t max_batch_entries = 8192;      // 1..65536
  size_t max_pending_entries = 1 << 20;  // queue bound: beyond it Append -> ResourceExhausted
  size_t tile_cache_tiles = 4096;
};

class TileLog {
 public:
  static constexpr size_t kMaxBatchEntriesCap = 65536;
  static constexpr std::string_view kCommitPathWithWitnesses = "log-state/checkpoint";

  static Result<std::unique_ptr<TileLog>> Open(LogStorage* storage, TileLogOptions options);
  ~TileLog();
  TileLog(const TileLog&) = delete;
  TileLog& operator=(const TileLog&) = delete;

  // Entry size 1..65535 bytes (InvalidArgument "bad_entry" otherwise, via the future).
  std::future<Result<uint64_t>> Append(Bytes entry);
  // Stops accepting appends, integrates what is queued, joins the integrator. Idempotent.
  void Close();

  // Read API.
  uint64_t size() const;                    // committed (acknowledged) tree size
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
  // The right edge of the tree: everything needed to extend it.
  struct Edge {
    uint64_t size = 0;
    std::vector<Bytes> bundle;                 // entries of the partial bundle
    std::vector<std::vector<Hash>> levels;     // partial tile hashes per tile level
    std::vector<Hash> compact;                 // perfect subtree roots, left to right
  };

  TileLog(LogStorage* storage, TileLogOptions options);
  Status Recover();
  Status CleanUncommitted(uint64_t size);
  void Run();
  Status Integrate(std::vector<Pending>& batch, Edge* edge, std::string* note);
  void Publish();
  std::string commit_path() const;

  LogStorage* storage_;
  TileLogOptions options_;
  StorageTileFetcher fetcher_;
  mutable TileCache cache_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;   // guarded by mu_
  bool closing_ = false;        // guarded by mu_
  bool failed_ = false;         // guarded by mu_
  uint64_t committed_size_ = 0;  // guarded by mu_
  std::string committed_note_;  // guarded by mu_
  std::string published_note_;  // guarded by mu_
  Status publish_status_;       // guarded by mu_

  Edge edge_;                             // integrator thread only (after Open)
  std::vector<uint64_t> witness_sizes_;   // integrator thread only
  std::thread integrator_;
};

}  // namespace accord::audit

#endif  // ACCORD_AUDIT_TILE_LOG_H_
