// HTTP-level tests: the tlog-tiles routes, the tlog-witness endpoint (through the Pipeline and over
// real sockets with HttpWitnessClient), and VerifyLog over HTTP with required cosignatures.
#include "audit/log_routes.h"

#include <gtest/gtest.h>

#include "audit/http_resource_reader.h"
#include "audit/http_witness_client.h"
#include "audit/log_verifier.h"
#include "audit/merkle_nodes.h"
#include "audit/posix_log_storage.h"
#include "audit/test_util.h"
#include "audit/tlog_tiles.h"
#include "common/clock.h"
#include "http/filter.h"
#include "http/filters.h"
#include "http/server.h"

namespace accord::audit {
namespace {

using testing::LogKeys;
using testing::MakeKeys;
using testing::MakeOptions;
using testing::TempDir;

constexpr char kOrigin[] = "uk.accord.example/log";

http::Response Call(const http::Router& router, std::string method, std::string target,
                    std::string body = "") {
  http::Pipeline pipeline(router, {});
  http::Request req;
  req.method = std::move(method);
  req.target = target;
  EXPECT_TRUE(http::ParseTarget(target, &req.path, &req.query).ok()) << target;
  req.body = std::move(body);
  return pipeline.Handle(req, std::chrono::steady_clock::now());
}

std::string Header(const http::Response& r, std::string_view name) {
  auto v = r.headers.Get(name);
  return v ? std::string(*v) : "";
}

Status AppendAndWait(TileLog& log, uint64_t from, uint64_t to, std::string_view tag = "e") {
  std::vector<std::future<Result<uint64_t>>> fs;
  for (uint64_t i = from; i < to; ++i) fs.push_back(log.Append(ToBytes(std::string(tag) + std::to_string(i))));
  for (auto& f : fs) ACCORD_RETURN_IF_ERROR(f.get().status());
  return log.AwaitIntegrated(to, std::chrono::seconds(10));
}

class LogRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_ = MakeKeys(kOrigin);
    storage_ = std::move(*PosixLogStorage::Open(dir_.path()));
    log_ = std::move(*TileLog::Open(storage_.get(), MakeOptions(keys_, kOrigin)));
    ASSERT_TRUE(AddLogRoutes(router_, *log_).ok());
  }
  TempDir dir_;
  LogKeys keys_;
  std::unique_ptr<PosixLogStorage> storage_;
  std::unique_ptr<TileLog> log_;
  http::Router router_;
};

