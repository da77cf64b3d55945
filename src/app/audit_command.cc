// `accord audit ...`: the transparency log from the command line.
//
//   accord audit keygen --name NAME [--witness]          prints a new skey and vkey
//   accord audit append --log DIR --skey-file FILE --entry JSON|@FILE
//   accord audit verify --log DIR|URL --key VKEY [--witness VKEY ...] [--full] [--state FILE]
//   accord audit prove  --log DIR --index N [--key VKEY]
//   accord audit show   --log DIR --index N
//
// verify prints every check that passed and exits 1 on the first failure; with --state it checks
// consistency with the checkpoint saved there and saves the new one (atomically) on success.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands.h"
#include "audit/checkpoint.h"
#include "audit/log_entry.h"
#include "audit/log_verifier.h"
#include "audit/merkle_nodes.h"
#include "audit/note_keys.h"
#include "audit/posix_log_storage.h"
#include "audit/tile_log.h"
#include "audit/tile_node_reader.h"
#include "audit/tlog_tiles.h"
#include "common/base64url.h"
#ifdef ACCORD_AUDIT_HAVE_HTTP
#include "audit/http_resource_reader.h"
#endif

namespace accord::app {
namespace {

using namespace accord::audit;

struct Args {
  std::string log, key, skey_file, entry, state, name, origin;
  std::vector<std::string> witnesses;
  bool full = false, witness = false;
  uint64_t index = 0;
};

Args& args() {
  static Args a;
  return a;
}

int Fail(const Status& st) {
  std::cerr << "FAILED: " << st.ToString() << "\n";
  return 1;
}

Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path, "not_found");
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.size() > max_bytes) return OutOfRange(path + " is too large", "too_large");
  return data;
}

Status WriteFileAtomically(const std::string& path, std::string_view data) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable("cannot write " + tmp, "storage_error");
  bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    return Unavailable("cannot write " + path, "storage_error");
  }
  return Status::Ok();
}

bool IsUrl(const std::string& s) { return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0; }

Result<std::unique_ptr<PosixLogStorage>> OpenExistingDir(const std::string& dir) {
  if (!std::filesystem::is_directory(dir)) return NotFound("no log directory " + dir, "not_found");
  return PosixLogStorage::Open(dir);
}

std::string KeyName(const std::string& vkey) { return vkey.substr(0, vkey.find('+')); }

int RunKeygen() {
  auto pair = GenerateNoteKey(args().name, args().witness ? NoteKeyType::kCosignatureV1
                                                          : NoteKeyType::kEd25519);
  if (!pair.ok()) return Fail(pair.status());
  std::cout << "skey: " << AsStringView(pair->skey.view()) << "\n";
  std::cout << "vkey: " << pair->vkey << "\n";
  return 0;
}

int RunAppend() {
  auto skey = ReadFile(args().skey_file, 4096);
  if (!skey.ok()) return Fail(skey.status());
  while (!skey->empty() && (skey->back() == '\n' || skey->back() == '\r')) skey->pop_back();
  auto vkey = VerifierKeyFromSignerKey(*skey);
  if (!vkey.ok()) return Fail(vkey.status());
  std::string json = args().entry;
  if (!json.empty() && json[0] == '@') {
    auto data = ReadFile(json.substr(1), kMaxEntryBytes);
    if (!data.ok()) return Fail(data.status());
    json = *data;
  }
  auto entry = LogEntryFromJson(json);
  if (!entry.ok()) return Fail(entry.status());
  auto storage = PosixLogStorage::Open(args().log);
  if (!storage.ok()) return Fail(storage.status());
  TileLogOptions o;
  o.origin = args().origin.empty() ? KeyName(*vkey) : args().origin;
  o.signer = std::move(*NewNoteSigner(*skey));
  o.verifier = std::move(*NewNoteVerifier(*vkey));
  auto log = TileLog::Open(storage->get(), std::move(o));
  if (!log.ok()) return Fail(log.status());
  auto index = (*log)->Append(ToBytes(SerializeLogEntry(*entry))).get();
  if (!index.ok()) return Fail(index.status());
  std::cout << "appended entry " << *index << " (durable)\n" << *(*log)->Checkpoint();
  return 0;
}

