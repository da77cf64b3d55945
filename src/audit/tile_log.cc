#include "audit/tile_log.h"

#include <algorithm>
#include <bit>

#include "audit/tlog_tiles.h"

namespace accord::audit {
namespace {

constexpr uint32_t kMaxLevels = 8;  // 256^8 = 2^64 leaves
constexpr std::chrono::milliseconds kPublishRetry{1000};

Bytes ConcatHashes(const std::vector<Hash>& hashes) {
  Bytes out;
  out.reserve(hashes.size() * kHashSize);
  for (const Hash& h : hashes) out.insert(out.end(), h.begin(), h.end());
  return out;
}

void CompactAppend(std::vector<Hash>* compact, uint64_t size_before, Hash h) {
  for (uint64_t s = size_before; (s & 1) == 1; s >>= 1) {
    h = HashChildren(compact->back(), h);
    compact->pop_back();
  }
  compact->push_back(h);
}

Hash CompactRoot(const std::vector<Hash>& compact) {
  if (compact.empty()) return EmptyRoot();
  Hash acc = compact.back();
  for (size_t i = compact.size() - 1; i-- > 0;) acc = HashChildren(compact[i], acc);
  return acc;
}

// A tile among an integration's writes (to warm the tile cache once committed).
struct WrittenTile {
  uint32_t level;
  uint64_t index;
  uint32_t width;
  size_t write;  // index into the writes
  std::shared_ptr<const HashedTile> hashed;  // full tiles: hashed while integrating
};

// Pushes a hash at tile level `level`; completes full tiles upward.
void AddHash(std::vector<std::vector<Hash>>* levels, uint32_t level, const Hash& h,
             uint64_t new_size, std::vector<StorageWrite>* writes, std::vector<bool>* touched,
             std::vector<WrittenTile>* tiles) {
  if (levels->size() <= level) levels->resize(level + 1);
  if (touched->size() <= level) touched->resize(level + 1, false);
  (*touched)[level] = true;
  std::vector<Hash>& tile = (*levels)[level];
  tile.push_back(h);
  if (tile.size() < kTileWidth) return;
  const uint64_t index = HashesAtLevel(level, new_size) / kTileWidth - 1;
  Bytes data = ConcatHashes(tile);
  // Hashing the whole tile gives its root (the hash one level up) and the cache's copy at once.
  std::shared_ptr<const HashedTile> hashed = *HashTile(data, kTileWidth);  // width and size match
  const Hash up = hashed->levels.back()[0];
  tiles->push_back({level, index, kTileWidth, writes->size(), std::move(hashed)});
  writes->push_back({TilePath(level, index), std::move(data)});
  tile.clear();
  AddHash(levels, level + 1, up, new_size, writes, touched, tiles);
}

}  // namespace

TileLog::TileLog(LogStorage* storage, TileLogOptions options)
    : storage_(storage),
      options_(std::move(options)),
      fetcher_(*storage),
      cache_(options_.tile_cache_tiles) {}

TileLog::~TileLog() { Close(); }


Result<std::unique_ptr<TileLog>> TileLog::Open(LogStorage* storage, TileLogOptions options) {
  if (options.origin.empty() || options.origin.find('\n') != std::string::npos) {
    return InvalidArgument("bad log origin", "bad_config");
  }
  if (!options.signer || !options.verifier || options.signer->key_id() != options.verifier->key_id() ||
      options.signer->name() != options.verifier->name()) {
    return InvalidArgument("log signer and verifier keys must be a pair", "bad_config");
  }
  if (options.max_batch_entries == 0 || options.max_batch_entries > kMaxBatchEntriesCap) {
    return InvalidArgument("max_batch_entries out of range", "bad_config");
  }
  if (options.integration_interval.count() < 0 || options.integration_interval.count() > 60000) {
    return InvalidArgument("integration_interval out of range", "bad_config");
  }
  for (const RequiredWitness& w : options.witnesses) {
    if (!w.key || w.client == nullptr) return InvalidArgument("incomplete witness", "bad_config");
  }
  std::unique_ptr<TileLog> log(new TileLog(storage, std::move(options)));
  ACCORD_RETURN_IF_ERROR(log->Recover());
  log->completer_ = std::thread([raw = log.get()] { raw->RunCompleter(); });
  log->sequencer_ = std::thread([raw = log.get()] { raw->RunSequencer(); });
  log->integrator_ = std::thread([raw = log.get()] { raw->RunIntegrator(); });
  return log;
}

Status TileLog::Recover() {
  witness_sizes_.assign(options_.witnesses.size(), 0);
  ACCORD_ASSIGN_OR_RETURN(journal_, storage_->OpenJournal());
  ACCORD_RETURN_IF_ERROR(RecoverTiles());
  ACCORD_RETURN_IF_ERROR(ReplayJournal());
  if (options_.witnesses.empty()) {
    ACCORD_RETURN_IF_ERROR(PublishUnwitnessed());
    std::lock_guard<std::mutex> lock(mu_);
    integrated_size_ = committed_size_;  // with witnesses, the integrator's first publish sets it
    return Status::Ok();
  }
  // Serve the published checkpoint only if it carries every required cosignature (an earlier run
  // without witnesses may have published one without).
  auto published = storage_->Read("checkpoint", kMaxNoteSize);
  if (published.ok()) {
    std::vector<const NoteVerifier*> keys;
    for (const RequiredWitness& w : options_.witnesses) keys.push_back(w.key.get());
    if (OpenCheckpoint(AsStringView(*published), options_.origin, *options_.verifier, keys).ok()) {
      published_note_ = ToString(*published);
    }
  }
  return Status::Ok();
}

Status TileLog::RecoverTiles() {
  auto commit = storage_->Read(kCommitPath, kMaxNoteSize);
  if (commit.status().code() == StatusCode::kNotFound) {
    // A log written before the commit record moved to log-state/ committed at "checkpoint".
    commit = storage_->Read("checkpoint", kMaxNoteSize);
  }
  uint64_t size = 0;
  if (commit.ok()) {
    ACCORD_ASSIGN_OR_RETURN(VerifiedCheckpoint v,
                            OpenCheckpoint(AsStringView(*commit), options_.origin, *options_.verifier));
    size = v.checkpoint.size;
    TileNodeReader reader(fetcher_, size, &cache_);
    auto root = TreeRoot(reader, size);
    if (!root.ok()) return DataLoss("tiles of the committed tree are missing: " + root.status().message(), "missing_tiles");
    if (*root != v.checkpoint.root) {
      return DataLoss("tiles do not hash to the committed root", "root_mismatch");
    }
    // Perfect subtrees of the committed tree, left to right.
    uint64_t pos = 0;
    for (int bit = 63; bit >= 0; --bit) {
      if (((size >> bit) & 1) == 0) continue;
      ACCORD_ASSIGN_OR_RETURN(Hash h, reader.Node(static_cast<uint32_t>(bit), pos >> bit));
      edge_.compact.push_back(h);
      pos += uint64_t{1} << bit;
    }
    for (uint32_t level = 0; level < kMaxLevels && HashesAtLevel(level, size) > 0; ++level) {
      edge_.levels.emplace_back();
      const uint32_t w = PartialTileWidth(level, size);
      if (w == 0) continue;
      const uint64_t index = HashesAtLevel(level, size) / kTileWidth;
      ACCORD_ASSIGN_OR_RETURN(Bytes data, storage_->Read(TilePath(level, index, w), kTileWidth * kHashSize));
      ACCORD_ASSIGN_OR_RETURN(auto tile, HashTile(data, w));
      edge_.levels[level] = tile->levels[0];
    }
    const uint32_t bw = PartialTileWidth(0, size);
    if (bw > 0) {
      ACCORD_ASSIGN_OR_RETURN(Bytes data, storage_->Read(EntriesPath(size / kTileWidth, bw), 1 << 25));
      ACCORD_ASSIGN_OR_RETURN(edge_.bundle, ParseEntryBundle(data, bw));
      for (uint32_t i = 0; i < bw; ++i) {
        if (HashLeaf(edge_.bundle[i]) != edge_.levels[0][i]) {
          return DataLoss("entry bundle does not match its tile", "root_mismatch");
        }
      }
    }
    committed_note_ = ToString(*commit);
  } else if (commit.status().code() != StatusCode::kNotFound) {
    return commit.status();
  }
  edge_.size = size;
  committed_size_ = size;
  return CleanUncommitted(size);
}

Status TileLog::ReplayJournal() {
  // Everything acknowledged but not yet committed to tiles is in the journal: integrate it now.
  ACCORD_ASSIGN_OR_RETURN(std::vector<JournalRecord> records, journal_->ReadFrom(edge_.size));
  std::vector<const Bytes*> chunk;
  for (const JournalRecord& r : records) {
    for (size_t i = 0; i < r.entries.size(); ++i) {
      if (r.first + i < edge_.size + chunk.size()) continue;  // already integrated
      if (r.entries[i].size() > kMaxEntrySize) return DataLoss("oversized journal entry", "journal_corrupt");
      chunk.push_back(&r.entries[i]);
    }
    if (chunk.size() >= kMaxIntegrateEntries) {
      ACCORD_RETURN_IF_ERROR(IntegrateAndCommit(chunk));
      chunk.clear();
    }
  }
  if (!chunk.empty()) ACCORD_RETURN_IF_ERROR(IntegrateAndCommit(chunk));
  committed_size_ = edge_.size;
  sequenced_size_ = edge_.size;
  return journal_->Trim(edge_.size);
}

Status TileLog::CleanUncommitted(uint64_t size) {
  const uint64_t span = kMaxIntegrateEntries / kTileWidth + 2;
  for (int l = -1; l < static_cast<int>(kMaxLevels); ++l) {
    const uint32_t level = l < 0 ? 0 : static_cast<uint32_t>(l);
    const uint64_t count = HashesAtLevel(level, size);
    const uint64_t edge_index = count / kTileWidth;
    const uint32_t width = static_cast<uint32_t>(count % kTileWidth);
    for (uint64_t t = edge_index; t <= edge_index + span; ++t) {
      const std::string base = l < 0 ? EntriesPath(t) : TilePath(level, t);
      ACCORD_RETURN_IF_ERROR(storage_->Remove(base));
      ACCORD_ASSIGN_OR_RETURN(auto widths, storage_->ListPartials(base));
      for (uint32_t w : widths) {
        if (t > edge_index || w > width) {
          ACCORD_RETURN_IF_ERROR(storage_->Remove(base + ".p/" + std::to_string(w)));
        }
      }
    }
  }
  return Status::Ok();
}

std::future<Result<uint64_t>> TileLog::Append(Bytes entry) {
  Pending p{std::move(entry), {}};
  auto future = p.promise.get_future();
  if (p.entry.empty() || p.entry.size() > kMaxEntrySize) {
    p.promise.set_value(InvalidArgument("entry must be 1..65535 bytes", "bad_entry"));
    return future;
  }
  bool was_empty = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closing_ || failed_) {
      p.promise.set_value(FailedPrecondition(closing_ ? "log is closed" : "log failed; reopen it",
                                             closing_ ? "log_closed" : "log_failed"));
      return future;
    }
    if (unintegrated_ >= options_.max_pending_entries) {
      p.promise.set_value(ResourceExhausted("append queue is full", "queue_full"));
      return future;
    }
    was_empty = queue_.empty();
    queue_.push_back(std::move(p));
    ++unintegrated_;
  }
  // The sequencer drains the whole queue before it waits again: only the first entry wakes it.
  if (was_empty) queue_cv_.notify_one();
  return future;
}

