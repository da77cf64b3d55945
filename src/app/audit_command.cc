// `accord audit ...`: the transparency log from the command line.
//
//   accord audit keygen --name NAME [--witness]          prints a new skey and vkey
//   accord audit vkey --skey-file FILE                   prints the vkey of an skey
//   accord audit append --log DIR --skey-file FILE --entry JSON|@FILE
//   accord audit verify --log DIR|URL --key VKEY [--witness VKEY ...] [--full] [--state FILE]
//   accord audit prove  --log DIR|URL --index N [--key VKEY [--witness VKEY ...]]
//   accord audit show   --log DIR|URL --index N [--key VKEY]
//   accord audit serve  --dir DIR [--key FILE] [--require-witness VKEY URL ...]
//                       [--witness-key FILE --witness-for VKEY ...] [--listen HOST:PORT]
//
// verify prints every check that passed and exits 1 on the first failure; with --state it checks
// consistency with the checkpoint saved there and saves the new one (atomically) on success.
// A URL is the log's prefix, e.g. http://127.0.0.1:8080/log (served by `audit serve` or the
// gateway under /log/). serve runs the log read-only under /log/ and, with --witness-key, a
// tlog-witness under /witness/ (docs/audit.md, "HTTP").
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
#include "audit/http_witness_client.h"
#include "audit/log_routes.h"
#include "audit/witness.h"
#include "http/filters.h"
#include "http/ops.h"
#include "http/server.h"
#endif