int RunVerify() {
  auto key = NewNoteVerifier(args().key);
  if (!key.ok()) return Fail(key.status());
  std::vector<std::unique_ptr<NoteVerifier>> witness_keys;
  VerifyLogRequest req;
  for (const std::string& w : args().witnesses) {
    auto wk = NewNoteVerifier(w);
    if (!wk.ok()) return Fail(wk.status());
    req.witnesses.push_back(wk->get());
    witness_keys.push_back(std::move(*wk));
  }
  std::unique_ptr<ResourceReader> reader;
  std::unique_ptr<PosixLogStorage> storage;
#ifdef ACCORD_AUDIT_HAVE_HTTP
  std::unique_ptr<http::HttpClient> client;
#endif
  if (IsUrl(args().log)) {
#ifdef ACCORD_AUDIT_HAVE_HTTP
    auto c = http::HttpClient::Create();
    if (!c.ok()) return Fail(c.status());
    client = std::move(*c);
    reader = std::make_unique<HttpResourceReader>(*client, args().log);
#else
    return Fail(Unavailable("this build has no HTTP client: verify a log directory", "no_http"));
#endif
  } else {
    auto s = OpenExistingDir(args().log);
    if (!s.ok()) return Fail(s.status());
    storage = std::move(*s);
    reader = std::make_unique<StorageResourceReader>(*storage);
  }
  auto note = reader->Read("checkpoint");
  if (!note.ok()) return Fail(note.status());
  const std::string note_text = ToString(*note);
  std::string previous;
  if (!args().state.empty() && std::filesystem::exists(args().state)) {
    auto p = ReadFile(args().state, kMaxNoteSize);
    if (!p.ok()) return Fail(p.status());
    previous = *p;
    req.previous_checkpoint_note = previous;
  }
  req.checkpoint_note = note_text;
  req.origin = args().origin.empty() ? (*key)->name() : args().origin;
  req.log_key = key->get();
  req.full = args().full;
  if (req.full) {
    req.entry_check = [](uint64_t, BytesView entry) {
      return ParseLogEntry(AsStringView(entry)).status();
    };
  }
  auto report = VerifyLog(req, *reader);
  if (!report.ok()) return Fail(report.status());
  for (const std::string& line : report->checks) std::cout << "ok: " << line << "\n";
  if (req.full) {
    std::cout << "ok: every entry is a canonical audit record (" << report->entries_checked
              << " entries)\n";
  }
  if (!args().state.empty()) {
    Status st = WriteFileAtomically(args().state, note_text);
    if (!st.ok()) return Fail(st);
    std::cout << "saved checkpoint to " << args().state << "\n";
  }
  std::cout << "VERIFIED\n";
  return 0;
}

Result<Checkpoint> ReadCheckpoint(const LogStorage& storage, bool* signature_checked) {
  ACCORD_ASSIGN_OR_RETURN(Bytes note, storage.Read("checkpoint", kMaxNoteSize));
  *signature_checked = false;
  if (!args().key.empty()) {
    ACCORD_ASSIGN_OR_RETURN(auto key, NewNoteVerifier(args().key));
    const std::string origin = args().origin.empty() ? key->name() : args().origin;
    ACCORD_ASSIGN_OR_RETURN(VerifiedCheckpoint v, OpenCheckpoint(AsStringView(note), origin, *key));
    *signature_checked = true;
    return v.checkpoint;
  }
  ACCORD_ASSIGN_OR_RETURN(Note parsed, ParseNote(AsStringView(note)));
  return ParseCheckpoint(parsed.text);
}

Result<Bytes> ReadEntry(const LogStorage& storage, uint64_t index, uint64_t size) {
  if (index >= size) return OutOfRange("index is beyond the tree size", "index_out_of_range");
  const uint32_t width = TileWidthAtSize(0, index / kTileWidth, size);
  ACCORD_ASSIGN_OR_RETURN(Bytes data, storage.Read(EntriesPath(index / kTileWidth, width), 1 << 25));
  ACCORD_ASSIGN_OR_RETURN(auto entries, ParseEntryBundle(data, width));
  return std::move(entries[index % kTileWidth]);
}

