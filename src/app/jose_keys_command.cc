// `accord jose keygen | public | thumbprint | jwks`: key generation and inspection.
//
// keygen writes the private JWK (mode 0600 when --out names a file) and optionally the public JWK;
// the kid defaults to the RFC 7638 thumbprint. public prints the public half of a JWK or JWK Set,
// thumbprint the RFC 7638 (or, with --uri, RFC 9278) thumbprint, and jwks assembles the public keys
// of several files into one JWK Set for publication.
#include <memory>

#include "app/jose_io.h"
#include "crypto/keys.h"

namespace accord::app::jose_cli {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;

struct KeygenFlags {
  std::string kty = "EC";
  std::string crv;
  std::string bits = "2048";
  std::string alg;
  std::string use;
  std::string kid;
  std::string out = "-";
  std::string public_out;
};

Result<int> ParseBits(std::string_view text) {
  int bits = 0;
  if (text.empty() || text.size() > 5) return UsageError("--bits must be a number");
  for (char c : text) {
    if (c < '0' || c > '9') return UsageError("--bits must be a number");
    bits = bits * 10 + (c - '0');
  }
  if (bits < kMinRsaBits || bits > kMaxRsaBits || bits % 8 != 0) {
    return UsageError("--bits must be a multiple of 8 from 2048 to 8192");
  }
  return bits;
}

Result<crypto::PrivateKey> GenerateKey(const KeygenFlags& flags) {
  if (flags.kty == "RSA") {
    if (!flags.crv.empty()) return UsageError("--crv does not apply to RSA keys");
    ACCORD_ASSIGN_OR_RETURN(int bits, ParseBits(flags.bits));
    return crypto::PrivateKey::GenerateRsa(bits);
  }
  if (flags.kty == "EC") {
    auto curve = crypto::CurveFromName(flags.crv.empty() ? "P-256" : flags.crv);
    if (!curve.ok() || (*curve != crypto::Curve::kP256 && *curve != crypto::Curve::kP384 &&
                        *curve != crypto::Curve::kP521)) {
      return UsageError("EC keys need --crv P-256, P-384 or P-521");
    }
    return crypto::PrivateKey::GenerateEc(*curve);
  }
  if (flags.kty == "OKP") {
    auto curve = crypto::CurveFromName(flags.crv.empty() ? "Ed25519" : flags.crv);
    if (!curve.ok() || (*curve != crypto::Curve::kEd25519 && *curve != crypto::Curve::kX25519)) {
      return UsageError("OKP keys need --crv Ed25519 or X25519");
    }
    return crypto::PrivateKey::GenerateOkp(*curve);
  }
  return UsageError("--kty must be EC, RSA or OKP");
}

// Checks --use and --alg against the key: a signing alg needs a key that can sign with it, a JWE
// alg a key that can agree keys or decrypt, and --use must agree with --alg.
Status CheckMetadata(const jose::Jwk& key, const KeygenFlags& flags) {
  if (!flags.use.empty() && flags.use != "sig" && flags.use != "enc") {
    return UsageError("--use must be sig or enc");
  }
  const bool can_sign = key.curve() != crypto::Curve::kX25519;
  const bool can_encrypt = key.curve() != crypto::Curve::kEd25519;
  if (flags.use == "sig" && !can_sign) return UsageError("an X25519 key cannot have use sig");
  if (flags.use == "enc" && !can_encrypt) return UsageError("an Ed25519 key cannot have use enc");
  if (flags.alg.empty()) return Status::Ok();
  if (auto sig = crypto::SignatureAlgorithmFromJwa(flags.alg); sig.ok()) {
    if (flags.use == "enc") return UsageError("--alg names a signature algorithm but --use is enc");
    if (!crypto::CheckKeyForAlgorithm(key.type(), key.curve(), *sig).ok()) {
      return UsageError("--alg does not fit this key type or curve");
    }
    return Status::Ok();
  }
  if (auto enc = jose::JweAlgFromName(flags.alg); enc.ok()) {
    if (flags.use == "sig") return UsageError("--alg names a JWE algorithm but --use is sig");
    const bool rsa_alg = *enc == jose::JweAlg::kRsaOaep256;
    if (!can_encrypt || rsa_alg != (key.type() == crypto::KeyType::kRsa)) {
      return UsageError("--alg does not fit this key type or curve");
    }
    return Status::Ok();
  }
  return UsageError("--alg is not a supported JWS or JWE algorithm");
}

int RunKeygen(const KeygenFlags& flags) {
  auto private_key = GenerateKey(flags);
  if (!private_key.ok()) return Report("keygen", private_key.status());
  jose::Jwk key = jose::Jwk::FromPrivateKey(std::move(private_key).value());
  if (Status s = CheckMetadata(key, flags); !s.ok()) return Report("keygen", s);
  key.set_alg(flags.alg);
  key.set_use(flags.use);
  if (flags.kid.empty()) {
    key.SetKidToThumbprint();
  } else {
    key.set_kid(flags.kid);
  }
  auto private_json = key.ToPrivateJson();
  if (!private_json.ok()) return Fail("keygen", private_json.status());
  std::string text(AsStringView(private_json->view()));
  text += "\n";
  Status written = WriteOutput(flags.out, text, /*private_file=*/true);
  std::fill(text.begin(), text.end(), '\0');
  if (!written.ok()) return Fail("keygen", written);
  if (!flags.public_out.empty()) {
    written = WriteOutput(flags.public_out, key.ToPublicJson() + "\n", /*private_file=*/false);
    if (!written.ok()) return Fail("keygen", written);
  }
  return kExitOk;
}

int RunPublic(const std::string& key_path, const std::string& out) {
  bool is_set = false;
  auto keys = LoadKeys(key_path, &is_set);
  if (!keys.ok()) return Fail("public", keys.status());
  // A file holding one JWK (not a set) prints one public JWK.
  std::string json = is_set ? keys->ToPublicJson() : keys->keys().front().ToPublicJson();
  if (Status s = WriteOutput(out, json + "\n", /*private_file=*/false); !s.ok()) {
    return Fail("public", s);
  }
  return kExitOk;
}

int RunThumbprint(const std::string& key_path, bool uri) {
  auto key = LoadJwk(key_path);
  if (!key.ok()) return Fail("thumbprint", key.status());
  std::string line = (uri ? key->ThumbprintUri() : key->Thumbprint()) + "\n";
  if (Status s = WriteOutput("-", line, false); !s.ok()) return Fail("thumbprint", s);
  return kExitOk;
}

int RunJwks(const std::vector<std::string>& paths, const std::string& out) {
  if (paths.empty()) return Usage("jwks", "name at least one JWK or JWKS file");
  jose::Jwks set;
  for (const std::string& path : paths) {
    auto keys = LoadKeys(path);
    if (!keys.ok()) return Fail("jwks", keys.status());
    for (const jose::Jwk& key : keys->keys()) {
      if (set.size() >= jose::kMaxJwksKeys) {
        return Fail("jwks", OutOfRange("more than " + std::to_string(jose::kMaxJwksKeys) + " keys",
                                       "too_many_keys"));
      }
      set.Add(key.PublicOnly());
    }
  }
  if (Status s = WriteOutput(out, set.ToPublicJson() + "\n", false); !s.ok()) {
    return Fail("jwks", s);
  }
  return kExitOk;
}

}  // namespace

