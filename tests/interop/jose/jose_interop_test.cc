// Interop between accord_jose and the npm `jose` library (v6, tests/peers), both directions, every
// algorithm Accord supports: JWS ES256/ES384/ES512/PS256/PS384/PS512/RS256/EdDSA; JWE ECDH-ES,
// ECDH-ES+A128KW, ECDH-ES+A256KW on P-256/P-384/P-521/X25519 and RSA-OAEP-256, each with A256GCM,
// A128CBC-HS256 and A256CBC-HS512; the Singpass-shaped nested JWT; RFC 7638 thumbprints. Keys are
// generated on each side and exchanged as JWK. The peer is tests/interop/jose/peer.mjs run by node.
// A missing node or jose module fails the tests (never a silent pass).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/subprocess.h"
#include "crypto/keys.h"
#include "jose/jwe.h"
#include "jose/jwk.h"
#include "jose/jws.h"
#include "jose/jwt.h"

namespace accord::jose {
namespace {

using crypto::Curve;
using crypto::SignatureAlgorithm;
namespace json = boost::json;

const std::string kPeersDir = ACCORD_SOURCE_DIR "/tests/peers";
const std::string kPeerScript = ACCORD_SOURCE_DIR "/tests/interop/jose/peer.mjs";

// Runs one batch of ops in the peer; adds a test failure and returns an empty array on error.
json::array RunPeer(const json::array& ops) {
  const std::string node = testing::FindOnPath("node");
  if (node.empty()) {
    ADD_FAILURE() << "node is not on PATH: the jose interop tests need Node.js (scripts/setup.sh)";
    return {};
  }
  if (!std::filesystem::exists(kPeersDir + "/node_modules/jose/package.json")) {
    ADD_FAILURE() << "npm module jose is missing from " << kPeersDir
                  << "/node_modules: run `npm ci` in tests/peers";
    return {};
  }
  testing::ProcessResult r =
      testing::RunProcess({node, kPeerScript, kPeersDir}, json::serialize(json::object{{"ops", ops}}),
                          120);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "peer.mjs failed (exit " << r.exit_code << "): " << r.err;
    return {};
  }
  json::array results = json::parse(r.out).at("results").as_array();
  if (results.size() != ops.size()) {
    ADD_FAILURE() << "peer.mjs returned " << results.size() << " results for " << ops.size();
    return {};
  }
  return results;
}

std::string Str(const json::value& v) { return std::string(v.as_string()); }

json::value PublicJson(const Jwk& key) { return key.ToPublicJsonObject(); }
json::value PrivateJson(const Jwk& key) {
  auto secret = key.ToPrivateJson();
  EXPECT_TRUE(secret.ok()) << secret.status().ToString();
  return json::parse(AsStringView(secret->view()));
}

Jwk Generate(Curve curve) {
  auto key = curve == Curve::kEd25519 || curve == Curve::kX25519
                 ? crypto::PrivateKey::GenerateOkp(curve)
                 : crypto::PrivateKey::GenerateEc(curve);
  EXPECT_TRUE(key.ok()) << key.status().ToString();
  Jwk jwk = Jwk::FromPrivateKey(std::move(key).value());
  jwk.SetKidToThumbprint();
  return jwk;
}

Jwk GenerateRsa() {
  auto key = crypto::PrivateKey::GenerateRsa(2048);
  EXPECT_TRUE(key.ok()) << key.status().ToString();
  Jwk jwk = Jwk::FromPrivateKey(std::move(key).value());
  jwk.SetKidToThumbprint();
  return jwk;
}

struct SigCase {
  SignatureAlgorithm alg;
  std::string name;
  std::string crv;  // for the jose generator
};

const std::vector<SigCase>& SigCases() {
  static const std::vector<SigCase> cases = {
      {SignatureAlgorithm::kEs256, "ES256", ""}, {SignatureAlgorithm::kEs384, "ES384", ""},
      {SignatureAlgorithm::kEs512, "ES512", ""}, {SignatureAlgorithm::kPs256, "PS256", ""},
      {SignatureAlgorithm::kPs384, "PS384", ""}, {SignatureAlgorithm::kPs512, "PS512", ""},
      {SignatureAlgorithm::kRs256, "RS256", ""}, {SignatureAlgorithm::kEdDsa, "EdDSA", "Ed25519"},
  };
  return cases;
}

Jwk AccordKeyFor(SignatureAlgorithm alg, Jwk* rsa) {
  switch (alg) {
    case SignatureAlgorithm::kEs256: return Generate(Curve::kP256);
    case SignatureAlgorithm::kEs384: return Generate(Curve::kP384);
    case SignatureAlgorithm::kEs512: return Generate(Curve::kP521);
    case SignatureAlgorithm::kEdDsa: return Generate(Curve::kEd25519);
    default: return *rsa;
  }
}

struct EncCase {
  std::string alg, enc, crv;  // crv empty for RSA-OAEP-256
};

std::vector<EncCase> EncCases() {
  std::vector<EncCase> cases;
  for (const char* enc : {"A256GCM", "A128CBC-HS256", "A256CBC-HS512"}) {
    for (const char* alg : {"ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A256KW"}) {
      for (const char* crv : {"P-256", "P-384", "P-521", "X25519"}) cases.push_back({alg, enc, crv});
    }
    cases.push_back({"RSA-OAEP-256", enc, ""});
  }
  return cases;
}

std::string Tamper(std::string token, size_t segment) {
  size_t start = 0;
  for (size_t i = 0; i < segment; ++i) start = token.find('.', start) + 1;
  size_t end = token.find('.', start);
  if (end == std::string::npos) end = token.size();
  size_t pos = start + (end - start) / 2;
  token[pos] = token[pos] == 'A' ? 'B' : 'A';
  return token;
}

JwsVerifier VerifierFor(const Jwk& key, SignatureAlgorithm alg) {
  auto verifier = JwsVerifier::Create(key, JwsVerifyOptions{{alg}, {}, kDefaultMaxTokenBytes});
  EXPECT_TRUE(verifier.ok()) << verifier.status().ToString();
  return std::move(verifier).value();
}

JweDecrypter DecrypterFor(const Jwk& key, const EncCase& c) {
  auto alg = JweAlgFromName(c.alg);
  auto enc = JweEncFromName(c.enc);
  EXPECT_TRUE(alg.ok() && enc.ok());
  auto decrypter = JweDecrypter::Create(key, JweDecryptOptions{{*alg}, {*enc}, {}, kDefaultMaxTokenBytes});
  EXPECT_TRUE(decrypter.ok()) << decrypter.status().ToString();
  return std::move(decrypter).value();
}

TEST(JoseInteropTest, AccordSignedTokensVerifyInJoseAndTamperedOnesFail) {
  Jwk rsa = GenerateRsa();
  json::array ops;
  for (const SigCase& c : SigCases()) {
    Jwk key = AccordKeyFor(c.alg, &rsa);
    auto signer = JwsSigner::Create(key, c.alg);
    ASSERT_TRUE(signer.ok()) << c.name << ": " << signer.status().ToString();
    auto token = signer->Sign(std::string_view("accord says " + c.name));
    ASSERT_TRUE(token.ok()) << token.status().ToString();
    ops.push_back(json::object{{"op", "verify"}, {"jwk", PublicJson(key)}, {"alg", c.name},
                               {"token", *token}});
    ops.push_back(json::object{{"op", "verify"}, {"jwk", PublicJson(key)}, {"alg", c.name},
                               {"token", Tamper(*token, 2)}});
  }
  json::array results = RunPeer(ops);
  ASSERT_EQ(results.size(), ops.size());
  for (size_t i = 0; i < SigCases().size(); ++i) {
    const SigCase& c = SigCases()[i];
    SCOPED_TRACE(c.name);
    const json::object& good = results[2 * i].as_object();
    ASSERT_TRUE(good.at("ok").as_bool()) << json::serialize(good);
    EXPECT_EQ(Str(good.at("payload")), "accord says " + c.name);
    EXPECT_EQ(Str(good.at("header").at("alg")), c.name);
    EXPECT_FALSE(results[2 * i + 1].at("ok").as_bool()) << "tampered token accepted by jose";
  }
}

TEST(JoseInteropTest, JoseSignedTokensVerifyInAccordAndOtherKeysFail) {
  json::array generate;
  for (const SigCase& c : SigCases()) {
    json::object op{{"op", "generate"}, {"alg", c.name}};
    if (!c.crv.empty()) op["crv"] = c.crv;
    generate.push_back(op);
    generate.push_back(op);  // a second, unrelated key of the same kind
  }
  json::array keys = RunPeer(generate);
  ASSERT_EQ(keys.size(), generate.size());
  json::array sign;
  for (size_t i = 0; i < SigCases().size(); ++i) {
    const SigCase& c = SigCases()[i];
    json::object other_jwk = keys[2 * i + 1].at("private_jwk").as_object();
    other_jwk["kid"] = keys[2 * i].at("private_jwk").at("kid");  // same kid, different key
    sign.push_back(json::object{{"op", "sign"}, {"jwk", keys[2 * i].at("private_jwk")},
                                {"alg", c.name}, {"payload", "jose says " + c.name}});
    sign.push_back(json::object{{"op", "sign"}, {"jwk", other_jwk}, {"alg", c.name},
                                {"payload", "jose says " + c.name}});
  }
  json::array tokens = RunPeer(sign);
  ASSERT_EQ(tokens.size(), sign.size());
  for (size_t i = 0; i < SigCases().size(); ++i) {
    const SigCase& c = SigCases()[i];
    SCOPED_TRACE(c.name);
    auto jwk = Jwk::ParsePublic(json::serialize(keys[2 * i].at("public_jwk")));
    ASSERT_TRUE(jwk.ok()) << jwk.status().ToString();
    JwsVerifier verifier = VerifierFor(*jwk, c.alg);
    auto verified = verifier.Verify(Str(tokens[2 * i].at("token")));
    ASSERT_TRUE(verified.ok()) << verified.status().ToString();
    EXPECT_EQ(verified->payload_string(), "jose says " + c.name);
    EXPECT_EQ(verified->key_id(), jwk->kid());
    auto forged = verifier.Verify(Str(tokens[2 * i + 1].at("token")));
    ASSERT_FALSE(forged.ok()) << "token signed with another key was accepted";
    EXPECT_EQ(forged.status().reason(), "bad_signature");
  }
}

TEST(JoseInteropTest, AccordEncryptsToJoseKeysAndJoseDecrypts) {
  const std::vector<EncCase> cases = EncCases();
  json::array generate;
  for (const EncCase& c : cases) {
    json::object op{{"op", "generate"}, {"alg", c.alg}};
    if (!c.crv.empty()) op["crv"] = c.crv;
    generate.push_back(op);
  }
  json::array keys = RunPeer(generate);
  ASSERT_EQ(keys.size(), cases.size());
  json::array ops;
  for (size_t i = 0; i < cases.size(); ++i) {
    const EncCase& c = cases[i];
    SCOPED_TRACE(c.alg + " " + c.enc + " " + c.crv);
    auto jwk = Jwk::ParsePublic(json::serialize(keys[i].at("public_jwk")));
    ASSERT_TRUE(jwk.ok()) << jwk.status().ToString();
    auto encrypter = JweEncrypter::Create(*jwk, *JweAlgFromName(c.alg), *JweEncFromName(c.enc));
    ASSERT_TRUE(encrypter.ok()) << encrypter.status().ToString();
    auto token = encrypter->Encrypt(std::string_view("to jose: " + c.alg + " " + c.enc));
    ASSERT_TRUE(token.ok()) << token.status().ToString();
    json::object op{{"op", "decrypt"}, {"jwk", keys[i].at("private_jwk")}, {"alg", c.alg},
                    {"enc", c.enc}, {"token", *token}};
    ops.push_back(op);
    op["token"] = Tamper(*token, 3);
    ops.push_back(op);
  }
  json::array results = RunPeer(ops);
  ASSERT_EQ(results.size(), ops.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const EncCase& c = cases[i];
    SCOPED_TRACE(c.alg + " " + c.enc + " " + c.crv);
    const json::object& good = results[2 * i].as_object();
    ASSERT_TRUE(good.at("ok").as_bool()) << json::serialize(good);
    EXPECT_EQ(Str(good.at("plaintext")), "to jose: " + c.alg + " " + c.enc);
    EXPECT_FALSE(results[2 * i + 1].at("ok").as_bool()) << "tampered JWE accepted by jose";
  }
}

TEST(JoseInteropTest, JoseEncryptsToAccordKeysAndAccordDecrypts) {
  const std::vector<EncCase> cases = EncCases();
  Jwk rsa = GenerateRsa();
  std::vector<Jwk> keys;
  json::array ops;
  for (const EncCase& c : cases) {
    if (c.crv.empty()) {
      keys.push_back(rsa);
    } else {
      keys.push_back(Generate(*crypto::CurveFromName(c.crv)));
    }
    ops.push_back(json::object{{"op", "encrypt"}, {"jwk", PublicJson(keys.back())}, {"alg", c.alg},
                               {"enc", c.enc}, {"plaintext", "to accord: " + c.alg + " " + c.enc}});
  }
  json::array results = RunPeer(ops);
  ASSERT_EQ(results.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const EncCase& c = cases[i];
    SCOPED_TRACE(c.alg + " " + c.enc + " " + c.crv);
    JweDecrypter decrypter = DecrypterFor(keys[i], c);
    const std::string token = Str(results[i].at("token"));
    auto decrypted = decrypter.Decrypt(token);
    ASSERT_TRUE(decrypted.ok()) << decrypted.status().ToString();
    EXPECT_EQ(decrypted->plaintext_string(), "to accord: " + c.alg + " " + c.enc);
    EXPECT_EQ(decrypted->key_id(), keys[i].kid());
    auto tampered = decrypter.Decrypt(Tamper(token, 3));
    EXPECT_FALSE(tampered.ok());
  }
}

TEST(JoseInteropTest, JoseNestedJwtOpensInAccordLikeASingpassIdToken) {
  Jwk enc_key = Generate(Curve::kP256);
  json::array gen = RunPeer(json::array{json::object{{"op", "generate"}, {"alg", "ES256"}}});
  ASSERT_EQ(gen.size(), 1u);
  const long now = static_cast<long>(std::time(nullptr));
  json::object claims{{"iss", "https://id.singpass.gov.sg"}, {"aud", "accord-client"},
                      {"sub", "s=S1234567A,u=abc"}, {"nonce", "n-0S6_WzA2Mj"},
                      {"iat", now}, {"exp", now + 600}};
  json::array out = RunPeer(json::array{json::object{{"op", "nested"},
                                                     {"sig_jwk", gen[0].at("private_jwk")},
                                                     {"enc_jwk", PublicJson(enc_key)},
                                                     {"claims", claims}}});
  ASSERT_EQ(out.size(), 1u);
  auto sig_key = Jwk::ParsePublic(json::serialize(gen[0].at("public_jwk")));
  ASSERT_TRUE(sig_key.ok()) << sig_key.status().ToString();
  auto validator = JwtValidator::Builder()
                       .ExpectIssuer("https://id.singpass.gov.sg")
                       .ExpectAudience("accord-client")
                       .ExpectTypeHeader("JWT")
                       .RequireIssuedAt()
                       .Build();
  ASSERT_TRUE(validator.ok()) << validator.status().ToString();
  JwtVerifier verifier(VerifierFor(*sig_key, SignatureAlgorithm::kEs256), *validator);
  JweDecrypter decrypter = DecrypterFor(enc_key, {"ECDH-ES+A256KW", "A256CBC-HS512", "P-256"});
  auto jwt = verifier.VerifyNested(decrypter, Str(out[0].at("token")));
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();
  EXPECT_EQ(jwt->subject(), "s=S1234567A,u=abc");
  EXPECT_EQ(jwt->GetString("nonce"), "n-0S6_WzA2Mj");
  EXPECT_EQ(jwt->key_id(), sig_key->kid());
  // The same token against another signing key fails after decryption.
  JwtVerifier wrong(VerifierFor(Generate(Curve::kP256).PublicOnly(), SignatureAlgorithm::kEs256),
                    *validator);
  EXPECT_FALSE(wrong.VerifyNested(decrypter, Str(out[0].at("token"))).ok());
}

TEST(JoseInteropTest, ThumbprintsMatchJoseCalculateJwkThumbprint) {
  std::vector<Jwk> keys = {Generate(Curve::kP256), Generate(Curve::kP384), Generate(Curve::kP521),
                           Generate(Curve::kEd25519), Generate(Curve::kX25519), GenerateRsa()};
  json::array ops;
  for (const Jwk& key : keys) {
    ops.push_back(json::object{{"op", "thumbprint"}, {"jwk", PublicJson(key)}});
    ops.push_back(json::object{{"op", "thumbprint"}, {"jwk", PrivateJson(key)}});
  }
  json::array results = RunPeer(ops);
  ASSERT_EQ(results.size(), ops.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    SCOPED_TRACE(keys[i].kty());
    EXPECT_EQ(Str(results[2 * i].at("thumbprint")), keys[i].Thumbprint());
    EXPECT_EQ(Str(results[2 * i + 1].at("thumbprint")), keys[i].Thumbprint());
  }
}

TEST(JoseInteropTest, JoseGeneratedPrivateKeysImportIntoAccord) {
  json::array ops;
  for (const char* alg : {"ES256", "ES384", "ES512", "PS256", "EdDSA"}) {
    json::object op{{"op", "generate"}, {"alg", alg}};
    if (std::string_view(alg) == "EdDSA") op["crv"] = "Ed25519";
    ops.push_back(op);
  }
  ops.push_back(json::object{{"op", "generate"}, {"alg", "ECDH-ES"}, {"crv", "X25519"}});
  json::array keys = RunPeer(ops);
  ASSERT_EQ(keys.size(), ops.size());
  for (const json::value& k : keys) {
    auto jwk = Jwk::Parse(json::serialize(k.at("private_jwk")));
    ASSERT_TRUE(jwk.ok()) << jwk.status().ToString();
    EXPECT_TRUE(jwk->has_private_key());
    EXPECT_EQ(jwk->Thumbprint(), Str(k.at("public_jwk").at("kid")));
  }
}

}  // namespace
}  // namespace accord::jose
