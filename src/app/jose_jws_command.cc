// `accord jose sign | verify`: compact JWS (and, with --jwt, JWT claim checks) from the command line.
//
// verify prints the verified payload (raw bytes), or with --json a JSON object {"header", "payload"}
// (claims with --jwt). Without --alg the accepted algorithms are those the key(s) allow, so the
// algorithm always comes from the key side, never from the token alone.
#include <boost/json/serialize.hpp>
#include <memory>

#include "app/jose_io.h"
#include "common/clock.h"
#include "common/json.h"
#include "jose/jws.h"
#include "jose/jwt.h"

namespace accord::app::jose_cli {
namespace {

struct SignFlags {
  std::string key;
  std::string alg;
  std::string typ;
  std::string header;
  std::string input = "-";
};

struct VerifyFlags {
  std::string key;
  std::string jwks;
  std::vector<std::string> algs;
  bool jwt = false;
  std::string iss, aud, typ, max_age, skew;
  bool allow_missing_exp = false;
  bool json = false;
  std::string input = "-";
};

Result<int64_t> ParseSeconds(std::string_view flag, std::string_view text) {
  int64_t value = 0;
  if (text.empty() || text.size() > 9) return UsageError(std::string(flag) + " must be seconds");
  for (char c : text) {
    if (c < '0' || c > '9') return UsageError(std::string(flag) + " must be seconds");
    value = value * 10 + (c - '0');
  }
  return value;
}

int RunSign(const SignFlags& flags) {
  if (flags.key.empty()) return Usage("sign", "--key is required");
  if (flags.key == "-" && flags.input == "-") {
    return Usage("sign", "the key and the payload cannot both come from stdin");
  }
  boost::json::object extra;
  if (!flags.header.empty()) {
    auto header = ParseJsonObject(flags.header, JsonLimits{jose::kMaxHeaderBytes,
                                                           jose::kMaxJsonDepth, false});
    if (!header.ok()) return Usage("sign", "--header must be a JSON object");
    extra = std::move(header).value();
  }
  if (!flags.typ.empty()) extra["typ"] = flags.typ;
  auto key = LoadJwk(flags.key);
  if (!key.ok()) return Fail("sign", key.status());
  auto alg = ChooseSigningAlg(*key, flags.alg);
  if (!alg.ok()) return Report("sign", alg.status());
  auto signer = jose::JwsSigner::Create(std::move(key).value(), *alg);
  if (!signer.ok()) return Fail("sign", signer.status());
  auto payload = ReadInput(flags.input, kMaxPayloadBytes);
  if (!payload.ok()) return Fail("sign", payload.status());
  auto token = signer->Sign(AsBytes(*payload), extra);
  if (!token.ok()) return Report("sign", token.status());
  if (Status s = WriteOutput("-", *token + "\n", false); !s.ok()) return Fail("sign", s);
  return kExitOk;
}

Result<jose::JwtValidator> BuildValidator(const VerifyFlags& flags) {
  jose::JwtValidator::Builder builder;
  // Checks that were not asked for are ignored rather than rejected when present.
  if (flags.iss.empty()) {
    builder.IgnoreIssuer();
  } else {
    builder.ExpectIssuer(flags.iss);
  }
  if (flags.aud.empty()) {
    builder.IgnoreAudiences();
  } else {
    builder.ExpectAudience(flags.aud);
  }
  if (flags.typ.empty()) {
    builder.IgnoreTypeHeader();
  } else {
    builder.ExpectTypeHeader(flags.typ);
  }
  if (flags.allow_missing_exp) builder.AllowMissingExpirationUnsafe();
  if (!flags.max_age.empty()) {
    ACCORD_ASSIGN_OR_RETURN(int64_t max_age, ParseSeconds("--max-age", flags.max_age));
    if (max_age <= 0) return UsageError("--max-age must be positive");
    builder.SetMaxAgeSeconds(max_age);
  }
  if (!flags.skew.empty()) {
    ACCORD_ASSIGN_OR_RETURN(int64_t skew, ParseSeconds("--skew", flags.skew));
    if (skew > jose::kMaxClockSkewSeconds) return UsageError("--skew must be at most 300");
    builder.SetClockSkewSeconds(skew);
  }
  builder.SetClock(SystemClock::Instance());
  auto validator = builder.Build();
  if (!validator.ok()) return UsageError("invalid JWT checks: " + validator.status().message());
  return std::move(validator).value();
}

int RunVerify(VerifyFlags flags) {
  if (flags.key.empty() == flags.jwks.empty()) {
    return Usage("verify", "give exactly one of --key and --jwks");
  }
  const std::string& key_path = flags.key.empty() ? flags.jwks : flags.key;
  if (key_path == "-" && flags.input == "-") {
    return Usage("verify", "the key and the token cannot both come from stdin");
  }
  if (!flags.iss.empty() || !flags.aud.empty() || !flags.typ.empty() || !flags.max_age.empty() ||
      !flags.skew.empty() || flags.allow_missing_exp) {
    flags.jwt = true;
  }
  std::optional<jose::JwtValidator> validator;
  if (flags.jwt) {
    auto built = BuildValidator(flags);
    if (!built.ok()) return Report("verify", built.status());
    validator.emplace(std::move(built).value());
  }
  auto keys = LoadKeys(key_path);
  if (!keys.ok()) return Fail("verify", keys.status());
  auto algs = ChooseVerifyAlgs(*keys, flags.algs);
  if (!algs.ok()) return Report("verify", algs.status());
  jose::JwsVerifyOptions options;
  options.allowed_algs = std::move(algs).value();
  options.max_token_bytes = jose::kHardMaxTokenBytes;
  auto verifier = jose::JwsVerifier::Create(std::move(keys).value(), std::move(options));
  if (!verifier.ok()) return Fail("verify", verifier.status());
  auto token = ReadToken(flags.input);
  if (!token.ok()) return Fail("verify", token.status());

  std::string output;
  if (validator) {
    jose::JwtVerifier jwt_verifier(std::move(verifier).value(), std::move(*validator));
    auto jwt = jwt_verifier.Verify(*token);
    if (!jwt.ok()) return Fail("verify", jwt.status());
    if (flags.json) {
      output = boost::json::serialize(boost::json::object{{"header", jwt->header()},
                                                          {"payload", jwt->claims()}});
    } else {
      output = boost::json::serialize(jwt->claims());
    }
    output += "\n";
  } else {
    auto jws = verifier->Verify(*token);
    if (!jws.ok()) return Fail("verify", jws.status());
    output = FormatOpened(jws->header(), "payload", jws->payload_string(), flags.json);
  }
  if (Status s = WriteOutput("-", output, false); !s.ok()) return Fail("verify", s);
  return kExitOk;
}

}  // namespace

void AddJwsCommands(CLI::App& jose, Action& action) {
  auto sf = std::make_shared<SignFlags>();
  CLI::App* sign = jose.add_subcommand("sign", "Sign a payload as a compact JWS");
  sign->add_option("--key", sf->key, "Private JWK file");
  sign->add_option("--alg", sf->alg, "ES256, ES384, ES512, PS256, PS384, PS512, RS256 or EdDSA "
                                     "(default: the key's alg, or implied by its curve)");
  sign->add_option("--typ", sf->typ, "\"typ\" header, e.g. JWT");
  sign->add_option("--header", sf->header, "Extra protected header members as a JSON object");
  sign->add_option("payload", sf->input, "Payload file (- stdin)")->capture_default_str();
  sign->callback([sf, &action] { action = [sf] { return RunSign(*sf); }; });

  auto vf = std::make_shared<VerifyFlags>();
  CLI::App* verify = jose.add_subcommand(
      "verify", "Verify a compact JWS and print its payload (exit 1 when verification fails)");
  verify->add_option("--key", vf->key, "Public (or private) JWK file");
  verify->add_option("--jwks", vf->jwks, "JWK Set file (the token's kid selects the key)");
  verify->add_option("--alg", vf->algs, "Accepted algorithm (repeatable; default: what the keys allow)")
      ->allow_extra_args(false);
  verify->add_flag("--jwt", vf->jwt, "Check JWT claims (exp, nbf, iat) and print the claims");
  verify->add_option("--iss", vf->iss, "Expected issuer (implies --jwt)");
  verify->add_option("--aud", vf->aud, "Expected audience (implies --jwt)");
  verify->add_option("--typ", vf->typ, "Expected typ header (implies --jwt)");
  verify->add_option("--max-age", vf->max_age, "Maximum age from iat in seconds (implies --jwt)");
  verify->add_option("--skew", vf->skew, "Clock skew in seconds, at most 300 (implies --jwt)");
  verify->add_flag("--allow-missing-exp", vf->allow_missing_exp,
                   "Accept a JWT without exp (unsafe; implies --jwt)");
  verify->add_flag("--json", vf->json, "Print {\"header\":...,\"payload\":...} as JSON");
  verify->add_option("token", vf->input, "Token file (- stdin)")->capture_default_str();
  verify->callback([vf, &action] { action = [vf] { return RunVerify(*vf); }; });
}

}  // namespace accord::app::jose_cli
