// Shared plumbing for the `accord jose` operator commands (jose_*_command.cc): bounded reads of
// files and stdin, writes that keep private keys at mode 0600, loading JWKs and JWK Sets, choosing
// default algorithms, and the one-line error and usage messages with the CLI's exit codes.
//
// Exit codes (every jose command): 0 success; 1 a failed verification or decryption, bad input or
// an I/O failure; 2 a usage error. Error lines never contain key material: they name the command,
// the library's message (which by contract holds no secrets) and its stable reason token.
//
// Thread safety: the functions are used from the single CLI thread; they keep no state.
#ifndef ACCORD_APP_JOSE_IO_H_
#define ACCORD_APP_JOSE_IO_H_

#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "crypto/signature.h"
#include "jose/jwe.h"
#include "jose/jwk.h"
#include "jose/limits.h"

namespace accord::app::jose_cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// Bounds on what the commands read. Payloads stay well under the 1 MiB token hard limit once
// base64url-encoded and signed or encrypted.
inline constexpr size_t kMaxPayloadBytes = 512 * 1024;
inline constexpr size_t kMaxTokenInputBytes = jose::kHardMaxTokenBytes + 2;  // + trailing "\r\n"
inline constexpr size_t kMaxKeyFileBytes = jose::kMaxJwksBytes;

// The action a parsed jose subcommand runs (set by its CLI11 callback).
using Action = std::function<int()>;

// Registration of each group of subcommands on the `accord jose` app.
void AddKeyCommands(CLI::App& jose, Action& action);      // keygen, public, thumbprint, jwks
void AddJwsCommands(CLI::App& jose, Action& action);      // sign, verify
void AddJweCommands(CLI::App& jose, Action& action);      // encrypt, decrypt

// Reads all of `path` ("-" for stdin) but at most `max_bytes`: more is OutOfRange "too_large".
Result<std::string> ReadInput(std::string_view path, size_t max_bytes);
// Writes `data` to `path` ("-" or empty: stdout). A file is created or truncated with mode 0600
// when `private_file` (and re-chmodded to 0600 if it already existed), else 0644 (before umask).
Status WriteOutput(std::string_view path, std::string_view data, bool private_file);

// Loads one JWK (public or private) from a file.
Result<jose::Jwk> LoadJwk(std::string_view path);
// Loads a JWK Set, or a single JWK as a set of one; *is_set (if given) says which it was.
Result<jose::Jwks> LoadKeys(std::string_view path, bool* is_set = nullptr);

// A compact token read from a file or stdin, surrounding whitespace removed.
Result<std::string> ReadToken(std::string_view path);

// The signature algorithm for signing with `key`: `flag` if given, else the key's "alg", else the
// one algorithm its curve implies (ES256/ES384/ES512/EdDSA). RSA keys without an alg need a flag.
// InvalidArgument "usage" when nothing fits (a usage error).
Result<crypto::SignatureAlgorithm> ChooseSigningAlg(const jose::Jwk& key, std::string_view flag);
// The algorithms a verifier accepts: the flags if any (InvalidArgument "usage" for an unknown
// name), else every algorithm that fits at least one of the keys.
Result<std::vector<crypto::SignatureAlgorithm>> ChooseVerifyAlgs(
    const jose::Jwks& keys, const std::vector<std::string>& flags);

// Key management for encrypting to `key`: `flag` if given, else the key's "alg" if it names a JWE
// algorithm, else ECDH-ES+A256KW for EC/X25519 keys and RSA-OAEP-256 for RSA keys.
Result<jose::JweAlg> ChooseEncryptionAlg(const jose::Jwk& key, std::string_view flag);

// True when `bytes` is well-formed UTF-8 (so it can travel as a JSON string).
bool IsValidUtf8(std::string_view bytes);
// Adds a payload to a --json result: as JSON when it parses as (bounded) JSON, else as a string
// when it is UTF-8, else base64url-encoded under `name` + "_b64url".
void AddPayload(boost::json::object& out, std::string_view name, std::string_view bytes);
// What verify/decrypt print for an opened token: the raw payload, or with --json
// {"header": ..., "<name>": payload (as AddPayload adds it)} and a newline.
std::string FormatOpened(const boost::json::object& header, std::string_view name,
                         std::string_view payload, bool json);

// Prints "accord jose <command>: <message> [<reason>]" to stderr and returns kExitFailed.
int Fail(std::string_view command, const Status& status);
// Prints "accord jose <command>: <message>" and a --help hint to stderr; returns kExitUsage.
int Usage(std::string_view command, std::string_view message);
// Fail() or Usage() depending on whether the status is a usage error (reason "usage").
int Report(std::string_view command, const Status& status);

// A Status that Report() treats as a usage error.
Status UsageError(std::string message);

}  // namespace accord::app::jose_cli

#endif  // ACCORD_APP_JOSE_IO_H_
