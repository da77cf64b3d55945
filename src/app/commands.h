// Subcommand registration for the accord CLI.
//
// Each `src/app/*_command.cc` file defines one top-level subcommand tree and registers it with a
// static CommandRegistrar; those files are compiled straight into the `accord` executable (see
// CMakeLists.txt), so no central list needs editing when a module adds its commands:
//
//   namespace { void Register(CLI::App& app) { auto* jose = app.add_subcommand("jose", "..."); ... } }
//   static accord::app::CommandRegistrar kRegistrar("jose", &Register);
//
// A subcommand's callback calls SetCommandAction() with the work to run; main() runs it after parsing
// and returns its exit code (0 success, 1 a failed check or operation, 2 usage errors).
#ifndef ACCORD_APP_COMMANDS_H_
#define ACCORD_APP_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace accord::app {

using RegisterFn = void (*)(CLI::App& app);

class CommandRegistrar {
 public:
  // `order` sorts the subcommands in --help (by name when equal).
  CommandRegistrar(std::string name, RegisterFn fn, int order = 100);
};

// Adds every registered subcommand tree to `app`.
void RegisterAllCommands(CLI::App& app);

// Sets the action to run after parsing (call from a subcommand's callback).
void SetCommandAction(std::function<int()> action);
// Runs the action chosen by the parsed command line; returns the process exit code.
int RunSelectedCommand();

}  // namespace accord::app

#endif  // ACCORD_APP_COMMANDS_H_