namespace accord::app {
namespace {

using namespace accord::audit;

struct Args {
  std::string log, key, skey_file, entry, state, name, origin, dir, listen = "127.0.0.1:0";
  std::string witness_key_file;
  std::vector<std::string> witnesses, witness_for;
  std::vector<std::pair<std::string, std::string>> require_witness;
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

Result<std::string> ReadKeyFile(const std::string& path) {
  ACCORD_ASSIGN_OR_RETURN(std::string key, ReadFile(path, 4096));
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  return key;
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

std::string KeyName(const std::string& vkey) { return vkey.substr(0, vkey.find('+')); }

// Where a command reads a log from: a directory or a URL prefix.
struct LogSource {
  std::unique_ptr<PosixLogStorage> storage;
#ifdef ACCORD_AUDIT_HAVE_HTTP
  std::unique_ptr<http::HttpClient> client;
#endif
  std::unique_ptr<ResourceReader> reader;
};

Result<LogSource> OpenSource(const std::string& where) {
  LogSource src;
  if (IsUrl(where)) {
#ifdef ACCORD_AUDIT_HAVE_HTTP
    ACCORD_ASSIGN_OR_RETURN(src.client, http::HttpClient::Create());
    src.reader = std::make_unique<HttpResourceReader>(*src.client, where);
    return src;
#else
    return Unavailable("this build has no HTTP client: use a log directory", "no_http");
#endif
  }
  if (!std::filesystem::is_directory(where)) return NotFound("no log directory " + where, "not_found");
  ACCORD_ASSIGN_OR_RETURN(src.storage, PosixLogStorage::Open(where));
  src.reader = std::make_unique<StorageResourceReader>(*src.storage);
  return src;
}

int RunKeygen() {
  auto pair = GenerateNoteKey(args().name, args().witness ? NoteKeyType::kCosignatureV1
                                                          : NoteKeyType::kEd25519);
  if (!pair.ok()) return Fail(pair.status());
  std::cout << "skey: " << AsStringView(pair->skey.view()) << "\n";
  std::cout << "vkey: " << pair->vkey << "\n";
  return 0;
}

int RunVkey() {
  auto skey = ReadKeyFile(args().skey_file);
  if (!skey.ok()) return Fail(skey.status());
  auto vkey = VerifierKeyFromSignerKey(*skey);
  if (!vkey.ok()) return Fail(InvalidArgument("not a signed-note signer key", "bad_key"));
  std::cout << *vkey << "\n";
  return 0;
}

int RunAppend() {
  auto skey = ReadKeyFile(args().skey_file);
  if (!skey.ok()) return Fail(skey.status());
  auto vkey = VerifierKeyFromSignerKey(*skey);
  if (!vkey.ok()) return Fail(vkey.status());
  std::string json = args().entry;
  if (!json.empty() && json[0] == '@') {
    auto data = ReadFile(json.substr(1), kMaxEventBytes);
    if (!data.ok()) return Fail(data.status());
    json = *data;
  }
  auto event = AuditEventFromJson(json);
  if (!event.ok()) return Fail(event.status());
  auto storage = PosixLogStorage::Open(args().log);
  if (!storage.ok()) return Fail(storage.status());
  TileLogOptions o;
  o.origin = args().origin.empty() ? KeyName(*vkey) : args().origin;
  o.signer = std::move(*NewNoteSigner(*skey));
  o.verifier = std::move(*NewNoteVerifier(*vkey));
  auto log = TileLog::Open(storage->get(), std::move(o));
  if (!log.ok()) return Fail(log.status());
  auto index = (*log)->Append(ToBytes(SerializeAuditEvent(*event))).get();
  if (!index.ok()) return Fail(index.status());
  Status integrated = (*log)->AwaitIntegrated(*index + 1, std::chrono::seconds(30));
  if (!integrated.ok()) return Fail(integrated);
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
  auto src = OpenSource(args().log);
  if (!src.ok()) return Fail(src.status());
  std::cout << "log: " << args().log << "\n";
  auto note = src->reader->Read("checkpoint");
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
      return ParseAuditEvent(AsStringView(entry)).status();
    };
  }
  auto report = VerifyLog(req, *src->reader);
  if (!report.ok()) return Fail(report.status());
  for (const std::string& line : report->checks) std::cout << "ok: " << line << "\n";
  if (req.full) {
    std::cout << "ok: every entry is a canonical audit event (" << report->entries_checked
              << " entries)\n";
  }
  if (previous.empty() && !args().state.empty()) {
    std::cout << "note: no saved checkpoint in " << args().state << " (first run)\n";
  }
  if (!args().state.empty()) {
    Status st = WriteFileAtomically(args().state, note_text);
    if (!st.ok()) return Fail(st);
    std::cout << "saved checkpoint to " << args().state << "\n";
  }
  std::cout << "VERIFIED tree size " << report->checkpoint.size << "\n";
  return 0;
}

// The checkpoint to prove against: signature (and cosignatures) checked when --key is given.
Result<Checkpoint> ReadCheckpoint(const ResourceReader& reader, bool* signature_checked) {
  ACCORD_ASSIGN_OR_RETURN(Bytes note, reader.Read("checkpoint"));
  *signature_checked = false;
  if (!args().key.empty()) {
    ACCORD_ASSIGN_OR_RETURN(auto key, NewNoteVerifier(args().key));
    std::vector<std::unique_ptr<NoteVerifier>> owned;
    std::vector<const NoteVerifier*> witnesses;
    for (const std::string& w : args().witnesses) {
      ACCORD_ASSIGN_OR_RETURN(auto wk, NewNoteVerifier(w));
      witnesses.push_back(wk.get());
      owned.push_back(std::move(wk));
    }
    const std::string origin = args().origin.empty() ? key->name() : args().origin;
    ACCORD_ASSIGN_OR_RETURN(VerifiedCheckpoint v,
                            OpenCheckpoint(AsStringView(note), origin, *key, witnesses));
    *signature_checked = true;
    return v.checkpoint;
  }
  ACCORD_ASSIGN_OR_RETURN(Note parsed, ParseNote(AsStringView(note)));
  return ParseCheckpoint(parsed.text);
}

int RunProve() {
  auto src = OpenSource(args().log);
  if (!src.ok()) return Fail(src.status());
  bool checked = false;
  auto c = ReadCheckpoint(*src->reader, &checked);
  if (!c.ok()) return Fail(c.status());
  auto entry = ReadLogEntry(*src->reader, args().index, c->size);
  if (!entry.ok()) return Fail(entry.status());
  ReaderTileFetcher fetcher(*src->reader);
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
  auto src = OpenSource(args().log);
  if (!src.ok()) return Fail(src.status());
  bool checked = false;
  auto c = ReadCheckpoint(*src->reader, &checked);
  if (!c.ok()) return Fail(c.status());
  auto entry = ReadLogEntry(*src->reader, args().index, c->size);
  if (!entry.ok()) return Fail(entry.status());
  std::cout << AsStringView(*entry) << "\nleaf hash: " << Base64Encode(HashView(HashLeaf(*entry)))
            << "\n";
  return 0;
}

#ifdef ACCORD_AUDIT_HAVE_HTTP
int RunServe() {
  if (args().key.empty() && args().witness_key_file.empty()) {
    return Fail(InvalidArgument("serve needs --key (a log) and/or --witness-key (a witness)", "usage"));
  }
  const size_t colon = args().listen.rfind(':');
  if (colon == std::string::npos) return Fail(InvalidArgument("--listen HOST:PORT", "usage"));
  http::ServerOptions server_options;
  server_options.address = args().listen.substr(0, colon);
  try {
    server_options.port = static_cast<uint16_t>(std::stoul(args().listen.substr(colon + 1)));
  } catch (const std::exception&) {
    return Fail(InvalidArgument("--listen HOST:PORT", "usage"));
  }
  server_options.threads = 2;
  auto storage = PosixLogStorage::Open(args().dir);
  if (!storage.ok()) return Fail(storage.status());
  auto client = http::HttpClient::Create();
  if (!client.ok()) return Fail(client.status());
  http::Router router;
  http::Registry registry;
  http::ReadinessChecks readiness;

  std::unique_ptr<Witness> witness;
  if (!args().witness_key_file.empty()) {
    auto skey = ReadKeyFile(args().witness_key_file);
    if (!skey.ok()) return Fail(skey.status());
    auto signer = NewNoteSigner(*skey);
    if (!signer.ok()) return Fail(signer.status());
    std::vector<WitnessedLog> logs;
    for (const std::string& v : args().witness_for) {
      auto k = NewNoteVerifier(v);
      if (!k.ok()) return Fail(k.status());
      logs.push_back({(*k)->name(), std::move(*k)});
    }
    auto w = Witness::Open(storage->get(), std::move(*signer), std::move(logs));
    if (!w.ok()) return Fail(w.status());
    witness = std::move(*w);
    Status st = AddWitnessRoutes(router, *witness);
    if (!st.ok()) return Fail(st);
  }

  std::vector<std::unique_ptr<HttpWitnessClient>> witness_clients;
  std::unique_ptr<TileLog> log;
  if (!args().key.empty()) {
    auto skey = ReadKeyFile(args().key);
    if (!skey.ok()) return Fail(skey.status());
    auto vkey = VerifierKeyFromSignerKey(*skey);
    if (!vkey.ok()) return Fail(vkey.status());
    TileLogOptions o;
    o.origin = args().origin.empty() ? KeyName(*vkey) : args().origin;
    o.signer = std::move(*NewNoteSigner(*skey));
    o.verifier = std::move(*NewNoteVerifier(*vkey));
    for (const auto& [wvkey, url] : args().require_witness) {
      auto k = NewNoteVerifier(wvkey);
      if (!k.ok()) return Fail(k.status());
      witness_clients.push_back(std::make_unique<HttpWitnessClient>(**client, url));
      o.witnesses.push_back({std::move(*k), witness_clients.back().get()});
    }
    if (!o.witnesses.empty()) {
      o.on_publish = [](const Status& st, uint64_t size) {
        if (st.ok()) {
          std::cout << "published cosigned checkpoint, tree size " << size << std::endl;
        } else {
          std::cerr << "checkpoint of tree size " << size << " not published: " << st.ToString() << std::endl;
        }
      };
    }
    auto l = TileLog::Open(storage->get(), std::move(o));
    if (!l.ok()) return Fail(l.status());
    log = std::move(*l);
    Status st = AddLogRoutes(router, *log);
    if (!st.ok()) return Fail(st);
  }
  Status st = http::AddOperationalRoutes(router, registry, readiness);
  if (!st.ok()) return Fail(st);
  http::Pipeline pipeline(router, http::DefaultFilters(router, registry));
  server_options.metrics = &registry;
  auto server = http::Server::Create(server_options, pipeline);
  if (!server.ok()) return Fail(server.status());
  const std::string base = "http://" + server_options.address + ":" + std::to_string((*server)->port());
  std::cout << "accord audit serve: listening on " << base;
  if (log) std::cout << " log " << base << kDefaultLogPrefix << " size " << log->size();
  if (witness) std::cout << " witness " << base << kDefaultWitnessPrefix;
  std::cout << std::endl;
  Status ran = (*server)->RunUntilSignal();
  if (log) log->Close();
  if (!ran.ok()) return Fail(ran);
  return 0;
}
#endif

void Register(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "Transparency log: keys, append, verify, proofs, serve");
  audit->require_subcommand(1);

