// `accord jose encrypt | decrypt`: compact JWE from the command line.
//
// decrypt prints the plaintext, or with --json {"header", "plaintext"}. With --verify-key or
// --verify-jwks the plaintext must be a nested JWT (cty "JWT", as Singpass sends ID tokens): it is
// verified as a JWS and its payload printed instead. Without --alg/--enc every supported algorithm
// is accepted that fits the decryption key; name them to pin a profile.
#include <boost/json/serialize.hpp>
#include <memory>

#include "app/jose_io.h"
#include "jose/jwe.h"
#include "jose/jws.h"

namespace accord::app::jose_cli {
namespace {

constexpr jose::JweAlg kAllAlgs[] = {jose::JweAlg::kEcdhEs, jose::JweAlg::kEcdhEsA128Kw,
                                     jose::JweAlg::kEcdhEsA192Kw, jose::JweAlg::kEcdhEsA256Kw,
                                     jose::JweAlg::kRsaOaep256};
constexpr jose::JweEnc kAllEncs[] = {jose::JweEnc::kA128Gcm,      jose::JweEnc::kA192Gcm,
                                     jose::JweEnc::kA256Gcm,      jose::JweEnc::kA128CbcHs256,
                                     jose::JweEnc::kA192CbcHs384, jose::JweEnc::kA256CbcHs512};

struct EncryptFlags {
  std::string key;
  std::string alg;
  std::string enc = "A256GCM";
  std::string cty;
  std::string typ;
  std::string input = "-";
};

struct DecryptFlags {
  std::string key;
  std::string jwks;
  std::vector<std::string> algs;
  std::vector<std::string> encs;
  std::string verify_key;
  std::string verify_jwks;
  bool json = false;
  std::string input = "-";
};

int RunEncrypt(const EncryptFlags& flags) {
  if (flags.key.empty()) return Usage("encrypt", "--key is required");
  if (flags.key == "-" && flags.input == "-") {
    return Usage("encrypt", "the key and the plaintext cannot both come from stdin");
  }
  auto enc = jose::JweEncFromName(flags.enc);
  if (!enc.ok()) {
    return Usage("encrypt", "unsupported --enc (use A128GCM, A192GCM, A256GCM, A128CBC-HS256, "
                            "A192CBC-HS384 or A256CBC-HS512)");
  }
  auto key = LoadJwk(flags.key);
  if (!key.ok()) return Fail("encrypt", key.status());
  auto alg = ChooseEncryptionAlg(*key, flags.alg);
  if (!alg.ok()) return Report("encrypt", alg.status());
  auto encrypter = jose::JweEncrypter::Create(key->PublicOnly(), *alg, *enc);
  if (!encrypter.ok()) return Fail("encrypt", encrypter.status());
  auto plaintext = ReadInput(flags.input, kMaxPayloadBytes);
  if (!plaintext.ok()) return Fail("encrypt", plaintext.status());
  jose::JweHeaderOptions options;
  options.cty = flags.cty;
  options.typ = flags.typ;
  auto token = encrypter->Encrypt(AsBytes(*plaintext), options);
  if (!token.ok()) return Fail("encrypt", token.status());
  if (Status s = WriteOutput("-", *token + "\n", false); !s.ok()) return Fail("encrypt", s);
  return kExitOk;
}

Result<jose::JweDecryptOptions> DecryptOptions(const DecryptFlags& flags) {
  jose::JweDecryptOptions options;
  for (const std::string& name : flags.algs) {
    auto alg = jose::JweAlgFromName(name);
    if (!alg.ok()) return UsageError("unsupported key management algorithm in --alg");
    options.allowed_algs.push_back(*alg);
  }
  for (const std::string& name : flags.encs) {
    auto enc = jose::JweEncFromName(name);
    if (!enc.ok()) return UsageError("unsupported content encryption in --enc");
    options.allowed_encs.push_back(*enc);
  }
  if (options.allowed_algs.empty()) options.allowed_algs.assign(std::begin(kAllAlgs), std::end(kAllAlgs));
  if (options.allowed_encs.empty()) options.allowed_encs.assign(std::begin(kAllEncs), std::end(kAllEncs));
  options.max_token_bytes = jose::kHardMaxTokenBytes;
  return options;
}

Result<jose::JwsVerifier> NestedVerifier(const std::string& path) {
  ACCORD_ASSIGN_OR_RETURN(jose::Jwks keys, LoadKeys(path));
  ACCORD_ASSIGN_OR_RETURN(auto algs, ChooseVerifyAlgs(keys, {}));
  jose::JwsVerifyOptions options;
  options.allowed_algs = std::move(algs);
  options.max_token_bytes = jose::kHardMaxTokenBytes;
  return jose::JwsVerifier::Create(std::move(keys), std::move(options));
}

int RunDecrypt(const DecryptFlags& flags) {
  if (flags.key.empty() == flags.jwks.empty()) {
    return Usage("decrypt", "give exactly one of --key and --jwks");
  }
  if (!flags.verify_key.empty() && !flags.verify_jwks.empty()) {
    return Usage("decrypt", "give at most one of --verify-key and --verify-jwks");
  }
  const std::string& key_path = flags.key.empty() ? flags.jwks : flags.key;
  const std::string& verify_path = flags.verify_key.empty() ? flags.verify_jwks : flags.verify_key;
  if (flags.input == "-" && (key_path == "-" || verify_path == "-")) {
    return Usage("decrypt", "the keys and the token cannot both come from stdin");
  }
  auto options = DecryptOptions(flags);
  if (!options.ok()) return Report("decrypt", options.status());
  auto keys = LoadKeys(key_path);
  if (!keys.ok()) return Fail("decrypt", keys.status());
  auto decrypter = jose::JweDecrypter::Create(std::move(keys).value(), std::move(options).value());
  if (!decrypter.ok()) return Fail("decrypt", decrypter.status());
  auto token = ReadToken(flags.input);
  if (!token.ok()) return Fail("decrypt", token.status());

  std::string output;
  if (!verify_path.empty()) {
    auto verifier = NestedVerifier(verify_path);
    if (!verifier.ok()) return Report("decrypt", verifier.status());
    auto jws = jose::DecryptAndVerifyNested(*decrypter, *verifier, *token);
    if (!jws.ok()) return Fail("decrypt", jws.status());
    output = FormatOpened(jws->header(), "payload", jws->payload_string(), flags.json);
  } else {
    auto jwe = decrypter->Decrypt(*token);
    if (!jwe.ok()) return Fail("decrypt", jwe.status());
    output = FormatOpened(jwe->header(), "plaintext", jwe->plaintext_string(), flags.json);
  }
  if (Status s = WriteOutput("-", output, false); !s.ok()) return Fail("decrypt", s);
  return kExitOk;
}

}  // namespace

void AddJweCommands(CLI::App& jose, Action& action) {
  auto ef = std::make_shared<EncryptFlags>();
  CLI::App* encrypt = jose.add_subcommand("encrypt", "Encrypt to a public JWK as a compact JWE");
  encrypt->add_option("--key", ef->key, "Recipient JWK file (its public half is used)");
  encrypt->add_option("--alg", ef->alg,
                      "ECDH-ES, ECDH-ES+A128KW, ECDH-ES+A192KW, ECDH-ES+A256KW or RSA-OAEP-256 "
                      "(default: the key's alg, else ECDH-ES+A256KW or RSA-OAEP-256)");
  encrypt->add_option("--enc", ef->enc, "Content encryption, e.g. A256CBC-HS512")
      ->capture_default_str();
  encrypt->add_option("--cty", ef->cty, "\"cty\" header (JWT for a nested JWT)");
  encrypt->add_option("--typ", ef->typ, "\"typ\" header");
  encrypt->add_option("plaintext", ef->input, "Plaintext file (- stdin)")->capture_default_str();
  encrypt->callback([ef, &action] { action = [ef] { return RunEncrypt(*ef); }; });

  auto df = std::make_shared<DecryptFlags>();
  CLI::App* decrypt = jose.add_subcommand(
      "decrypt", "Decrypt a compact JWE and print the plaintext (exit 1 when decryption fails)");
  decrypt->add_option("--key", df->key, "Private JWK file");
  decrypt->add_option("--jwks", df->jwks, "Private JWK Set file (the token's kid selects the key)");
  decrypt->add_option("--alg", df->algs, "Accepted key management algorithm (repeatable)")
      ->allow_extra_args(false);
  decrypt->add_option("--enc", df->encs, "Accepted content encryption (repeatable)")
      ->allow_extra_args(false);
  decrypt->add_option("--verify-key", df->verify_key,
                      "Nested JWT: verify the inner JWS with this JWK, print its payload");
  decrypt->add_option("--verify-jwks", df->verify_jwks, "Nested JWT: as --verify-key, with a JWKS");
  decrypt->add_flag("--json", df->json, "Print {\"header\":...,\"plaintext\":...} as JSON");
  decrypt->add_option("token", df->input, "Token file (- stdin)")->capture_default_str();
  decrypt->callback([df, &action] { action = [df] { return RunDecrypt(*df); }; });
}

}  // namespace accord::app::jose_cli
