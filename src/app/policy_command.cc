// `accord policy check [--dir data/datasec] [--trust data/trust]`: prints the placement matrix
// (attributes x environments, attributes x services) and every violation; exit 1 when there is one.
// `accord policy scan-logs FILE... [--people data/people]`: exit 1 when any sandbox person's data
// appears in the logs (docs/security.md).
#include <iomanip>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "app/commands.h"
#include "datasec/log_scanner.h"
#include "datasec/placement.h"
#include "trust/registry.h"

namespace accord::app {
namespace {

struct PolicyArgs {
  std::string dir = "data/datasec";
  std::string trust = "data/trust";
  std::string people = "data/people";
  std::vector<std::string> logs;
};

PolicyArgs& Args() {
  static PolicyArgs* args = new PolicyArgs();
  return *args;
}

std::string Cell(const datasec::PlacementPolicy& p, const datasec::Environment& env,
                 const std::string& attribute) {
  return p.CheckPlacement(env, datasec::ItemKind::kAttribute, attribute).ok() ? "yes" : "NO";
}

int RunCheck(const PolicyArgs& a) {
  auto policy = datasec::PlacementPolicy::Load(a.dir);
  if (!policy.ok()) {
    std::cerr << a.dir << ": " << policy.status().message() << "\n";
    return 1;
  }
  auto registry = trust::TrustRegistry::Load(a.trust);
  if (!registry.ok()) {
    std::cerr << a.trust << ": " << registry.status().message() << "\n";
    return 1;
  }
  const auto& cls = policy->classification();
  std::set<std::string> attributes;
  for (const auto& [name, c] : cls.attributes()) attributes.insert(name);
  for (const auto& f : registry->frameworks()) {
    for (const auto& m : f.attributes) attributes.insert(m.name);
  }

  std::cout << "Classes\n";
  for (const auto& [name, c] : cls.classes()) {
    std::cout << "  " << std::left << std::setw(14) << name << c.ToString() << "\n";
  }
  std::cout << "\nEnvironments (highest class held)\n";
  for (const auto& e : policy->environments()) {
    std::cout << "  " << std::setw(24) << e.id << e.country << "  " << e.ceiling.ToString()
              << (e.id == policy->deployment().id ? "   <- Accord's deployment" : "") << "\n";
  }

  std::cout << "\nAttributes x environments (may hold)\n  " << std::setw(30) << "attribute"
            << std::setw(13) << "class";
  for (const auto& e : policy->environments()) std::cout << std::setw(24) << e.id;
  std::cout << "\n";
  for (const auto& attr : attributes) {
    std::string c = cls.ClassName(datasec::ItemKind::kAttribute, attr);
    std::cout << "  " << std::setw(30) << attr << std::setw(13) << (c.empty() ? "UNCLASSIFIED" : c);
    for (const auto& e : policy->environments()) std::cout << std::setw(24) << Cell(*policy, e, attr);
    std::cout << "\n";
  }

  std::cout << "\nAttributes x services (release allowed by placement; * = in the service policy)\n  "
            << std::setw(30) << "attribute";
  std::vector<std::string> services;
  for (const auto& p : registry->policies()) services.push_back(p.client_id);
  for (const auto& [client, env] : policy->service_environments()) {
    if (registry->FindPolicy(client) == nullptr) services.push_back(client);
  }
  for (const auto& s : services) std::cout << std::setw(26) << s;
  std::cout << "\n  " << std::setw(30) << "(environment)";
  for (const auto& s : services) {
    const auto* env = policy->ServiceEnvironment(s);
    std::cout << std::setw(26) << (env == nullptr ? "NONE" : env->id);
  }
  std::cout << "\n";
  for (const auto& attr : attributes) {
    std::cout << "  " << std::setw(30) << attr;
    for (const auto& s : services) {
      bool in_policy = false;
      if (const auto* p = registry->FindPolicy(s)) {
        for (const auto& r : p->allowed_attributes) in_policy = in_policy || r.name == attr;
      }
      std::string cell = policy->CheckRelease(s, attr).ok() ? "yes" : "NO";
      std::cout << std::setw(26) << (cell + (in_policy ? "*" : ""));
    }
    std::cout << "\n";
  }

  std::cout << "\nRecord types kept by the deployment (" << policy->deployment().id << ")\n";
  for (const auto& r : policy->kept_records()) {
    std::string c = cls.ClassName(datasec::ItemKind::kRecord, r);
    bool ok = policy->CheckPlacement(policy->deployment(), datasec::ItemKind::kRecord, r).ok();
    std::cout << "  " << std::setw(30) << r << std::setw(14) << (c.empty() ? "UNCLASSIFIED" : c)
              << (ok ? "ok" : "NOT ALLOWED") << "\n";
  }

  auto violations = policy->Violations(&*registry);
  if (violations.empty()) {
    std::cout << "\nOK: no violations\n";
    return 0;
  }
  std::cout << "\nViolations (" << violations.size() << ")\n";
  for (const auto& v : violations) std::cout << "  " << v.subject << ": " << v.message << "\n";
  return 1;
}

int RunScan(const PolicyArgs& a) {
  auto scanner = datasec::LogScanner::LoadPeople(a.people);
  if (!scanner.ok()) {
    std::cerr << scanner.status().message() << "\n";
    return 2;
  }
  size_t total = 0;
  for (const auto& file : a.logs) {
    auto findings = scanner->ScanFile(file);
    if (!findings.ok()) {
      std::cerr << findings.status().message() << "\n";
      return 2;
    }
    for (const auto& f : *findings) {
      std::cout << f.file << ":" << f.line << ": person " << f.person_id << " " << f.field << " ("
                << f.form << ")\n";
    }
    total += findings->size();
  }
  if (total == 0) {
    std::cout << "OK: no personal data of " << a.people << " found in " << a.logs.size()
              << " file(s)\n";
    return 0;
  }
  std::cout << total << " finding(s)\n";
  return 1;
}

void Register(CLI::App& app) {
  CLI::App* policy = app.add_subcommand("policy", "Data classification and placement policy");
  policy->require_subcommand(1);
  CLI::App* check = policy->add_subcommand(
      "check", "Print the placement matrix and every violation (exit 1 when there is one)");
  check->add_option("--dir", Args().dir, "Data-security config directory")->capture_default_str();
  check->add_option("--trust", Args().trust, "Trust config directory")->capture_default_str();
  check->callback([] { SetCommandAction([] { return RunCheck(Args()); }); });
  CLI::App* scan = policy->add_subcommand(
      "scan-logs", "Exit 1 when a sandbox person's data appears in any of the log files");
  scan->add_option("files", Args().logs, "Log files")->required();
  scan->add_option("--people", Args().people, "Directory of people JSON files")
      ->capture_default_str();
  scan->callback([] { SetCommandAction([] { return RunScan(Args()); }); });
}

const CommandRegistrar kRegistrar("policy", &Register);

}  // namespace
}  // namespace accord::app