void TileLog::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  queue_cv_.notify_all();
  if (sequencer_.joinable()) sequencer_.join();
  {
    std::lock_guard<std::mutex> lock(completion_mu_);
    completions_done_ = true;
  }
  completion_cv_.notify_all();
  if (completer_.joinable()) completer_.join();
  sequenced_cv_.notify_all();
  if (integrator_.joinable()) integrator_.join();
}

void TileLog::Fail(const Status& status) {
  std::deque<Pending> rest;
  {
    std::lock_guard<std::mutex> lock(mu_);
    failed_ = true;
    rest.swap(queue_);
    sequenced_.clear();
  }
  for (Pending& p : rest) p.promise.set_value(status);
  sequenced_cv_.notify_all();
  integrated_cv_.notify_all();
}

void TileLog::RunSequencer() {
  uint64_t next = sequenced_size_;
  while (true) {
    std::vector<Pending> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      queue_cv_.wait(lock, [this] { return closing_ || failed_ || !queue_.empty(); });
      if (failed_ || (queue_.empty() && closing_)) {
        sequencer_done_ = true;
        break;
      }
      const size_t n = std::min(queue_.size(), options_.max_batch_entries);
      batch.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<const Bytes*> entries;
    entries.reserve(batch.size());
    for (const Pending& p : batch) entries.push_back(&p.entry);
    const Bytes frame = EncodeJournalRecord(next, entries);
    Status st = journal_->Append(next, next + batch.size(), frame);
    if (!st.ok()) {
      for (Pending& p : batch) p.promise.set_value(st);
      Fail(st);
      std::lock_guard<std::mutex> lock(mu_);
      sequencer_done_ = true;
      break;
    }
    Sequenced seq{next, {}};
    seq.entries.reserve(batch.size());
    for (Pending& p : batch) seq.entries.push_back(std::move(p.entry));
    {
      std::lock_guard<std::mutex> lock(mu_);
      sequenced_.push_back(std::move(seq));
      sequenced_size_ = next + batch.size();
    }
    sequenced_cv_.notify_one();
    // Durable: the completer wakes the writers while this thread writes the next batch.
    Completion done{next, {}};
    done.promises.reserve(batch.size());
    for (Pending& p : batch) done.promises.push_back(std::move(p.promise));
    bool was_empty = false;
    {
      std::lock_guard<std::mutex> lock(completion_mu_);
      was_empty = completions_.empty();
      completions_.push_back(std::move(done));
    }
    if (was_empty) completion_cv_.notify_one();
    next += batch.size();
  }
  sequenced_cv_.notify_all();
}