TEST_F(LogRoutesTest, CheckpointIsTextAndNotCached) {
  ASSERT_TRUE(AppendAndWait(*log_, 0, 3).ok());
  auto r = Call(router_, "GET", "/log/checkpoint");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Header(r, "Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Header(r, "Cache-Control"), "no-cache");
  EXPECT_EQ(r.body, *log_->Checkpoint());
}

TEST_F(LogRoutesTest, EmptyLogHasNoCheckpoint) {
  EXPECT_EQ(Call(router_, "GET", "/log/checkpoint").status, 404);
}

TEST_F(LogRoutesTest, FullTilesAreImmutablePartialOnesShortLived) {
  ASSERT_TRUE(AppendAndWait(*log_, 0, 260).ok());
  auto full = Call(router_, "GET", "/log/tile/0/000");
  EXPECT_EQ(full.status, 200);
  EXPECT_EQ(full.body.size(), 256 * kHashSize);
  EXPECT_EQ(Header(full, "Content-Type"), "application/octet-stream");
  EXPECT_EQ(Header(full, "Cache-Control"), "public, max-age=31536000, immutable");
  auto partial = Call(router_, "GET", "/log/tile/0/001.p/4");
  EXPECT_EQ(partial.status, 200);
  EXPECT_EQ(partial.body.size(), 4 * kHashSize);
  EXPECT_EQ(Header(partial, "Cache-Control"), "public, max-age=3600");
  EXPECT_EQ(Call(router_, "GET", "/log/tile/1/000.p/1").body.size(), kHashSize);
}

TEST_F(LogRoutesTest, EntryBundlesServeTheEntries) {
  ASSERT_TRUE(AppendAndWait(*log_, 0, 260).ok());
  auto full = Call(router_, "GET", "/log/tile/entries/000");
  ASSERT_EQ(full.status, 200);
  EXPECT_EQ(Header(full, "Content-Type"), "application/octet-stream");
  auto entries = ParseEntryBundle(AsBytes(full.body), 256);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(ToString((*entries)[7]), "e7");
  EXPECT_EQ(Call(router_, "GET", "/log/tile/entries/001.p/4").status, 200);
}

TEST_F(LogRoutesTest, ResourcesOutsideTheCommittedTreeAre404) {
  ASSERT_TRUE(AppendAndWait(*log_, 0, 10).ok());
  for (const char* path : {"/log/tile/0/000", "/log/tile/0/000.p/11", "/log/tile/0/001.p/1",
                           "/log/tile/entries/000.p/9x", "/log/tile/entries/000"}) {
    EXPECT_EQ(Call(router_, "GET", path).status, 404) << path;
  }
}

TEST_F(LogRoutesTest, NonCanonicalAndTraversalPathsAre404) {
  ASSERT_TRUE(AppendAndWait(*log_, 0, 10).ok());
  for (const char* path :
       {"/log/tile/0/0.p/10", "/log/tile/0/000.p/010", "/log/tile/00/000.p/10", "/log/tile/0/../../checkpoint",
        "/log/tile/0/%2e%2e/log-state/checkpoint", "/log/tile/../log-state/checkpoint",
        "/log/log-state/checkpoint", "/log/tile/", "/log/tile/0/x000/000.p/10",
        "/log/tile/entries/../../journal"}) {
    EXPECT_EQ(Call(router_, "GET", path).status, 404) << path;
  }
  EXPECT_EQ(Call(router_, "GET", "/log/tile/0/000.p/10").status, 200);
}

TEST_F(LogRoutesTest, RoutesAreReadOnly) {
  ASSERT_TRUE(AppendAndWait(*log_, 0, 1).ok());
  EXPECT_EQ(Call(router_, "POST", "/log/checkpoint").status, 405);
  EXPECT_EQ(Call(router_, "PUT", "/log/tile/0/000.p/1").status, 405);
}

TEST(LogRoutesConfigTest, PrefixMustBeSlashDelimited) {
  TempDir dir;
  auto storage = PosixLogStorage::Open(dir.path());
  auto log = TileLog::Open(storage->get(), MakeOptions(MakeKeys(kOrigin), kOrigin));
  http::Router router;
  EXPECT_EQ(AddLogRoutes(router, **log, "log").reason(), "bad_config");
  EXPECT_TRUE(AddLogRoutes(router, **log, "/audit/uk/").ok());
}

// A witness behind the Pipeline: every tlog-witness answer.
class WitnessRouteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_keys_ = MakeKeys(kOrigin);
    witness_keys_ = MakeKeys("sg.witness.example/w1", NoteKeyType::kCosignatureV1);
    storage_ = std::move(*PosixLogStorage::Open(dir_.path()));
    std::vector<WitnessedLog> logs;
    logs.push_back({kOrigin, std::move(*NewNoteVerifier(log_keys_.vkey))});
    witness_ = std::move(*Witness::Open(storage_.get(), std::move(*NewNoteSigner(witness_keys_.skey, clock_)),
                                        std::move(logs)));
    ASSERT_TRUE(AddWitnessRoutes(router_, *witness_).ok());
    signer_ = std::move(*NewNoteSigner(log_keys_.skey));
    for (int i = 0; i < 20; ++i) {
      leaves_.push_back(HashLeaf(ToBytes("e" + std::to_string(i))));
      fork_.push_back(HashLeaf(ToBytes((i < 10 ? "e" : "f") + std::to_string(i))));
    }
  }
  std::string Checkpoint(const std::vector<Hash>& leaves, uint64_t size, const NoteSigner* s = nullptr) {
    if (s == nullptr) s = signer_.get();
    return *SignNote(FormatCheckpoint({kOrigin, size, RootFromLeafHashes(std::span<const Hash>(leaves).first(size)), {}}),
                     std::span<const NoteSigner* const>(&s, 1));
  }
  std::vector<Hash> Proof(const std::vector<Hash>& leaves, uint64_t a, uint64_t b) {
    LeafHashNodeReader r(leaves);
    return *BuildConsistencyProof(r, a, b);
  }
  http::Response Add(const std::vector<Hash>& leaves, uint64_t old_size, uint64_t size) {
    return Call(router_, "POST", "/witness/add-checkpoint",
                FormatAddCheckpointBody(old_size, Proof(leaves, old_size, size), Checkpoint(leaves, size)));
  }

  TempDir dir_;
  FixedClock clock_{1700000000};
  LogKeys log_keys_, witness_keys_;
  std::unique_ptr<PosixLogStorage> storage_;
  std::unique_ptr<Witness> witness_;
  std::unique_ptr<NoteSigner> signer_;
  std::vector<Hash> leaves_, fork_;
  http::Router router_;
};

TEST_F(WitnessRouteTest, AcceptsAConsistentCheckpointWithACosignature) {
  auto r = Add(leaves_, 0, 5);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.rfind("\xE2\x80\x94 sg.witness.example/w1 ", 0), 0u);
  auto wkey = NewNoteVerifier(witness_keys_.vkey);
  const NoteVerifier* w = wkey->get();
  EXPECT_TRUE(OpenCheckpoint(Checkpoint(leaves_, 5) + r.body, kOrigin, **NewNoteVerifier(log_keys_.vkey),
                             std::span<const NoteVerifier* const>(&w, 1))
                  .ok());
  EXPECT_EQ(Add(leaves_, 5, 12).status, 200);
}