int RunProve() {
  auto storage = OpenExistingDir(args().log);
  if (!storage.ok()) return Fail(storage.status());
  bool checked = false;
  auto c = ReadCheckpoint(**storage, &checked);
  if (!c.ok()) return Fail(c.status());
  auto entry = ReadEntry(**storage, args().index, c->size);
  if (!entry.ok()) return Fail(entry.status());
  StorageTileFetcher fetcher(**storage);
  TileNodeReader nodes(fetcher, c->size, nullptr);
  auto proof = BuildInclusionProof(nodes, args().index, c->size);
  if (!proof.ok()) return Fail(proof.status());
  const Hash leaf = HashLeaf(*entry);
  Status st = VerifyInclusion(args().index, c->size, leaf, *proof, c->root);
  if (!st.ok()) return Fail(st);
  std::cout << "origin: " << c->origin << "\ntree size: " << c->size
            << "\nroot: " << Base64Encode(HashView(c->root)) << "\nindex: " << args().index
            << "\nleaf hash: " << Base64Encode(HashView(leaf)) << "\nproof:\n";
  for (const Hash& h : *proof) std::cout << "  " << Base64Encode(HashView(h)) << "\n";
  std::cout << "ok: inclusion proof verifies against the checkpoint root\n"
            << (checked ? "ok: checkpoint signature verified\n"
                        : "warning: checkpoint signature NOT checked (pass --key)\n");
  return 0;
}

int RunShow() {
  auto storage = OpenExistingDir(args().log);
  if (!storage.ok()) return Fail(storage.status());
  bool checked = false;
  auto c = ReadCheckpoint(**storage, &checked);
  if (!c.ok()) return Fail(c.status());
  auto entry = ReadEntry(**storage, args().index, c->size);
  if (!entry.ok()) return Fail(entry.status());
  std::cout << AsStringView(*entry) << "\nleaf hash: " << Base64Encode(HashView(HashLeaf(*entry)))
            << "\n";
  return 0;
}

void Register(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "Transparency log: keys, append, verify, proofs");
  audit->require_subcommand(1);

  auto* keygen = audit->add_subcommand("keygen", "Generate a signed-note key pair (skey, vkey)");
  keygen->add_option("--name", args().name, "Key name (e.g. the log origin)")->required();
  keygen->add_flag("--witness", args().witness, "A cosignature/v1 witness key (type 0x04)");
  keygen->callback([] { SetCommandAction(RunKeygen); });

  auto* append = audit->add_subcommand("append", "Append one JSON audit entry (tests, demos)");
  append->add_option("--log", args().log, "Log directory")->required();
  append->add_option("--skey-file", args().skey_file, "File holding the log's skey")->required();
  append->add_option("--entry", args().entry, "Entry JSON, or @FILE")->required();
  append->add_option("--origin", args().origin, "Checkpoint origin (default: key name)");
  append->callback([] { SetCommandAction(RunAppend); });

  auto* verify = audit->add_subcommand("verify", "Verify a log's checkpoint, witnesses and tree");
  verify->add_option("--log", args().log, "Log directory or URL prefix")->required();
  verify->add_option("--key", args().key, "The log's vkey")->required();
  verify->add_option("--witness", args().witnesses, "Required witness vkey (repeatable)")
      ->allow_extra_args(false);
  verify->add_flag("--full", args().full, "Recompute the whole tree from every entry");
  verify->add_option("--state", args().state, "Checkpoint state file (consistency across runs)");
  verify->add_option("--origin", args().origin, "Expected origin (default: key name)");
  verify->callback([] { SetCommandAction(RunVerify); });

  auto* prove = audit->add_subcommand("prove", "Print and check an inclusion proof");
  prove->add_option("--log", args().log, "Log directory")->required();
  prove->add_option("--index", args().index, "Entry index")->required();
  prove->add_option("--key", args().key, "The log's vkey (checks the checkpoint signature)");
  prove->callback([] { SetCommandAction(RunProve); });

  auto* show = audit->add_subcommand("show", "Print one entry");
  show->add_option("--log", args().log, "Log directory")->required();
  show->add_option("--index", args().index, "Entry index")->required();
  show->callback([] { SetCommandAction(RunShow); });
}

}  // namespace

static CommandRegistrar kRegistrar("audit", &Register);

}  // namespace accord::app
