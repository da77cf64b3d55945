// accord: the operator CLI and server entry point (composition root).
#include <CLI/CLI.hpp>

#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Accord: cross-border digital identity gateway (UK <-> Singapore)", "accord"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "accord 0.1.0");
  accord::app::RegisterAllCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return accord::app::RunSelectedCommand();
}