TEST_F(WitnessRouteTest, StaleOldSizeIs409WithTheKnownSize) {
  ASSERT_EQ(Add(leaves_, 0, 8).status, 200);
  auto r = Add(leaves_, 0, 12);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Header(r, "Content-Type"), "text/x.tlog.size");
  EXPECT_EQ(r.body, "8\n");
}

TEST_F(WitnessRouteTest, SameSizeForkIs409) {
  ASSERT_EQ(Add(leaves_, 0, 15).status, 200);
  auto r = Call(router_, "POST", "/witness/add-checkpoint",
                FormatAddCheckpointBody(15, {}, Checkpoint(fork_, 15)));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body, "15\n");
}

TEST_F(WitnessRouteTest, ForkedLargerCheckpointIs422) {
  ASSERT_EQ(Add(leaves_, 0, 12).status, 200);
  // The fork's own (valid) proof from 12 to 20 does not lead from the cosigned root.
  EXPECT_EQ(Add(fork_, 12, 20).status, 422);
  EXPECT_EQ(witness_->Latest(kOrigin)->size, 12u);
}

TEST_F(WitnessRouteTest, UnknownOriginIs404BadSignatureIs403) {
  LogKeys other = MakeKeys("other.example/log");
  auto other_signer = NewNoteSigner(other.skey);
  const NoteSigner* s = other_signer->get();
  const std::string foreign = *SignNote(FormatCheckpoint({"other.example/log", 1, leaves_[0], {}}),
                                        std::span<const NoteSigner* const>(&s, 1));
  EXPECT_EQ(Call(router_, "POST", "/witness/add-checkpoint", FormatAddCheckpointBody(0, {}, foreign)).status, 404);
  LogKeys impostor = MakeKeys(kOrigin);
  auto impostor_signer = NewNoteSigner(impostor.skey);
  EXPECT_EQ(Call(router_, "POST", "/witness/add-checkpoint",
                 FormatAddCheckpointBody(0, {}, Checkpoint(leaves_, 3, impostor_signer->get())))
                .status,
            403);
}

TEST_F(WitnessRouteTest, MalformedBodyAndOldSizeBeyondAre400) {
  EXPECT_EQ(Call(router_, "POST", "/witness/add-checkpoint", "hello").status, 400);
  EXPECT_EQ(Call(router_, "POST", "/witness/add-checkpoint",
                 FormatAddCheckpointBody(9, Proof(leaves_, 3, 9), Checkpoint(leaves_, 3)))
                .status,
            400);
  EXPECT_EQ(Call(router_, "GET", "/witness/add-checkpoint").status, 405);
}

// Over real sockets: a witness server, a log that requires its cosignature, and a log server.
class WitnessedLogOverHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_keys_ = MakeKeys(kOrigin);
    witness_keys_ = MakeKeys("sg.witness.example/w1", NoteKeyType::kCosignatureV1);
    witness_storage_ = std::move(*PosixLogStorage::Open(witness_dir_.path()));
    std::vector<WitnessedLog> logs;
    logs.push_back({kOrigin, std::move(*NewNoteVerifier(log_keys_.vkey))});
    witness_ = std::move(*Witness::Open(witness_storage_.get(), std::move(*NewNoteSigner(witness_keys_.skey)),
                                        std::move(logs)));
    ASSERT_TRUE(AddWitnessRoutes(witness_router_, *witness_).ok());
    witness_server_ = Serve(witness_router_, &witness_pipeline_);
    client_ = std::move(*http::HttpClient::Create());
    witness_client_ = std::make_unique<HttpWitnessClient>(*client_, Base(*witness_server_) + "/witness/");
  }
  std::unique_ptr<http::Server> Serve(const http::Router& router, std::unique_ptr<http::Pipeline>* pipeline) {
    *pipeline = std::make_unique<http::Pipeline>(router, std::vector<std::unique_ptr<http::Filter>>{});
    http::ServerOptions o;
    o.threads = 1;
    auto server = http::Server::Create(o, **pipeline);
    EXPECT_TRUE(server.ok()) << server.status().ToString();
    (*server)->Start();
    return std::move(*server);
  }
  static std::string Base(const http::Server& s) { return "http://127.0.0.1:" + std::to_string(s.port()); }
  std::unique_ptr<TileLog> OpenLog(PosixLogStorage* storage) {
    TileLogOptions o = MakeOptions(log_keys_, kOrigin);
    o.witnesses.push_back({std::move(*NewNoteVerifier(witness_keys_.vkey)), witness_client_.get()});
    auto log = TileLog::Open(storage, std::move(o));
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    return std::move(*log);
  }

  TempDir witness_dir_, log_dir_;
  LogKeys log_keys_, witness_keys_;
  std::unique_ptr<PosixLogStorage> witness_storage_;
  std::unique_ptr<Witness> witness_;
  http::Router witness_router_;
  std::unique_ptr<http::Pipeline> witness_pipeline_;
  std::unique_ptr<http::Server> witness_server_;
  std::unique_ptr<http::HttpClient> client_;
  std::unique_ptr<HttpWitnessClient> witness_client_;
};