void TileLog::RunCompleter() {
  while (true) {
    std::deque<Completion> ready;
    {
      std::unique_lock<std::mutex> lock(completion_mu_);
      completion_cv_.wait(lock, [this] { return completions_done_ || !completions_.empty(); });
      if (completions_.empty()) return;  // done and drained
      ready.swap(completions_);
    }
    for (Completion& c : ready) {
      for (size_t i = 0; i < c.promises.size(); ++i) c.promises[i].set_value(c.first + i);
    }
  }
}

void TileLog::RunIntegrator() {
  bool need_publish = !options_.witnesses.empty();
  auto last = std::chrono::steady_clock::now() - options_.integration_interval;
  while (true) {
    std::vector<Sequenced> work;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!need_publish) {
        auto ready = [this] { return failed_ || sequencer_done_ || !sequenced_.empty(); };
        if (options_.witnesses.empty() || publish_status_.ok()) {
          sequenced_cv_.wait(lock, ready);
        } else if (!sequenced_cv_.wait_for(lock, kPublishRetry, ready)) {
          need_publish = true;  // a witness was unreachable or refused: ask again
        }
      }
      if (failed_) return;
      if (sequenced_.empty() && sequencer_done_ && !need_publish) return;
      if (!sequencer_done_ && !sequenced_.empty()) {
        // Let a batch of batches build up: fewer, larger integrations, fewer competing syncs.
        const auto due = last + options_.integration_interval;
        sequenced_cv_.wait_until(lock, due, [this] { return failed_ || sequencer_done_; });
        if (failed_) return;
      }
      size_t n = 0;
      while (!sequenced_.empty() && n < kMaxIntegrateEntries) {
        n += sequenced_.front().entries.size();
        work.push_back(std::move(sequenced_.front()));
        sequenced_.pop_front();
      }
    }
    last = std::chrono::steady_clock::now();
    if (!work.empty()) {
      std::vector<const Bytes*> entries;
      for (const Sequenced& s : work) {
        for (const Bytes& e : s.entries) entries.push_back(&e);
      }
      Status st = IntegrateAndCommit(entries);
      if (st.ok()) st = journal_->Trim(edge_.size);
      if (st.ok() && options_.witnesses.empty()) st = PublishUnwitnessed();
      if (!st.ok()) {
        Fail(st);
        return;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        unintegrated_ -= entries.size();
      }
      need_publish = !options_.witnesses.empty();
    }
    if (need_publish) {
      Publish();
      need_publish = false;
    }
    {
      // Only now: a waiter that returns must find the checkpoint published (or, with witnesses,
      // its publication attempted), not just committed.
      std::lock_guard<std::mutex> lock(mu_);
      integrated_size_ = committed_size_;
    }
    integrated_cv_.notify_all();
  }
}

