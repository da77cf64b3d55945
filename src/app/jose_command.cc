// `accord jose`: operator tools for JWK, JWS and JWE (keygen, public, thumbprint, jwks, sign,
// verify, encrypt, decrypt). The subcommands live in jose_keys_command.cc, jose_jws_command.cc and
// jose_jwe_command.cc; plumbing in jose_io.h.
//
// The top-level parser hands everything after "jose" to a parser of its own here, so that every
// usage error of a jose command (unknown option, missing value, unknown subcommand) exits with 2
// and a one-line message, as jose_io.h documents, and --help works at every level.
#include <algorithm>
#include <iostream>

#include "app/commands.h"
#include "app/jose_io.h"

namespace accord::app {
namespace {

int RunJose(std::vector<std::string> args) {
  CLI::App app{"JOSE tools: JWK keys, JWS signatures and JWE encryption.\n"
               "Exit codes: 0 ok, 1 verification/decryption failed or bad input, 2 usage error.",
               "accord jose"};
  app.require_subcommand(1);
  jose_cli::Action action;
  jose_cli::AddKeyCommands(app, action);
  jose_cli::AddJwsCommands(app, action);
  jose_cli::AddJweCommands(app, action);
  std::reverse(args.begin(), args.end());  // CLI11 consumes a reversed argument vector.
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    std::cerr << "accord jose: " << e.what() << "\nRun 'accord jose --help' for usage.\n";
    return jose_cli::kExitUsage;
  }
  if (!action) return jose_cli::kExitUsage;
  return action();
}

void Register(CLI::App& root) {
  CLI::App* jose = root.add_subcommand("jose", "JOSE tools: keygen, thumbprint, sign, verify, "
                                               "encrypt, decrypt (accord jose --help)");
  // Everything after "jose" (including --help) is parsed by RunJose.
  jose->prefix_command();
  jose->set_help_flag();
  jose->callback([jose] {
    SetCommandAction([args = jose->remaining()] { return RunJose(args); });
  });
}

const CommandRegistrar kRegistrar("jose", &Register);

}  // namespace
}  // namespace accord::app