  auto* keygen = audit->add_subcommand("keygen", "Generate a signed-note key pair (skey, vkey)");
  keygen->add_option("--name", args().name, "Key name (e.g. the log origin)")->required();
  keygen->add_flag("--witness", args().witness, "A cosignature/v1 witness key (type 0x04)");
  keygen->callback([] { SetCommandAction(RunKeygen); });

  auto* vkey = audit->add_subcommand("vkey", "Print the vkey (public) of an skey file");
  vkey->add_option("--skey-file", args().skey_file, "File holding the skey")->required();
  vkey->callback([] { SetCommandAction(RunVkey); });

  auto* append = audit->add_subcommand("append", "Append one JSON audit event (tests, demos)");
  append->add_option("--log", args().log, "Log directory")->required();
  append->add_option("--skey-file", args().skey_file, "File holding the log's skey")->required();
  append->add_option("--entry", args().entry, "Event JSON, or @FILE")->required();
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
  prove->add_option("--log", args().log, "Log directory or URL prefix")->required();
  prove->add_option("--index", args().index, "Entry index")->required();
  prove->add_option("--key", args().key, "The log's vkey (checks the checkpoint signature)");
  prove->add_option("--witness", args().witnesses, "Required witness vkey (repeatable, with --key)")
      ->allow_extra_args(false);
  prove->callback([] { SetCommandAction(RunProve); });