Status TileLog::IntegrateAndCommit(std::span<const Bytes* const> entries) {
  Edge next = edge_;
  std::vector<StorageWrite> writes;
  std::vector<bool> touched;
  std::vector<WrittenTile> tiles;
  bool bundle_touched = false;
  for (const Bytes* entry : entries) {
    const Hash leaf = HashLeaf(*entry);
    const uint64_t new_size = next.size + 1;
    next.bundle.push_back(*entry);
    bundle_touched = true;
    if (next.bundle.size() == kTileWidth) {
      writes.push_back({EntriesPath(new_size / kTileWidth - 1), EncodeEntryBundle(next.bundle)});
      next.bundle.clear();
    }
    AddHash(&next.levels, 0, leaf, new_size, &writes, &touched, &tiles);
    CompactAppend(&next.compact, next.size, leaf);
    next.size = new_size;
  }
  if (bundle_touched && !next.bundle.empty()) {
    writes.push_back({EntriesPath(next.size / kTileWidth, PartialTileWidth(0, next.size)),
                      EncodeEntryBundle(next.bundle)});
  }
  for (uint32_t level = 0; level < touched.size(); ++level) {
    if (!touched[level] || next.levels[level].empty()) continue;
    tiles.push_back({level, HashesAtLevel(level, next.size) / kTileWidth,
                     PartialTileWidth(level, next.size), writes.size(), nullptr});
    writes.push_back({TilePath(level, HashesAtLevel(level, next.size) / kTileWidth,
                               PartialTileWidth(level, next.size)),
                      ConcatHashes(next.levels[level])});
  }
  const std::string text =
      FormatCheckpoint({options_.origin, next.size, CompactRoot(next.compact), {}});
  const NoteSigner* signer = options_.signer.get();
  ACCORD_ASSIGN_OR_RETURN(std::string note, SignNote(text, std::span<const NoteSigner* const>(&signer, 1)));
  ACCORD_RETURN_IF_ERROR(storage_->WriteThenCommit(writes, StorageWrite{std::string(kCommitPath), ToBytes(note)}));
  // Keep what was just written hashed in memory: proofs of recent entries (the likely ones) then
  // need no read and no hashing. Tiles are immutable at a given width, so this is always valid.
  for (WrittenTile& t : tiles) {
    if (t.hashed == nullptr) {
      auto hashed = HashTile(writes[t.write].data, t.width);
      if (!hashed.ok()) continue;
      t.hashed = std::move(*hashed);
    }
    cache_.Put(t.level, t.index, t.width, std::move(t.hashed));
  }
  edge_ = std::move(next);
  std::lock_guard<std::mutex> lock(mu_);
  committed_size_ = edge_.size;
  committed_note_ = note;
  return Status::Ok();
}

