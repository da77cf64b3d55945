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
    // --help and --version exit 0; every usage error exits 2 (CLI11's own codes are 100+).
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return accord::app::RunSelectedCommand();
}
