// JOSE layer vs raw OpenSSL EVP, side by side in one binary, on the same keys and the same bytes:
// ES256, EdDSA and PS256 sign/verify (compact token in, verified payload out), and JWE
// ECDH-ES+A256KW / A256CBC-HS512 decryption. Pairs are named BM_<Op>_Jose and BM_<Op>_RawEvp;
// bench/jose/run.sh prints the JOSE/raw throughput ratio per operation (target: ES256 verify
// >= 0.9x raw).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "bench/jose/raw_evp.h"
#include "common/base64url.h"
#include "jose/jwe.h"
#include "jose/jwk.h"
#include "jose/jws.h"

namespace accord::bench {
namespace {

using crypto::SignatureAlgorithm;

// A typical ID token claim set (~300 bytes).
constexpr std::string_view kClaims =
    R"({"iss":"https://accord.example","sub":"c4a9d3e1-0b7f-4b8e-9d2a-6f1e2c3b4a5d",)"
    R"("aud":"https://rp.example/client","exp":4102444800,"iat":1767225600,)"
    R"("nonce":"n-0S6_WzA2Mj","auth_time":1767225590,"acr":"urn:accord:loa:high",)"
    R"("amr":["pwd","otp"],"sid":"08a5019c-17e1-4977-8f42-65a12843ea02"})";

[[noreturn]] void Die(std::string_view what, const Status& status) {
  std::cerr << "jose_bench setup failed: " << what << ": " << status.ToString() << "\n";
  std::abort();
}

template <typename T>
T Must(Result<T> result, std::string_view what) {
  if (!result.ok()) Die(what, result.status());
  return std::move(result).value();
}

// One signature algorithm's key, token and both implementations.
struct SigFixture {
  SigFixture(crypto::PrivateKey key, SignatureAlgorithm alg, RawSigKind kind)
      : jwk(jose::Jwk::FromPrivateKey(key)),
        signer(Must(jose::JwsSigner::Create(jwk, alg), "signer")),
        verifier(Must(jose::JwsVerifier::Create(jwk.PublicOnly(), {{alg}, {}, 
                                                                    jose::kDefaultMaxTokenBytes}),
                      "verifier")),
        token(Must(signer.Sign(kClaims), "sign")),
        raw_signer(kind, key),
        raw_verifier(kind, key.public_key()) {
    const size_t last_dot = token.rfind('.');
    signing_input = ToBytes(std::string_view(token).substr(0, last_dot));
    Bytes jose_sig = Must(Base64UrlDecode(std::string_view(token).substr(last_dot + 1)), "sig");
    raw_signature = kind == RawSigKind::kEcdsaSha256 ? JoseEcdsaToDer(jose_sig) : jose_sig;
    if (!raw_verifier.Verify(signing_input, raw_signature)) {
      Die("raw verify of the JOSE token", Internal("mismatch"));
    }
  }
  jose::Jwk jwk;
  jose::JwsSigner signer;
  jose::JwsVerifier verifier;
  std::string token;
  Bytes signing_input, raw_signature;
  RawSigner raw_signer;
  RawVerifier raw_verifier;
};

SigFixture& Es256() {
  static SigFixture* f = new SigFixture(
      Must(crypto::PrivateKey::GenerateEc(crypto::Curve::kP256), "keygen"),
      SignatureAlgorithm::kEs256, RawSigKind::kEcdsaSha256);
  return *f;
}
SigFixture& EdDsa() {
  static SigFixture* f = new SigFixture(
      Must(crypto::PrivateKey::GenerateOkp(crypto::Curve::kEd25519), "keygen"),
      SignatureAlgorithm::kEdDsa, RawSigKind::kEd25519);
  return *f;
}
SigFixture& Ps256() {
  static SigFixture* f = new SigFixture(Must(crypto::PrivateKey::GenerateRsa(2048), "keygen"),
                                        SignatureAlgorithm::kPs256, RawSigKind::kRsaPssSha256);
  return *f;
}

void VerifyJose(benchmark::State& state, SigFixture& f) {
  for (auto _ : state) {
    auto verified = f.verifier.Verify(f.token);
    if (!verified.ok()) state.SkipWithError("JOSE verify failed");
    benchmark::DoNotOptimize(verified);
  }
  state.SetItemsProcessed(state.iterations());
}
void VerifyRaw(benchmark::State& state, SigFixture& f) {
  for (auto _ : state) {
    bool ok = f.raw_verifier.Verify(f.signing_input, f.raw_signature);
    if (!ok) state.SkipWithError("raw verify failed");
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations());
}
void SignJose(benchmark::State& state, SigFixture& f) {
  for (auto _ : state) {
    auto token = f.signer.Sign(kClaims);
    if (!token.ok()) state.SkipWithError("JOSE sign failed");
    benchmark::DoNotOptimize(token);
  }
  state.SetItemsProcessed(state.iterations());
}
void SignRaw(benchmark::State& state, SigFixture& f) {
  for (auto _ : state) {
    size_t len = f.raw_signer.Sign(f.signing_input);
    if (len == 0) state.SkipWithError("raw sign failed");
    benchmark::DoNotOptimize(len);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Es256Verify_Jose(benchmark::State& s) { VerifyJose(s, Es256()); }
void BM_Es256Verify_RawEvp(benchmark::State& s) { VerifyRaw(s, Es256()); }
void BM_Es256Sign_Jose(benchmark::State& s) { SignJose(s, Es256()); }
void BM_Es256Sign_RawEvp(benchmark::State& s) { SignRaw(s, Es256()); }
void BM_EdDsaVerify_Jose(benchmark::State& s) { VerifyJose(s, EdDsa()); }
void BM_EdDsaVerify_RawEvp(benchmark::State& s) { VerifyRaw(s, EdDsa()); }
void BM_EdDsaSign_Jose(benchmark::State& s) { SignJose(s, EdDsa()); }
void BM_EdDsaSign_RawEvp(benchmark::State& s) { SignRaw(s, EdDsa()); }
void BM_Ps256Verify_Jose(benchmark::State& s) { VerifyJose(s, Ps256()); }
void BM_Ps256Verify_RawEvp(benchmark::State& s) { VerifyRaw(s, Ps256()); }
void BM_Ps256Sign_Jose(benchmark::State& s) { SignJose(s, Ps256()); }
void BM_Ps256Sign_RawEvp(benchmark::State& s) { SignRaw(s, Ps256()); }

BENCHMARK(BM_Es256Verify_Jose);
BENCHMARK(BM_Es256Verify_RawEvp);
BENCHMARK(BM_Es256Sign_Jose);
BENCHMARK(BM_Es256Sign_RawEvp);
BENCHMARK(BM_EdDsaVerify_Jose);
BENCHMARK(BM_EdDsaVerify_RawEvp);
BENCHMARK(BM_EdDsaSign_Jose);
BENCHMARK(BM_EdDsaSign_RawEvp);
BENCHMARK(BM_Ps256Verify_Jose);
BENCHMARK(BM_Ps256Verify_RawEvp);
BENCHMARK(BM_Ps256Sign_Jose);
BENCHMARK(BM_Ps256Sign_RawEvp);

// JWE ECDH-ES+A256KW / A256CBC-HS512 on P-256 (the Singpass ID token encryption profile).
struct JweFixture {
  JweFixture()
      : key(Must(crypto::PrivateKey::GenerateEc(crypto::Curve::kP256), "keygen")),
        jwk(jose::Jwk::FromPrivateKey(key)),
        token(Must(Must(jose::JweEncrypter::Create(jwk.PublicOnly(), jose::JweAlg::kEcdhEsA256Kw,
                                                   jose::JweEnc::kA256CbcHs512),
                        "encrypter")
                       .Encrypt(kClaims),
                   "encrypt")),
        decrypter(Must(jose::JweDecrypter::Create(
                           jwk, {{jose::JweAlg::kEcdhEsA256Kw},
                                 {jose::JweEnc::kA256CbcHs512}, {}, jose::kDefaultMaxTokenBytes}),
                       "decrypter")),
        raw(key, token) {
    Bytes plaintext;
    if (!raw.ok() || !raw.Decrypt(&plaintext) || AsStringView(plaintext) != kClaims) {
      Die("raw JWE decryption of the JOSE token", Internal("mismatch"));
    }
  }
  crypto::PrivateKey key;
  jose::Jwk jwk;
  std::string token;
  jose::JweDecrypter decrypter;
  RawEcdhEsA256KwCbcHs512Decrypter raw;
};

JweFixture& Jwe() {
  static JweFixture* f = new JweFixture();
  return *f;
}

void BM_JweEcdhEsA256KwDecrypt_Jose(benchmark::State& state) {
  JweFixture& f = Jwe();
  for (auto _ : state) {
    auto decrypted = f.decrypter.Decrypt(f.token);
    if (!decrypted.ok()) state.SkipWithError("JOSE decrypt failed");
    benchmark::DoNotOptimize(decrypted);
  }
  state.SetItemsProcessed(state.iterations());
}
void BM_JweEcdhEsA256KwDecrypt_RawEvp(benchmark::State& state) {
  JweFixture& f = Jwe();
  Bytes plaintext;
  for (auto _ : state) {
    if (!f.raw.Decrypt(&plaintext)) state.SkipWithError("raw decrypt failed");
    benchmark::DoNotOptimize(plaintext);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JweEcdhEsA256KwDecrypt_Jose);
BENCHMARK(BM_JweEcdhEsA256KwDecrypt_RawEvp);

}  // namespace
}  // namespace accord::bench

BENCHMARK_MAIN();