Status TileLog::PublishUnwitnessed() {
  std::string note;
  {
    std::lock_guard<std::mutex> lock(mu_);
    note = committed_note_;
  }
  if (note.empty()) return Status::Ok();
  StorageWrite write{"checkpoint", ToBytes(note)};
  ACCORD_RETURN_IF_ERROR(storage_->Write(std::span<const StorageWrite>(&write, 1)));
  std::lock_guard<std::mutex> lock(mu_);
  published_note_ = std::move(note);
  return Status::Ok();
}

Status TileLog::AwaitIntegrated(uint64_t tree_size, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  const bool done = integrated_cv_.wait_for(lock, timeout, [&] { return failed_ || integrated_size_ >= tree_size; });
  if (integrated_size_ >= tree_size) return Status::Ok();
  if (failed_) return FailedPrecondition("log failed; reopen it", "log_failed");
  (void)done;
  return DeadlineExceeded("tree not integrated in time", "timeout");
}

void TileLog::Publish() {
  std::string note;
  {
    std::lock_guard<std::mutex> lock(mu_);
    note = committed_note_;
  }
  if (note.empty()) return;
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return;
  auto checkpoint = ParseCheckpoint(parsed->text);
  if (!checkpoint.ok()) return;
  const uint64_t size = checkpoint->size;
  std::string cosignatures;
  Status status;
  for (size_t i = 0; i < options_.witnesses.size() && status.ok(); ++i) {
    RequiredWitness& w = options_.witnesses[i];
    Result<std::string> lines = Internal("not attempted");
    for (int attempt = 0; attempt < 2; ++attempt) {
      const uint64_t old = std::min(witness_sizes_[i], size);
      auto proof = ConsistencyProof(old, size);
      if (!proof.ok()) {
        lines = proof.status();
        break;
      }
      uint64_t witness_size = 0;
      lines = w.client->AddCheckpoint(old, *proof, note, &witness_size);
      if (lines.ok() || lines.status().reason() != "old_size_mismatch" || witness_size > size) break;
      witness_sizes_[i] = witness_size;
    }
    if (!lines.ok()) {
      status = lines.status();
      break;
    }
    witness_sizes_[i] = size;
    cosignatures += *lines;
  }
  std::string published;
  if (status.ok()) {
    published = note + cosignatures;
    std::vector<const NoteVerifier*> keys;
    for (const RequiredWitness& w : options_.witnesses) keys.push_back(w.key.get());
    status = OpenCheckpoint(published, options_.origin, *options_.verifier, keys).status();
  }
  if (status.ok()) {
    StorageWrite write{"checkpoint", ToBytes(published)};
    status = storage_->Write(std::span<const StorageWrite>(&write, 1));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    publish_status_ = status;
    if (status.ok()) published_note_ = published;
  }
  if (options_.on_publish) options_.on_publish(status, size);
}