TEST_F(WitnessedLogOverHttpTest, LogPublishesCosignedCheckpointAndVerifyPassesOverHttp) {
  auto storage = PosixLogStorage::Open(log_dir_.path());
  auto log = OpenLog(storage->get());
  ASSERT_TRUE(AppendAndWait(*log, 0, 300).ok());
  ASSERT_TRUE(log->last_publish_status().ok()) << log->last_publish_status().ToString();
  ASSERT_TRUE(AppendAndWait(*log, 300, 420).ok());
  ASSERT_TRUE(log->last_publish_status().ok()) << log->last_publish_status().ToString();
  EXPECT_EQ(witness_->Latest(kOrigin)->size, 420u);

  http::Router router;
  ASSERT_TRUE(AddLogRoutes(router, *log).ok());
  std::unique_ptr<http::Pipeline> pipeline;
  auto server = Serve(router, &pipeline);
  HttpResourceReader reader(*client_, Base(*server) + "/log");
  auto note = reader.Read("checkpoint");
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  auto log_key = NewNoteVerifier(log_keys_.vkey);
  auto wkey = NewNoteVerifier(witness_keys_.vkey);
  VerifyLogRequest req;
  const std::string text = ToString(*note);
  req.checkpoint_note = text;
  req.origin = kOrigin;
  req.log_key = log_key->get();
  req.witnesses = {wkey->get()};
  req.full = true;
  auto report = VerifyLog(req, reader);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->checkpoint.size, 420u);
  EXPECT_EQ(report->entries_checked, 420u);

  // A witness whose cosignature the checkpoint does not carry fails verification.
  LogKeys absent = MakeKeys("uk.witness.example/w2", NoteKeyType::kCosignatureV1);
  auto absent_key = NewNoteVerifier(absent.vkey);
  req.witnesses = {wkey->get(), absent_key->get()};
  req.full = false;
  EXPECT_FALSE(VerifyLog(req, reader).ok());
}

TEST_F(WitnessedLogOverHttpTest, WitnessRefusesAForkedLogOverHttp) {
  {
    auto storage = PosixLogStorage::Open(log_dir_.path());
    auto log = OpenLog(storage->get());
    ASSERT_TRUE(AppendAndWait(*log, 0, 50).ok());
    ASSERT_TRUE(log->last_publish_status().ok());
  }
  // Same key, other history (a split view): the witness must refuse it.
  TempDir fork_dir;
  auto fork_storage = PosixLogStorage::Open(fork_dir.path());
  auto fork = OpenLog(fork_storage->get());
  ASSERT_TRUE(AppendAndWait(*fork, 0, 80, "forked").ok());
  const Status st = fork->last_publish_status();
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.reason(), "inconsistent_checkpoint") << st.ToString();
  EXPECT_FALSE(fork->Checkpoint().ok());  // never published without the cosignature
  EXPECT_EQ(witness_->Latest(kOrigin)->size, 50u);
}

TEST_F(WitnessedLogOverHttpTest, UnreachableWitnessMeansNoPublishedCheckpoint) {
  HttpWitnessClient dead(*client_, "http://127.0.0.1:1/witness", std::chrono::milliseconds(500));
  auto storage = PosixLogStorage::Open(log_dir_.path());
  {
    // An earlier run without witnesses published an uncosigned checkpoint.
    auto plain = TileLog::Open(storage->get(), MakeOptions(log_keys_, kOrigin));
    ASSERT_TRUE(AppendAndWait(**plain, 0, 3).ok());
    ASSERT_TRUE((*plain)->Checkpoint().ok());
  }
  TileLogOptions o = MakeOptions(log_keys_, kOrigin);
  o.witnesses.push_back({std::move(*NewNoteVerifier(witness_keys_.vkey)), &dead});
  auto log = TileLog::Open(storage->get(), std::move(o));
  ASSERT_TRUE(log.ok());
  EXPECT_FALSE((*log)->Checkpoint().ok());  // the uncosigned one is not served
  ASSERT_TRUE(AppendAndWait(**log, 3, 5).ok());
  EXPECT_EQ((*log)->last_publish_status().reason(), "witness_unavailable");
  EXPECT_FALSE((*log)->Checkpoint().ok());
  EXPECT_EQ((*log)->size(), 5u);  // integrated and durable all the same
}

}  // namespace
}  // namespace accord::audit