  auto* show = audit->add_subcommand("show", "Print one entry");
  show->add_option("--log", args().log, "Log directory or URL prefix")->required();
  show->add_option("--index", args().index, "Entry index")->required();
  show->add_option("--key", args().key, "The log's vkey (checks the checkpoint signature)");
  show->callback([] { SetCommandAction(RunShow); });

#ifdef ACCORD_AUDIT_HAVE_HTTP
  auto* serve = audit->add_subcommand("serve", "Serve a log (/log/) and/or a witness (/witness/)");
  serve->add_option("--dir", args().dir, "Log and witness state directory")->required();
  serve->add_option("--key", args().key, "File holding the log's skey (serve a log)");
  serve->add_option("--origin", args().origin, "Checkpoint origin (default: key name)");
  serve->add_option("--require-witness", args().require_witness,
                    "VKEY URL: publish checkpoints only with this witness's cosignature")
      ->allow_extra_args(false);
  serve->add_option("--witness-key", args().witness_key_file,
                    "File holding a cosignature/v1 skey (act as a witness)");
  serve->add_option("--witness-for", args().witness_for, "Log vkey this witness accepts (repeatable)")
      ->allow_extra_args(false);
  serve->add_option("--listen", args().listen, "HOST:PORT (default 127.0.0.1:0)");
  serve->callback([] { SetCommandAction(RunServe); });
#endif
}

}  // namespace

static CommandRegistrar kRegistrar("audit", &Register);

}  // namespace accord::app