void AddKeyCommands(CLI::App& jose, Action& action) {
  auto flags = std::make_shared<KeygenFlags>();
  CLI::App* keygen = jose.add_subcommand("keygen", "Generate a private JWK (kid: RFC 7638 thumbprint)");
  keygen->add_option("--kty", flags->kty, "Key type: EC, RSA or OKP")->capture_default_str();
  keygen->add_option("--crv", flags->crv,
                     "Curve: P-256 (EC default), P-384, P-521, Ed25519 (OKP default), X25519");
  keygen->add_option("--bits", flags->bits, "RSA modulus size (2048-8192)")->capture_default_str();
  keygen->add_option("--alg", flags->alg, "Intended algorithm, recorded in the JWK (e.g. ES256)");
  keygen->add_option("--use", flags->use, "Intended use, recorded in the JWK: sig or enc");
  keygen->add_option("--kid", flags->kid, "Key id (default: the RFC 7638 thumbprint)");
  keygen->add_option("--out", flags->out, "Private JWK file, written with mode 0600 (- stdout)")
      ->capture_default_str();
  keygen->add_option("--public-out", flags->public_out, "Also write the public JWK to this file");
  keygen->callback([flags, &action] { action = [flags] { return RunKeygen(*flags); }; });

  auto key_path = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>("-");
  CLI::App* pub = jose.add_subcommand("public", "Print the public half of a JWK or JWK Set");
  pub->add_option("--key", *key_path, "JWK or JWKS file (- stdin)");
  pub->add_option("--out", *out, "Output file (- stdout)")->capture_default_str();
  pub->callback([key_path, out, &action] {
    action = [key_path, out] {
      if (key_path->empty()) return Usage("public", "--key is required");
      return RunPublic(*key_path, *out);
    };
  });

  auto tp_path = std::make_shared<std::string>();
  auto uri = std::make_shared<bool>(false);
  CLI::App* tp = jose.add_subcommand("thumbprint", "Print a JWK's RFC 7638 SHA-256 thumbprint");
  tp->add_option("--key", *tp_path, "JWK file (- stdin)");
  tp->add_flag("--uri", *uri, "Print the RFC 9278 thumbprint URI instead");
  tp->callback([tp_path, uri, &action] {
    action = [tp_path, uri] {
      if (tp_path->empty()) return Usage("thumbprint", "--key is required");
      return RunThumbprint(*tp_path, *uri);
    };
  });

  auto paths = std::make_shared<std::vector<std::string>>();
  auto jwks_out = std::make_shared<std::string>("-");
  CLI::App* jwks = jose.add_subcommand("jwks", "Combine the public keys of JWK/JWKS files into a JWKS");
  jwks->add_option("files", *paths, "JWK or JWKS files");
  jwks->add_option("--out", *jwks_out, "Output file (- stdout)")->capture_default_str();
  jwks->callback([paths, jwks_out, &action] {
    action = [paths, jwks_out] { return RunJwks(*paths, *jwks_out); };
  });
}

}  // namespace accord::app::jose_cli
