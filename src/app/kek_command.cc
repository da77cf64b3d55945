// `accord keys rotate-kek`: key-encryption key rotation for sealed store fields (docs/security.md,
// "KEK rotation"). Attached to the `keys` command that keys_command.cc registers (this file's
// registrar runs after it); if that command is absent, it is registered as `accord kek rotate`.
//
//   accord keys rotate-kek --kek-file F (--sqlite PATH | --postgres CONNINFO)
//                          [--new-id ID] [--stage] [--retire ID]
//
//   --stage        only add a new KEK (not current) to the file: running servers reload the file
//                  and can then open envelopes under it before anything is written with it.
//   (default)      make --new-id current (creating it unless staged), write the file, then rewrap
//                  every sealed value's data key under it (no window where data is unreadable:
//                  the previous KEK stays in the file).
//   --retire ID    after a rewrap that left nothing under ID, remove ID from the file.
#include <algorithm>
#include <ctime>
#include <iostream>
#include <string>

#include "app/commands.h"
#include "crypto/random.h"
#include "datasec/kek_provider.h"
#include "datasec/sealing_store.h"
#include "store/store.h"

namespace accord::app {
namespace {

struct KekArgs {
  std::string kek_file, sqlite, postgres, new_id, retire;
  bool stage = false;
};

KekArgs& Args() {
  static KekArgs* args = new KekArgs();
  return *args;
}

int Fail(std::string_view what) {
  std::cerr << "accord keys rotate-kek: " << what << "\n";
  return 1;
}

// Rewrites the file with the ring's keys (read back from the file, which holds them) plus `added`.
Status SaveRing(const std::string& path, const datasec::KeyRing& ring,
                const std::vector<std::pair<std::string, crypto::SecretBytes>>& file_keys,
                std::string_view current) {
  std::vector<std::pair<std::string, const crypto::SecretBytes*>> keys;
  for (const auto& id : ring.Ids()) {
    for (const auto& [fid, key] : file_keys) {
      if (fid == id) keys.emplace_back(fid, &key);
    }
  }
  return datasec::WriteKeyRingFile(path, keys, current);
}

int Run(const KekArgs& a) {
  auto file = datasec::ReadKeyRingFile(a.kek_file);
  if (!file.ok()) return Fail(file.status().message());
  auto* file_keys = &file->keys;
  auto ring = datasec::LoadKeyRingFile(a.kek_file);
  if (!ring.ok()) return Fail(ring.status().message());
  std::string old_current = (*ring)->CurrentKekId();
  std::string new_id = a.new_id.empty() ? "kek-" + std::to_string(std::time(nullptr)) : a.new_id;

  auto ids = (*ring)->Ids();
  bool exists = std::find(ids.begin(), ids.end(), new_id) != ids.end();
  if (!exists) {
    crypto::SecretBytes key = crypto::RandomSecret(datasec::kKekBytes);
    Status added = (*ring)->Add(new_id, key.Clone());
    if (!added.ok()) return Fail(added.message());
    file_keys->emplace_back(new_id, std::move(key));
  }
  if (a.stage) {
    Status saved = SaveRing(a.kek_file, **ring, *file_keys, old_current);
    if (!saved.ok()) return Fail(saved.message());
    std::cout << "staged " << new_id << " (current stays " << old_current
              << "); reload every server, then run without --stage --new-id " << new_id << "\n";
    return 0;
  }
  Status current = (*ring)->SetCurrent(new_id);
  if (!current.ok()) return Fail(current.message());
  Status saved = SaveRing(a.kek_file, **ring, *file_keys, new_id);
  if (!saved.ok()) return Fail(saved.message());

  store::StoreConfig config;
  if (!a.postgres.empty()) {
    config.kind = store::StoreKind::kPostgres;
    config.postgres_conninfo = a.postgres;
  } else {
    config.sqlite_path = a.sqlite;
  }
  auto inner = store::OpenStore(config);
  if (!inner.ok()) return Fail(inner.status().message());
  datasec::SealingStore sealing(std::move(*inner), ring->get(), datasec::RetentionPolicy(),
                                &SystemClock::Instance());
  auto stats = sealing.RewrapAll();
  if (!stats.ok()) return Fail(stats.status().message());
  std::cout << "current KEK " << new_id << " (was " << old_current << "): " << stats->scanned
            << " sealed values scanned, " << stats->rewrapped << " rewrapped, " << stats->conflicts
            << " changed concurrently (rewrapped by their writer or deleted)\n";
  if (!a.retire.empty()) {
    auto left = sealing.CountUnderKek(a.retire);
    if (!left.ok()) return Fail(left.status().message());
    if (*left != 0) return Fail(std::to_string(*left) + " values still under " + a.retire + "; not retired");
    Status removed = (*ring)->Remove(a.retire);
    if (!removed.ok()) return Fail(removed.message());
    Status again = SaveRing(a.kek_file, **ring, *file_keys, new_id);
    if (!again.ok()) return Fail(again.message());
    std::cout << "retired " << a.retire << "\n";
  }
  return 0;
}

void AddOptions(CLI::App* cmd) {
  cmd->add_option("--kek-file", Args().kek_file, "KEK file (mode 0600)")->required();
  auto* sqlite = cmd->add_option("--sqlite", Args().sqlite, "SQLite database file");
  auto* pg = cmd->add_option("--postgres", Args().postgres, "PostgreSQL conninfo");
  sqlite->excludes(pg);
  cmd->add_option("--new-id", Args().new_id, "Id of the new (or staged) KEK; default kek-<time>");
  cmd->add_flag("--stage", Args().stage, "Only add the new KEK (not current)");
  cmd->add_option("--retire", Args().retire, "Remove this KEK from the file after the rewrap");
  cmd->callback([] {
    SetCommandAction([] {
      if (!Args().stage && Args().sqlite.empty() && Args().postgres.empty()) {
        std::cerr << "accord keys rotate-kek: --sqlite or --postgres is required\n";
        return 2;
      }
      return Run(Args());
    });
  });
}

void Register(CLI::App& app) {
  CLI::App* keys = nullptr;
  for (CLI::App* sub : app.get_subcommands([](CLI::App* s) { return s->get_name() == "keys"; })) {
    keys = sub;
  }
  if (keys != nullptr) {
    AddOptions(keys->add_subcommand("rotate-kek", "Rotate the key-encryption key of sealed fields"));
  } else {
    CLI::App* kek = app.add_subcommand("kek", "Key-encryption keys of sealed store fields");
    kek->require_subcommand(1);
    AddOptions(kek->add_subcommand("rotate", "Rotate the key-encryption key of sealed fields"));
  }
}

// After "keys" (default order 100).
const CommandRegistrar kRegistrar("keys-kek", &Register, 101);

}  // namespace
}  // namespace accord::app
