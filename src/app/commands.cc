#include "app/commands.h"

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

namespace accord::app {
namespace {

struct Entry {
  std::string name;
  RegisterFn fn;
  int order;
};

std::vector<Entry>& Registry() {
  static std::vector<Entry>* registry = new std::vector<Entry>();
  return *registry;
}

std::function<int()>& Action() {
  static std::function<int()>* action = new std::function<int()>();
  return *action;
}

}  // namespace

CommandRegistrar::CommandRegistrar(std::string name, RegisterFn fn, int order) {
  Registry().push_back(Entry{std::move(name), fn, order});
}

void RegisterAllCommands(CLI::App& app) {
  auto entries = Registry();
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.order, a.name) < std::tie(b.order, b.name);
  });
  for (const Entry& e : entries) e.fn(app);
}

void SetCommandAction(std::function<int()> action) { Action() = std::move(action); }

int RunSelectedCommand() {
  if (!Action()) return 2;
  return Action()();
}

}  // namespace accord::app