uint64_t TileLog::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return committed_size_;
}

uint64_t TileLog::sequenced_size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sequenced_size_;
}

Result<std::string> TileLog::Checkpoint() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (published_note_.empty()) return NotFound("no checkpoint published yet", "not_found");
  return published_note_;
}

Result<std::string> TileLog::CommittedCheckpoint() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (committed_note_.empty()) return NotFound("no checkpoint committed yet", "not_found");
  return committed_note_;
}

Status TileLog::last_publish_status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return publish_status_;
}

Result<Bytes> TileLog::ReadPath(std::string_view path) const {
  if (path == "checkpoint") {
    ACCORD_ASSIGN_OR_RETURN(std::string note, Checkpoint());
    return ToBytes(note);
  }
  ACCORD_ASSIGN_OR_RETURN(TileId id, ParseTilePath(path));
  const uint32_t have = TileWidthAtSize(id.level, id.index, size());
  // A partial tile is served only for a width some committed checkpoint had.
  if (have == 0 || id.width > have) return NotFound("no such tile in the log", "not_found");
  return storage_->Read(TileIdPath(id), 1 << 25);
}

Result<Bytes> TileLog::Entry(uint64_t index) const {
  const uint64_t n = size();
  if (index >= n) return OutOfRange("entry index beyond the tree", "index_out_of_range");
  const uint32_t width = TileWidthAtSize(0, index / kTileWidth, n);
  ACCORD_ASSIGN_OR_RETURN(Bytes data, storage_->Read(EntriesPath(index / kTileWidth, width), 1 << 25));
  ACCORD_ASSIGN_OR_RETURN(auto entries, ParseEntryBundle(data, width));
  return std::move(entries[index % kTileWidth]);
}

Result<std::vector<Hash>> TileLog::InclusionProof(uint64_t index, uint64_t tree_size) const {
  if (tree_size > size()) return OutOfRange("tree size beyond the log", "index_out_of_range");
  TileNodeReader reader(fetcher_, tree_size, &cache_);
  return BuildInclusionProof(reader, index, tree_size);
}

Result<std::vector<Hash>> TileLog::ConsistencyProof(uint64_t size1, uint64_t size2) const {
  if (size2 > size()) return OutOfRange("tree size beyond the log", "index_out_of_range");
  TileNodeReader reader(fetcher_, size2, &cache_);
  return BuildConsistencyProof(reader, size1, size2);
}

}  // namespace accord::audit
